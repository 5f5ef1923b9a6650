import ZOCore

/// Small dense row-major matrix routines (d ≲ 10³) the catalog needs; naive loops, no BLAS,
/// so results are bit-reproducible across machines and thread counts.
public enum DenseMatrix {
    /// A Haar-distributed random orthogonal n×n matrix Q (row-major) from the Float64 Philox
    /// Gaussian stream `key`: modified Gram–Schmidt on the columns of a Gaussian matrix,
    /// applied twice ("twice is enough", Giraud et al. 2005), so ‖QᵀQ − I‖_max ≲ 1e-14·n.
    /// Positive R diagonal (implied by Gram–Schmidt) makes the distribution exactly Haar.
    public static func randomOrthogonal(_ n: Int, key: NoiseKey) -> [Double] {
        // Column-major working copy: column j is a[j*n ..< (j+1)*n].
        var a: [Double] = Noise.values(Double.self, count: n * n, key: key, kind: .gaussian)
        for j in 0..<n {
            for _ in 0..<2 {
                for k in 0..<j {
                    var dot = 0.0
                    for i in 0..<n { dot += a[k * n + i] * a[j * n + i] }
                    for i in 0..<n { a[j * n + i] -= dot * a[k * n + i] }
                }
            }
            var norm = 0.0
            for i in 0..<n { norm += a[j * n + i] * a[j * n + i] }
            norm = norm.squareRoot()
            precondition(norm > 0, "degenerate Gaussian matrix")
            for i in 0..<n { a[j * n + i] /= norm }
        }
        // Transpose to row-major.
        var q = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { q[i * n + j] = a[j * n + i] } }
        return q
    }
}
