import ZOCore

/// Order statistics for Sparse MeZO's per-tensor thresholds: the k-th smallest of a buffer.
///
/// ``kthSmallest(_:k:)`` is introselect (Musser 1997): quickselect with median-of-three pivots
/// and Hoare partitioning, expected O(n); when the recursion depth exceeds 2·log₂ n (adversarial
/// or degenerate inputs) the remaining range is sorted, so the worst case is O(n log n).
/// It permutes the buffer. ``kthSmallestNaive(_:k:)`` is its twin: sort, then index.
/// Values must not be NaN (callers check finiteness first).
public enum Selection {
    /// The k-th smallest element (0-based) of `values`; reorders `values`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public static func kthSmallest<S: ZOScalar>(_ values: UnsafeMutableBufferPointer<S>, k: Int) -> S {
        precondition(k >= 0 && k < values.count, "k = \(k) outside 0..<\(values.count)")
        guard let a = values.baseAddress else { preconditionFailure() }
        var lo = 0, hi = values.count - 1
        var depthBudget = 2 * max(1, Int.bitWidth - values.count.leadingZeroBitCount)
        while lo < hi {
            if depthBudget == 0 {
                var rest = UnsafeMutableBufferPointer(start: a + lo, count: hi - lo + 1)
                rest.sort()
                return a[k]
            }
            depthBudget -= 1
            // Median of three: order a[lo] ≤ a[mid] ≤ a[hi]; the pivot is the middle value.
            let mid = lo + (hi - lo) / 2
            if a[mid] < a[lo] { exchange(a, mid, lo) }
            if a[hi] < a[lo] { exchange(a, hi, lo) }
            if a[hi] < a[mid] { exchange(a, hi, mid) }
            let pivot = a[mid]
            // Hoare partition of [lo, hi] around `pivot`.
            var i = lo - 1, j = hi + 1
            while true {
                repeat { i += 1 } while a[i] < pivot
                repeat { j -= 1 } while pivot < a[j]
                if i >= j { break }
                exchange(a, i, j)
            }
            // Now [lo, j] ≤ pivot ≤ [j + 1, hi].
            if k <= j { hi = j } else { lo = j + 1 }
        }
        return a[k]
    }

    @inline(__always)
    static func exchange<S>(_ a: UnsafeMutablePointer<S>, _ i: Int, _ j: Int) {
        let t = a[i]
        a[i] = a[j]
        a[j] = t
    }

    /// The naive twin: sort a copy and index it. O(n log n).
    public static func kthSmallestNaive<S: ZOScalar>(_ values: [S], k: Int) -> S {
        precondition(k >= 0 && k < values.count)
        return values.sorted()[k]
    }
}
