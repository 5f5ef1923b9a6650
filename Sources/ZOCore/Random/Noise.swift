/// Counter-based noise over buffers: the fast path of every ZO perturbation.
///
/// Element `e` of the stream `key` is a pure function of (key, e) — see `CZOKernels.h` for the
/// counter layout — so `fill` of any sub-range reproduces the same values as a fill of the
/// whole stream, on any number of threads. Float32 and Float64 streams with the same key are
/// different streams (different bits per element).
///
/// Accuracy (Gaussian): both precisions use polynomial `log`/`sin`/`cos` (vectorised, no libm,
/// so the bits depend neither on the vector ISA nor on the C library). Float64: error below
/// 3 ulp of the radius √(−2 ln u1) against a Float80 evaluation of the same uniforms (measured
/// ≤ 2.15; tested, and bit-identical to the Swift twin in ``PhiloxReference``). Float32: below
/// 3e-6 absolute against a Float64 evaluation of the same uniforms (tested); the
/// radius uniform is (k + ½)·2⁻²³ (Float32) or (k + ½)·2⁻⁵² (Float64), so |z| ≤ √(−2 ln 2⁻²⁴)
/// ≈ 5.8 for Float32 and ≤ √(−2 ln 2⁻⁵³) ≈ 8.6 for Float64: the tails beyond are truncated
/// (probability < 1e-8 for Float32).
///
/// Large buffers are split across ``Parallel/threadCount`` threads; below
/// ``parallelThreshold`` elements the call stays on the calling thread (tests split smaller
/// buffers with ``Parallel/withThreads(_:splitEverything:_:)``).
public enum Noise {
    /// Buffers shorter than this are processed on the calling thread.
    public static let parallelThreshold = 1 << 15

    /// `out[i] = z[first + i]`.
    public static func fill<S: ZOScalar>(
        _ out: UnsafeMutableBufferPointer<S>, key: NoiseKey, kind: NoiseKind = .gaussian, first: Int = 0
    ) {
        guard let base = out.baseAddress, out.count > 0 else { return }
        precondition(first >= 0, "negative stream offset")
        Parallel.forChunks(count: out.count, minimumChunk: parallelThreshold, alignment: 128) { range in
            S.noiseFill(base + range.lowerBound, count: range.count, key: key,
                        first: first + range.lowerBound, kind: kind)
        }
    }

    /// A new array with `z[first ..< first + count]`.
    public static func values<S: ZOScalar>(
        _ type: S.Type = S.self, count: Int, key: NoiseKey, kind: NoiseKind = .gaussian, first: Int = 0
    ) -> [S] {
        [S](unsafeUninitializedCapacity: count) { buffer, initialised in
            fill(buffer, key: key, kind: kind, first: first)
            initialised = count
        }
    }

    /// `x[i] += scale · z[first + i]` — the fused perturbation of MeZO (θ += ε z).
    public static func addScaled<S: ZOScalar>(
        _ x: UnsafeMutableBufferPointer<S>, scale: S, key: NoiseKey, kind: NoiseKind = .gaussian, first: Int = 0
    ) {
        guard let base = x.baseAddress, x.count > 0 else { return }
        precondition(first >= 0, "negative stream offset")
        Parallel.forChunks(count: x.count, minimumChunk: parallelThreshold, alignment: 128) { range in
            S.noiseAxpy(base + range.lowerBound, count: range.count, scale: scale, multiplier: nil,
                        key: key, first: first + range.lowerBound, kind: kind)
        }
    }

    /// `x[i] += (scale · multiplier[i]) · z[first + i]` — e.g. HiZOO's θ += μ Σ^{1/2} u with
    /// `multiplier` = Σ^{1/2}. `multiplier` must have `x.count` elements.
    public static func addScaled<S: ZOScalar>(
        _ x: UnsafeMutableBufferPointer<S>, scale: S, multiplier: UnsafeBufferPointer<S>,
        key: NoiseKey, kind: NoiseKind = .gaussian, first: Int = 0
    ) {
        guard let base = x.baseAddress, x.count > 0 else { return }
        precondition(multiplier.count == x.count, "multiplier has \(multiplier.count) elements, x has \(x.count)")
        precondition(first >= 0, "negative stream offset")
        let m = multiplier.baseAddress!
        Parallel.forChunks(count: x.count, minimumChunk: parallelThreshold, alignment: 128) { range in
            S.noiseAxpy(base + range.lowerBound, count: range.count, scale: scale, multiplier: m + range.lowerBound,
                        key: key, first: first + range.lowerBound, kind: kind)
        }
    }

    /// Calls `body(offset, z)` with consecutive chunks of the stream covering
    /// `first ..< first + count`, `z` holding at most `chunk` values; `offset` is the position of
    /// `z[0]` relative to `first`. For element-wise rules the fused kernels do not cover
    /// (masks, Hessian estimates): the chunk stays in cache while `body` uses it.
    /// Single-threaded; chunks arrive in order.
    public static func forEachChunk<S: ZOScalar>(
        _ type: S.Type = S.self, count: Int, key: NoiseKey, kind: NoiseKind = .gaussian, first: Int = 0,
        chunk: Int = 4096, _ body: (Int, UnsafeBufferPointer<S>) throws -> Void
    ) rethrows {
        precondition(chunk > 0 && count >= 0 && first >= 0)
        let scratch = UnsafeMutablePointer<S>.allocate(capacity: min(chunk, max(count, 1)))
        defer { scratch.deallocate() }
        var done = 0
        while done < count {
            let n = min(chunk, count - done)
            S.noiseFill(scratch, count: n, key: key, first: first + done, kind: kind)
            try body(done, UnsafeBufferPointer(start: scratch, count: n))
            done += n
        }
    }
}
