// Cholesky factorisation of a small symmetric positive-definite matrix with a singularity
// test, and the triangular solve: what Hotelling's T² needs. O(d³/6) flops, row-major.

/// L with A = LLᵀ, A row-major [d × d] with unit diagonal (a correlation matrix); L row-major
/// [d × d], lower triangle. Throws when a squared pivot (the part of coordinate j's variance
/// not explained by coordinates 0…j−1) is below `tolerance`.
func choleskyFactor(_ a: [Double], dimension d: Int, tolerance: Double) throws(StatsError) -> [Double] {
    var l = [Double](repeating: 0, count: d * d)
    for j in 0..<d {
        var pivot = a[j * d + j]
        for k in 0..<j { pivot -= l[j * d + k] * l[j * d + k] }
        guard pivot >= tolerance * a[j * d + j], pivot > 0 else {
            throw .singularCovariance(dimension: d, coordinate: j, residual: Swift.max(pivot, 0), tolerance: tolerance)
        }
        let ljj = pivot.squareRoot()
        l[j * d + j] = ljj
        for i in (j + 1)..<d {
            var v = a[i * d + j]
            for k in 0..<j { v -= l[i * d + k] * l[j * d + k] }
            l[i * d + j] = v / ljj
        }
    }
    return l
}

/// Solves L w = b in place (L lower triangular, row-major [d × d]).
func forwardSubstitute(_ l: [Double], dimension d: Int, _ b: inout [Double]) {
    for i in 0..<d {
        var v = b[i]
        for k in 0..<i { v -= l[i * d + k] * b[k] }
        b[i] = v / l[i * d + i]
    }
}
