/// Row-major BLAS on OpenBLAS for `Float` and `Double`.
///
/// Every routine has a naive twin in ``BLASReference`` with the same signature; the tests
/// compare them. Dimensions are checked with preconditions (they come from code, not input).
/// Accuracy: OpenBLAS sums in a blocked order, so results differ from the naive twin by
/// rounding only — relative error ≲ k·ε for a dot product of length k.
public enum BLAS {
    /// C ← α·op(A)·op(B) + β·C with op(A): m×k, op(B): k×n, C: m×n (row-major).
    /// `lda`, `ldb`, `ldc` default to the packed row lengths of A, B, C as stored.
    @inlinable
    public static func gemm<S: ZOScalar>(
        transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
        alpha: S = 1, a: UnsafePointer<S>, lda: Int? = nil, b: UnsafePointer<S>, ldb: Int? = nil,
        beta: S = 0, c: UnsafeMutablePointer<S>, ldc: Int? = nil
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0)
        if m == 0 || n == 0 { return }
        let lda = lda ?? (transA ? m : k)
        let ldb = ldb ?? (transB ? k : n)
        let ldc = ldc ?? n
        precondition(lda >= max(1, transA ? m : k) && ldb >= max(1, transB ? k : n) && ldc >= max(1, n))
        S.blasGemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                   a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    /// y ← α·op(A)·x + β·y with A: m×n (row-major); op(A) = A (x: n, y: m) or Aᵀ (x: m, y: n).
    @inlinable
    public static func gemv<S: ZOScalar>(
        trans: Bool = false, m: Int, n: Int, alpha: S = 1, a: UnsafePointer<S>, lda: Int? = nil,
        x: UnsafePointer<S>, beta: S = 0, y: UnsafeMutablePointer<S>
    ) {
        precondition(m >= 0 && n >= 0)
        if m == 0 || n == 0 { return }
        let lda = lda ?? n
        precondition(lda >= max(1, n))
        S.blasGemv(trans: trans, m: m, n: n, alpha: alpha, a: a, lda: lda, x: x, beta: beta, y: y)
    }

    /// y ← α·x + y over `count` elements.
    @inlinable
    public static func axpy<S: ZOScalar>(count: Int, alpha: S, x: UnsafePointer<S>, y: UnsafeMutablePointer<S>) {
        precondition(count >= 0)
        if count == 0 { return }
        S.blasAxpy(count: count, alpha: alpha, x: x, y: y)
    }

    /// xᵀy over `count` elements.
    @inlinable
    public static func dot<S: ZOScalar>(count: Int, x: UnsafePointer<S>, y: UnsafePointer<S>) -> S {
        precondition(count >= 0)
        if count == 0 { return 0 }
        return S.blasDot(count: count, x: x, y: y)
    }
}
