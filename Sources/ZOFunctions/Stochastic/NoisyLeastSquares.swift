import ZOCore

/// Seeded noisy least squares f(x) = ½‖Ax − b‖²/n = Σᵢ ½(aᵢᵀx − bᵢ)²/n, one term per row.
///
/// Data (all from ZOCore's Float64 Philox Gaussian streams under `seed`, separate purposes):
/// A ∈ R^{n×d} with N(0, 1) entries, a planted solution x* ~ N(0, I), and
/// b = A x* + σ ε, ε ~ N(0, I). The minimiser of the full-batch loss is
/// x̂ = (AᵀA)⁻¹Aᵀb, computed at construction by Cholesky on the normal equations with one
/// step of iterative refinement (d ≤ 512, n ≥ d; ‖∇f(x̂)‖ ≈ 1e-15 relative, tested); x̂ ≠ x*
/// because of the noise. The Hessian AᵀA/n is constant (≈ I for n ≫ d).
///
/// Minibatches come from ``SampledTerms``: `sampled(batchSize:seed:)` draws B rows per batch,
/// and f_batch = ½‖A_S x − b_S‖²/B. The catalog entry `noisy-least-squares` is that sampled
/// version (B = 32 by default).
///
/// Full-batch evaluations use BLAS gemv (O(nd), one n-element scratch buffer per call).
public struct NoisyLeastSquares: SumOfTerms {
    public static let maximumDimension = 512

    public static let descriptor = FunctionDescriptor(
        id: "noisy-least-squares", displayName: "Noisy least squares",
        formula: "f(x) = ½‖Ax − b‖²/n,  b = Ax* + σε;  minibatch: ½‖A_S x − b_S‖²/B",
        purpose: "minibatch noise for loss-increment checks (CHECKS.md 7)",
        dimensions: .between(1...maximumDimension), defaultDimension: 10,
        minimumSummary: "closed form: AᵀA x = Aᵀb",
        parameters: [ParameterSpec(.seed, default: "0", "seed of A, x*, ε and the minibatches"),
                     ParameterSpec(.sampleCount, default: "max(1024, 4d)", "rows n (≥ d)"),
                     ParameterSpec(.noiseLevel, default: "0.5", "σ, label noise standard deviation (≥ 0)"),
                     ParameterSpec(.batchSize, default: "32", "rows per minibatch (≥ n: full batch, deterministic)")],
        notes: ["The minimum is the full-batch one; minibatch losses at x̂ are not minimal."],
        source: "ZOLab (CHECKS.md 7)")

    public let dimension: Int
    /// n, the number of rows (terms).
    public let sampleCount: Int
    public let noiseLevel: Double
    public let seed: UInt64
    /// A, row-major n×d.
    public let design: [Double]
    /// b (n).
    public let targets: [Double]
    /// x*, the planted solution (b = Ax* + σε).
    public let plantedSolution: [Double]
    /// x̂ = (AᵀA)⁻¹Aᵀb, the full-batch minimiser.
    public let minimiser: [Double]
    /// f(x̂).
    public let minimumValue: Double
    /// AᵀA/n, row-major d×d (exactly symmetric): the Hessian.
    public let gram: [Double]

