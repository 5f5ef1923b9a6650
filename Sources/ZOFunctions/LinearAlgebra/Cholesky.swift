extension DenseMatrix {
    /// Solves S x = b for a symmetric positive definite n×n `matrix` (row-major) by Cholesky
    /// factorisation S = L Lᵀ, then one step of iterative refinement (residual in Float64),
    /// which brings the relative residual to ≈ ε·cond(S). Returns nil when S is not
    /// numerically positive definite (a pivot ≤ 0).
    public static func solveSymmetricPositiveDefinite(_ matrix: [Double], _ b: [Double]) -> [Double]? {
        let n = b.count
        precondition(matrix.count == n * n, "matrix must be \(n)×\(n)")
        var l = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var pivot = matrix[j * n + j]
            for k in 0..<j { pivot -= l[j * n + k] * l[j * n + k] }
            guard pivot > 0, pivot.isFinite else { return nil }
            let ljj = pivot.squareRoot()
            l[j * n + j] = ljj
            for i in (j + 1)..<max(n, j + 1) {
                var s = matrix[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = s / ljj
            }
        }
        func substitute(_ rhs: [Double]) -> [Double] {
            var y = rhs
            for i in 0..<n {  // L y = rhs
                var s = y[i]
                for k in 0..<i { s -= l[i * n + k] * y[k] }
                y[i] = s / l[i * n + i]
            }
            for i in stride(from: n - 1, through: 0, by: -1) {  // Lᵀ x = y
                var s = y[i]
                for k in (i + 1)..<max(n, i + 1) { s -= l[k * n + i] * y[k] }
                y[i] = s / l[i * n + i]
            }
            return y
        }
        var x = substitute(b)
        var residual = b
        for i in 0..<n { for j in 0..<n { residual[i] -= matrix[i * n + j] * x[j] } }
        let correction = substitute(residual)
        for i in 0..<n { x[i] += correction[i] }
        return x
    }
}
