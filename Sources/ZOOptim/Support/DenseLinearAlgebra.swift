/// Small dense linear algebra in Float64 for the optimizers that need it: SubZero's thin QR
/// (orthonormal bases U, V), Newton's Cholesky / LU solves, and a rank-revealing QR for the
/// tests. Row-major `[Double]` matrices; O(m n²) or O(n³) loops — for subspace bases
/// (m × r, r ≪ m) and Hessians of analytic test functions (d ≲ a few hundred), not for
/// model-sized matrices (those go through ``BLAS``).
///
/// Each factorisation has a naive twin or an exact property the tests check:
/// ``householderQR(_:rows:cols:)`` against ``gramSchmidtQR(_:rows:cols:)`` (the same Q,
/// because both fix diag(R) ≥ 0), Cholesky and LU by their residuals.
public enum DenseLinearAlgebra {
    // MARK: QR

    /// Thin QR of the m×n matrix `a` (m ≥ n) by Householder reflections.
    ///
    /// Returns Q (m×n, orthonormal columns) and R (n×n, upper triangular) with A = QR and
    /// diag(R) ≥ 0 — the sign convention makes Q unique for full-rank A and, for Gaussian A,
    /// Haar-distributed (Mezzadri 2007). Accuracy: ‖QᵀQ − I‖ = O(n·ε) regardless of the
    /// conditioning of A (Householder is backward stable; Gram–Schmidt without
    /// re-orthogonalisation is not).
    public static func householderQR(_ a: [Double], rows m: Int, cols n: Int) -> (q: [Double], r: [Double]) {
        precondition(m >= n && n >= 0 && a.count == m * n, "householderQR needs an m×n matrix with m ≥ n")
        var w = a                                  // [m × n] working copy; becomes R in its top n rows
        var reflectors = [[Double]]()              // v_k over rows k..<m, ‖v_k‖ = 1 (or empty: identity)
        reflectors.reserveCapacity(n)
        for k in 0..<n {
            var norm = 0.0
            for i in k..<m { norm += w[i * n + k] * w[i * n + k] }
            norm = norm.squareRoot()
            if norm == 0 { reflectors.append([]); continue }
            let x0 = w[k * n + k]
            let alpha = x0 >= 0 ? -norm : norm       // avoids cancellation in v₀ = x₀ − α
            var v = [Double](repeating: 0, count: m - k)
            for i in k..<m { v[i - k] = w[i * n + k] }
            v[0] -= alpha
            var vnorm = 0.0
            for x in v { vnorm += x * x }
            vnorm = vnorm.squareRoot()
            if vnorm == 0 { reflectors.append([]); continue }
            for i in v.indices { v[i] /= vnorm }
            // W[k..<m, k..<n] ← (I − 2vvᵀ) W[k..<m, k..<n]
            for j in k..<n {
                var dot = 0.0
                for i in k..<m { dot += v[i - k] * w[i * n + j] }
                let s = 2 * dot
                for i in k..<m { w[i * n + j] -= s * v[i - k] }
            }
            reflectors.append(v)
        }
        // Q = H₀ H₁ … H_{n−1} applied to the first n columns of I (backward accumulation).
        var q = [Double](repeating: 0, count: m * n)
        for j in 0..<n { q[j * n + j] = 1 }
        for k in stride(from: n - 1, through: 0, by: -1) {
            let v = reflectors[k]
            if v.isEmpty { continue }
            for j in 0..<n {
                var dot = 0.0
                for i in k..<m { dot += v[i - k] * q[i * n + j] }
                let s = 2 * dot
                for i in k..<m { q[i * n + j] -= s * v[i - k] }
            }
        }
        var r = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in i..<n { r[i * n + j] = w[i * n + j] } }
        // Sign convention diag(R) ≥ 0: flip column k of Q and row k of R together.
        for k in 0..<n where r[k * n + k] < 0 {
            for i in 0..<m { q[i * n + k] = -q[i * n + k] }
            for j in k..<n { r[k * n + j] = -r[k * n + j] }
        }
        return (q, r)
    }

    /// The naive twin of ``householderQR(_:rows:cols:)``: modified Gram–Schmidt with one full
    /// re-orthogonalisation pass per column ("twice is enough", Giraud et al. 2005), so
    /// ‖QᵀQ − I‖ = O(ε) for numerically full-rank A. diag(R) ≥ 0 by construction.
    public static func gramSchmidtQR(_ a: [Double], rows m: Int, cols n: Int) -> (q: [Double], r: [Double]) {
        precondition(m >= n && a.count == m * n)
        var q = [Double](repeating: 0, count: m * n)
        var r = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var v = (0..<m).map { a[$0 * n + j] }
            for _ in 0..<2 {
                for i in 0..<j {
                    var dot = 0.0
                    for row in 0..<m { dot += q[row * n + i] * v[row] }
                    r[i * n + j] += dot
                    for row in 0..<m { v[row] -= dot * q[row * n + i] }
                }
            }
            var norm = 0.0
            for x in v { norm += x * x }
            norm = norm.squareRoot()
            r[j * n + j] = norm
            if norm > 0 { for row in 0..<m { q[row * n + j] = v[row] / norm } }
        }
        return (q, r)
    }

    /// Numerical rank of the m×n matrix `a`: the number of diagonal entries of R, in a
    /// Householder QR with column pivoting (Businger & Golub 1965), whose magnitude exceeds
    /// `relativeTolerance` · |R₀₀|. Rank-revealing in practice (not guaranteed for
    /// adversarial matrices such as Kahan's; an SVD would be). Used by the tests on
    /// materialised low-rank perturbations. 0 for the zero matrix.
    public static func numericalRank(_ a: [Double], rows m: Int, cols n: Int, relativeTolerance: Double = 1e-10) -> Int {
        precondition(a.count == m * n && relativeTolerance >= 0)
        var w = a
        var cols = Array(0..<n)                     // permutation: position → original column
        let steps = min(m, n)
        var first = 0.0
        for k in 0..<steps {
            // Pivot: the remaining column with the largest norm over rows k..<m.
            var best = k, bestNorm = -1.0
            for c in k..<n {
                var s = 0.0
                for i in k..<m { s += w[i * n + cols[c]] * w[i * n + cols[c]] }
                if s > bestNorm { bestNorm = s; best = c }
            }
            cols.swapAt(k, best)
            let pc = cols[k]
            let norm = bestNorm.squareRoot()
            if k == 0 { first = norm }
            if first == 0 || norm <= relativeTolerance * first { return k }
            let x0 = w[k * n + pc]
            let alpha = x0 >= 0 ? -norm : norm
            var v = [Double](repeating: 0, count: m - k)
            for i in k..<m { v[i - k] = w[i * n + pc] }
            v[0] -= alpha
            var vnorm = 0.0
            for x in v { vnorm += x * x }
            vnorm = vnorm.squareRoot()
            if vnorm == 0 { continue }
            for i in v.indices { v[i] /= vnorm }
            for c in k..<n {
                let j = cols[c]
                var dot = 0.0
                for i in k..<m { dot += v[i - k] * w[i * n + j] }
                let s = 2 * dot
                for i in k..<m { w[i * n + j] -= s * v[i - k] }
            }
        }
        return steps
    }

    // MARK: Linear solves

    /// In-place Cholesky factorisation A = L Lᵀ of the symmetric n×n matrix `a` (only the lower
    /// triangle is read; L overwrites it, the strict upper triangle is zeroed). Returns false —
    /// leaving `a` partly overwritten — when a pivot is ≤ 0 or not finite, i.e. A is not
    /// (numerically) positive definite. Backward stable for SPD A.
    public static func cholesky(_ a: inout [Double], n: Int) -> Bool {
        precondition(a.count == n * n)
        for j in 0..<n {
            var d = a[j * n + j]
            for k in 0..<j { d -= a[j * n + k] * a[j * n + k] }
            guard d > 0, d.isFinite else { return false }
            let ljj = d.squareRoot()
            a[j * n + j] = ljj
            for i in (j + 1)..<max(j + 1, n) {
                var s = a[i * n + j]
                for k in 0..<j { s -= a[i * n + k] * a[j * n + k] }
                a[i * n + j] = s / ljj
            }
            for k in (j + 1)..<max(j + 1, n) { a[j * n + k] = 0 }
        }
        return true
    }

    /// Solves L Lᵀ x = b given the factor from ``cholesky(_:n:)``.
    public static func choleskySolve(_ l: [Double], n: Int, _ b: [Double]) -> [Double] {
        precondition(l.count == n * n && b.count == n)
        var y = b
        for i in 0..<n {                           // L y = b
            var s = y[i]
            for k in 0..<i { s -= l[i * n + k] * y[k] }
            y[i] = s / l[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {   // Lᵀ x = y
            var s = y[i]
            for k in (i + 1)..<max(i + 1, n) { s -= l[k * n + i] * y[k] }
            y[i] = s / l[i * n + i]
        }
        return y
    }

    /// Solves A x = b by LU with partial pivoting (Doolittle, row swaps). Returns nil when a
    /// pivot is exactly 0 or the result is not finite (A singular to working precision).
    /// Works for indefinite A; backward stable in practice (growth factor ≤ 2ⁿ⁻¹ in theory).
    public static func luSolve(_ a: [Double], n: Int, _ b: [Double]) -> [Double]? {
        precondition(a.count == n * n && b.count == n)
        var w = a, x = b
        for k in 0..<n {
            var p = k, best = abs(w[k * n + k])
            for i in (k + 1)..<max(k + 1, n) where abs(w[i * n + k]) > best { best = abs(w[i * n + k]); p = i }
            guard best > 0, best.isFinite else { return nil }
            if p != k {
                for j in 0..<n { w.swapAt(k * n + j, p * n + j) }
                x.swapAt(k, p)
            }
            let pivot = w[k * n + k]
            for i in (k + 1)..<max(k + 1, n) {
                let f = w[i * n + k] / pivot
                if f == 0 { continue }
                w[i * n + k] = 0
                for j in (k + 1)..<n { w[i * n + j] -= f * w[k * n + j] }
                x[i] -= f * x[k]
            }
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = x[i]
            for j in (i + 1)..<max(i + 1, n) { s -= w[i * n + j] * x[j] }
            x[i] = s / w[i * n + i]
        }
        return x.allSatisfy { $0.isFinite } ? x : nil
    }
}
