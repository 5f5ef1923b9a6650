/// Naive twins of ``BLAS``: straightforward loops with the same contracts, used by the tests
/// and as the readable definition of each routine. Accumulation is in the scalar type, in
/// index order. O(mnk) for gemm; never use on a hot path.
public enum BLASReference {
    public static func gemm<S: ZOScalar>(
        transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
        alpha: S = 1, a: UnsafePointer<S>, lda: Int? = nil, b: UnsafePointer<S>, ldb: Int? = nil,
        beta: S = 0, c: UnsafeMutablePointer<S>, ldc: Int? = nil
    ) {
        let lda = lda ?? (transA ? m : k)
        let ldb = ldb ?? (transB ? k : n)
        let ldc = ldc ?? n
        for i in 0..<m {
            for j in 0..<n {
                var sum: S = 0
                for p in 0..<k {
                    let aip = transA ? a[p * lda + i] : a[i * lda + p]
                    let bpj = transB ? b[j * ldb + p] : b[p * ldb + j]
                    sum += aip * bpj
                }
                let old = beta == 0 ? 0 : beta * c[i * ldc + j]   // β = 0 ignores NaN in C, as BLAS does
                c[i * ldc + j] = alpha * sum + old
            }
        }
    }

    public static func gemv<S: ZOScalar>(
        trans: Bool = false, m: Int, n: Int, alpha: S = 1, a: UnsafePointer<S>, lda: Int? = nil,
        x: UnsafePointer<S>, beta: S = 0, y: UnsafeMutablePointer<S>
    ) {
        let lda = lda ?? n
        let outCount = trans ? n : m
        let inCount = trans ? m : n
        for i in 0..<outCount {
            var sum: S = 0
            for j in 0..<inCount {
                sum += (trans ? a[j * lda + i] : a[i * lda + j]) * x[j]
            }
            y[i] = alpha * sum + (beta == 0 ? 0 : beta * y[i])
        }
    }

    public static func axpy<S: ZOScalar>(count: Int, alpha: S, x: UnsafePointer<S>, y: UnsafeMutablePointer<S>) {
        for i in 0..<count { y[i] += alpha * x[i] }
    }

    public static func dot<S: ZOScalar>(count: Int, x: UnsafePointer<S>, y: UnsafePointer<S>) -> S {
        var sum: S = 0
        for i in 0..<count { sum += x[i] * y[i] }
        return sum
    }
}
