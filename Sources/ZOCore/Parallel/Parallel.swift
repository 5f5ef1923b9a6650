import Dispatch
import Foundation

/// Data-parallel loops over index ranges on the machine's cores.
///
/// `forChunks` splits `0..<count` into at most ``threadCount`` contiguous ranges (boundaries
/// multiples of `alignment`) and runs them concurrently; it returns when all are done.
/// Results must not depend on the split (every ZOLab kernel computes each element
/// independently), which the tests check by running with 1 and N threads.
public enum Parallel {
    /// Worker count for ZOLab's own kernels: `ZOLAB_THREADS` if set, else the active cores.
    public static var threadCount: Int = {
        if let s = ProcessInfo.processInfo.environment["ZOLAB_THREADS"], let n = Int(s), n > 0 { return n }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// Runs `body` over a partition of `0..<count`. Stays on the calling thread when
    /// `count < 2·minimumChunk` or `threadCount == 1`.
    public static func forChunks(
        count: Int, minimumChunk: Int = 1 << 14, alignment: Int = 1, _ body: (Range<Int>) -> Void
    ) {
        guard count > 0 else { return }
        let parts = min(threadCount, max(1, count / max(minimumChunk, 1)))
        if parts <= 1 {
            body(0..<count)
            return
        }
        let ranges = partition(count: count, parts: parts, alignment: alignment)
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: ranges.count) { i in body(ranges[i]) }
        }
    }

    /// `0..<count` cut into `parts` contiguous ranges of near-equal size whose inner
    /// boundaries are multiples of `alignment`. Empty ranges are dropped.
    public static func partition(count: Int, parts: Int, alignment: Int = 1) -> [Range<Int>] {
        precondition(parts >= 1 && alignment >= 1)
        var ranges: [Range<Int>] = []
        var start = 0
        for p in 1...parts {
            var end = p == parts ? count : (count * p / parts) / alignment * alignment
            end = min(max(end, start), count)
            if end > start { ranges.append(start..<end) }
            start = end
        }
        return ranges
    }
}
