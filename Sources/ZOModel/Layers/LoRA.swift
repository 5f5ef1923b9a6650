import ZOCore

/// A LoRA adapter on a projection's output (Hu et al. 2021): y += s·(x·A)·B, never merged into
/// the base weight (a ZO step perturbs the adapters every forward, so merging would not pay).
///
/// Shapes: x [N, C], A [C, r], B [r, OC], the low-rank product xa = x·A [N, r], y an [N, OC] view
/// with row stride `ldOut` (the model adapts the query and value slices of qkv: OC = C,
/// ldOut = 3C). Three thin sgemms forward, four backward; generic over ``ZOScalar`` so the
/// backward is checked against finite differences in Float64 (`LayerGradientTests`).
enum LoRA {
    /// xa = x·A; y += scale·xa·B. `xa` is kept by the training pass for ``backward``.
    static func forward<S: ZOScalar>(
        out y: UnsafeMutablePointer<S>, ldOut: Int, lowRank xa: UnsafeMutablePointer<S>, inp x: UnsafePointer<S>,
        a: UnsafePointer<S>, b: UnsafePointer<S>, scale: S, rows N: Int, inChannels C: Int, rank r: Int, outChannels OC: Int
    ) {
        BLAS.gemm(m: N, n: r, k: C, a: x, b: a, c: xa)
        BLAS.gemm(m: N, n: OC, k: r, alpha: scale, a: xa, b: b, beta: 1, c: y, ldc: ldOut)
    }

    /// Backward of ``forward`` given dy (row stride `ldDout`) and the forward's `xa`:
    /// dB += scale·xaᵀ·dy, d(xa) = scale·dy·Bᵀ (into `scratch` [N, r]), dA += xᵀ·d(xa),
    /// dx += d(xa)·Aᵀ. `dA`/`dB` may be nil (nothing formed); `dx` is always accumulated.
    static func backward<S: ZOScalar>(
        dinp dx: UnsafeMutablePointer<S>, da: UnsafeMutablePointer<S>?, db: UnsafeMutablePointer<S>?,
        dout dy: UnsafePointer<S>, ldDout: Int, inp x: UnsafePointer<S>, lowRank xa: UnsafePointer<S>,
        a: UnsafePointer<S>, b: UnsafePointer<S>, scale: S, scratch dxa: UnsafeMutablePointer<S>,
        rows N: Int, inChannels C: Int, rank r: Int, outChannels OC: Int
    ) {
        if let db {
            BLAS.gemm(transA: true, m: r, n: OC, k: N, alpha: scale, a: xa, lda: r, b: dy, ldb: ldDout, beta: 1, c: db, ldc: OC)
        }
        BLAS.gemm(transB: true, m: N, n: r, k: OC, alpha: scale, a: dy, lda: ldDout, b: b, ldb: OC, c: dxa, ldc: r)
        if let da {
            BLAS.gemm(transA: true, m: C, n: r, k: N, a: x, lda: C, b: dxa, ldb: r, beta: 1, c: da, ldc: r)
        }
        BLAS.gemm(transB: true, m: N, n: C, k: r, a: dxa, lda: r, b: a, ldb: r, beta: 1, c: dx, ldc: C)
    }
}