    public init(dimension: Int, sampleCount: Int? = nil, noiseLevel: Double = 0.5, seed: UInt64 = 0) throws {
        let id = Self.descriptor.id
        try ParameterCheck.dimension(dimension, Self.descriptor.dimensions, function: id)
        let n = sampleCount ?? max(1024, 4 * dimension)
        guard n >= dimension else {
            throw FunctionError.invalidParameter(function: id, parameter: FunctionParameter.sampleCount.rawValue,
                                                 reason: "must be ≥ d = \(dimension) (at least as many rows as unknowns), got \(n)")
        }
        try ParameterCheck.finite(noiseLevel, atLeast: 0, .noiseLevel, function: id)
        let d = dimension
        self.dimension = d
        self.sampleCount = n
        self.noiseLevel = noiseLevel
        self.seed = seed
        let a: [Double] = Noise.values(count: n * d, key: SeededDraws.key(seed: seed, purpose: .leastSquaresDesign))
        let xStar: [Double] = Noise.values(count: d, key: SeededDraws.key(seed: seed, purpose: .leastSquaresSolution))
        let eps: [Double] = Noise.values(count: n, key: SeededDraws.key(seed: seed, purpose: .leastSquaresNoise))
        var b = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var s = 0.0
            for j in 0..<d { s += a[i * d + j] * xStar[j] }
            b[i] = s + noiseLevel * eps[i]
        }
        // Normal equations: (AᵀA/n) x = Aᵀb/n.
        var g = [Double](repeating: 0, count: d * d)
        var rhs = [Double](repeating: 0, count: d)
        a.withUnsafeBufferPointer { ap in
            g.withUnsafeMutableBufferPointer { gp in
                BLAS.gemm(transA: true, m: d, n: d, k: n, alpha: 1 / Double(n), a: ap.baseAddress!, b: ap.baseAddress!,
                          c: gp.baseAddress!)
            }
            b.withUnsafeBufferPointer { bp in
                rhs.withUnsafeMutableBufferPointer { rp in
                    BLAS.gemv(trans: true, m: n, n: d, alpha: 1 / Double(n), a: ap.baseAddress!, x: bp.baseAddress!,
                              y: rp.baseAddress!)
                }
            }
        }
        for i in 0..<d {
            for j in (i + 1)..<max(d, i + 1) {
                let s = 0.5 * (g[i * d + j] + g[j * d + i])
                g[i * d + j] = s
                g[j * d + i] = s
            }
        }
        guard let solution = DenseMatrix.solveSymmetricPositiveDefinite(g, rhs) else {
            throw FunctionError.invalidParameter(function: id, parameter: FunctionParameter.sampleCount.rawValue,
                                                 reason: "gives a singular design AᵀA (n = \(n), d = \(d)); use more rows")
        }
        self.design = a
        self.targets = b
        self.plantedSolution = xStar
        self.gram = g
        self.minimiser = solution
        var r = 0.0
        for i in 0..<n {
            var s = -b[i]
            for j in 0..<d { s += a[i * d + j] * solution[j] }
            r += s * s
        }
        self.minimumValue = 0.5 * r / Double(n)
    }

    public var descriptor: FunctionDescriptor { Self.descriptor }
    public var domain: FunctionDomain { .unbounded(dimension: dimension) }
    /// x̂ ± 3 in every coordinate.
    public var viewDomain: FunctionDomain {
        FunctionDomain(lower: minimiser.map { $0 - 3 }, upper: minimiser.map { $0 + 3 })
    }
    public var minimum: GlobalMinimum {
        .attained(value: minimumValue, points: [minimiser], note: "full-batch minimiser (normal equations)")
    }
    public var startPoints: [[Double]] { [Array(repeating: 0, count: dimension)] }

    // MARK: Full batch (BLAS)

    /// r = Ax − b into `residual` (n elements).
    private func residuals(_ x: UnsafeBufferPointer<Double>, into residual: UnsafeMutableBufferPointer<Double>) {
        _ = residual.update(fromContentsOf: targets)
        design.withUnsafeBufferPointer { ap in
            BLAS.gemv(m: sampleCount, n: dimension, alpha: 1, a: ap.baseAddress!, x: x.baseAddress!, beta: -1,
                      y: residual.baseAddress!)
        }
    }

    public func value(at x: UnsafeBufferPointer<Double>) -> Double {
        var r = [Double](repeating: 0, count: sampleCount)
        return r.withUnsafeMutableBufferPointer { rp in
            residuals(x, into: rp)
            var s = 0.0
            for v in rp { s += v * v }
            return 0.5 * s / Double(sampleCount)
        }
    }

    public func valueAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        var r = [Double](repeating: 0, count: sampleCount)
        return r.withUnsafeMutableBufferPointer { rp in
            residuals(x, into: rp)
            var s = 0.0
            for v in rp { s += v * v }
            design.withUnsafeBufferPointer { ap in
                BLAS.gemv(trans: true, m: sampleCount, n: dimension, alpha: 1 / Double(sampleCount), a: ap.baseAddress!,
                          x: UnsafePointer(rp.baseAddress!), beta: 0, y: g.baseAddress!)
            }
            return 0.5 * s / Double(sampleCount)
        }
    }

    public func hessian(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        _ = h.update(fromContentsOf: gram)
    }

    public func hessianDiagonal(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<dimension { h[i] = gram[i * dimension + i] }
    }

    // MARK: Terms (rows)

    public var termCount: Int { sampleCount }

    @inline(__always) private func rowResidual(_ t: Int, _ x: UnsafeBufferPointer<Double>) -> Double {
        var s = -targets[t]
        let o = t * dimension
        for j in 0..<dimension { s += design[o + j] * x[j] }
        return s
    }

    public func termValue(_ t: Int, at x: UnsafeBufferPointer<Double>) -> Double {
        let r = rowResidual(t, x)
        return 0.5 * r * r / Double(sampleCount)
    }

    public func addTermGradient(_ t: Int, at x: UnsafeBufferPointer<Double>, scale: Double,
                                into g: UnsafeMutableBufferPointer<Double>) -> Double {
        let r = rowResidual(t, x), c = scale * r / Double(sampleCount), o = t * dimension
        for j in 0..<dimension { g[j] += c * design[o + j] }
        return 0.5 * r * r / Double(sampleCount)
    }

    public func addTermHessian(_ t: Int, at x: UnsafeBufferPointer<Double>, scale: Double,
                               into h: UnsafeMutableBufferPointer<Double>) {
        let c = scale / Double(sampleCount), o = t * dimension, d = dimension
        for i in 0..<d {
            let ai = c * design[o + i]
            for j in 0..<d { h[i * d + j] += ai * design[o + j] }
        }
    }

    public func addTermHessianDiagonal(_ t: Int, at x: UnsafeBufferPointer<Double>, scale: Double,
                                       into h: UnsafeMutableBufferPointer<Double>) {
        let c = scale / Double(sampleCount), o = t * dimension
        for j in 0..<dimension { h[j] += c * design[o + j] * design[o + j] }
    }
}
