extension DenseMatrix {
    /// Eigenvalues of a symmetric n×n `matrix` (row-major), ascending, by the cyclic Jacobi
    /// method. Accuracy: absolute error ≲ n·ε·‖S‖_F (Jacobi is backward stable and also
    /// resolves small eigenvalues to high relative accuracy for graded matrices). O(n³) per
    /// sweep, ≤ 50 sweeps: meant for n ≲ 100 (curvature reports and tests).
    public static func symmetricEigenvalues(_ matrix: [Double]) -> [Double] {
        let n = Int(Double(matrix.count).squareRoot().rounded())
        precondition(n * n == matrix.count, "matrix is not square")
        var a = matrix
        for i in 0..<n { for j in (i + 1)..<max(n, i + 1) { a[i * n + j] = 0.5 * (a[i * n + j] + a[j * n + i]); a[j * n + i] = a[i * n + j] } }
        var total = 0.0
        for v in a { total += v * v }
        for _ in 0..<50 {
            var off = 0.0
            for i in 0..<n { for j in 0..<n where i != j { off += a[i * n + j] * a[i * n + j] } }
            if off <= 1e-30 * total || off == 0 { break }
            for p in 0..<n {
                for q in (p + 1)..<max(n, p + 1) {
                    let apq = a[p * n + q]
                    if apq == 0 { continue }
                    let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot()
                    let s = t * c
                    for k in 0..<n {  // rotate columns p, q
                        let akp = a[k * n + p], akq = a[k * n + q]
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0..<n {  // rotate rows p, q
                        let apk = a[p * n + k], aqk = a[q * n + k]
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                    a[p * n + q] = 0
                    a[q * n + p] = 0
                }
            }
        }
        return (0..<n).map { a[$0 * n + $0] }.sorted()
    }
}
