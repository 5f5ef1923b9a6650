import Foundation
import ZOCore
import ZOOptim

/// Claim 9: HiZOO-L's factored Hessian equals the full diagonal when the true diagonal of each
/// matrix is rank-1 (an outer product), and its error otherwise (seed 004 App. D.2).
public struct HiZOOLFactoringCheck: Check {
    public let name = "hizoo-l-factoring"
    public let claim = 9
    public let title = "HiZOO-L's factored Hessian is exact for rank-1 diagonals"
    public let source = "seed 004 §3.3 and App. D.2 (HiZOO-L: Adafactor-style factors R, C of each matrix's diagonal Hessian); Shazeer & Stern 2018"
    public let statement = "Keeping r = |Ĥ|1 and c = 1ᵀ|Ĥ| per m×n matrix and H ≈ r cᵀ/Σr reproduces the full diagonal exactly when it is an outer product a bᵀ, with an error that grows with its distance from rank 1 otherwise."
    public let derivation = """
        For T = a bᵀ: r = a Σb, c = b Σa, Σr = Σa Σb, so r cᵀ/Σr = a bᵀ. In general r cᵀ/Σr is Adafactor's \
        rank-1 projection P(T) (the I-projection of T onto rank-1 matrices in generalised KL), and ‖P(T) − T‖ measures \
        how far T is from an outer product. Because the EMAs of r and c are linear, feeding HiZOO and HiZOO-L the \
        same |Ĥ| stream gives r = H1, c = 1ᵀH at every step: HiZOO-L's H is exactly P(HiZOO's H) — equal to it \
        only if the EMA itself stays rank-1, which estimator noise breaks.
        """
    public let method = """
        Layout: matrices 6×8 and 10×4 with bias vectors (d = 100). (1) HiZOO-L with α = 1 absorbs a target T(λ) = \
        (1 − λ)·a bᵀ + λ·R per matrix (a, b, R positive, seeded), λ ∈ {0, 0.05, 0.1, 0.2, 0.4, 0.7, 1}; its H is \
        compared with an independent computation of P(T) and with T; the distance of T from rank 1 is \
        √(1 − σ₁²/‖T‖²_F) (power iteration). (2) HiZOO and HiZOO-L EMAs (α = 0.01) absorb the same stream of \
        raw estimates Ĥ (HiZOO's hook at H = A, A = a bᵀ rank-1) for 2000 steps.
        """
    public let statisticDescription = "Exact check, tolerance 1e-11 relative (Frobenius): HiZOO-L's H equals P(T) for every λ, equals T at λ = 0, vectors equal T exactly; in (2) HiZOO-L's H equals P(HiZOO's H). The error curve and the EMA's departure from rank 1 are measured."
    public let elementaryTests = 0

    public init() {}

    static let tolerance = 1e-11
    static let shapes = [(6, 8), (10, 4)]

    func objective() -> SeparableQuadraticObjective<Double> {
        let layout = ProblemLayouts.matrices(Self.shapes, withBias: true)
        return SeparableQuadraticObjective(layout: layout, curvature: [Double](repeating: 1, count: layout.count),
                                           center: [Double](repeating: 0, count: layout.count), start: [Double](repeating: 0.5, count: layout.count))
    }

    func hooked(_ name: String, _ p: ParameterSet<Double>, alpha: Double) throws -> any DiagonalHessianEstimating<Double> {
        try OptimizerRegistry.make(name, options: ["alpha": "\(alpha)", "lr": "1e-9", "mu": "1e-3", "h-min": "1e-30", "h-max": "1e30"], parameters: p)
            as! any DiagonalHessianEstimating<Double>
    }

    /// T(λ): per matrix (1 − λ)ab ᵀ + λR, vectors random positive.
    func target(_ p: ParameterSet<Double>, lambda: Double, seed: UInt64) -> [Double] {
        let u: [Double] = Noise.values(count: 3 * p.count, key: NoiseKey(seed: seed, stream: 1), kind: .uniform)
        var t = [Double](repeating: 0, count: p.count)
        for (k, info) in p.tensors.enumerated() {
            if info.isMatrix {
                let m = info.shape[0], n = info.shape[1]
                for i in 0..<m {
                    for j in 0..<n {
                        let a = 0.5 + 1.5 * u[info.offset + i], b = 0.5 + 1.5 * u[p.count + info.offset + j]
                        let r = 0.5 + 1.5 * u[2 * p.count + info.offset + i * n + j]
                        t[info.offset + i * n + j] = (1 - lambda) * a * b + lambda * r * Double(k + 1)
                    }
                }
            } else {
                for i in info.range { t[i] = 0.5 + 1.5 * u[i] }
            }
        }
        return t
    }

    /// Adafactor's projection of every matrix block of `t` (vectors unchanged).
    static func projection(_ t: [Double], _ p: ParameterSet<Double>) -> [Double] {
        var out = t
        for info in p.tensors where info.isMatrix {
            let m = info.shape[0], n = info.shape[1]
            var r = [Double](repeating: 0, count: m), c = [Double](repeating: 0, count: n)
            for i in 0..<m { for j in 0..<n { r[i] += t[info.offset + i * n + j]; c[j] += t[info.offset + i * n + j] } }
            let total = r.reduce(0, +)
            for i in 0..<m { for j in 0..<n { out[info.offset + i * n + j] = r[i] * c[j] / total } }
        }
        return out
    }

    static func relativeError(_ x: [Double], _ y: [Double], on range: [Int]) -> Double {
        var num = 0.0, den = 0.0
        for i in range { num += (x[i] - y[i]) * (x[i] - y[i]); den += y[i] * y[i] }
        return (num / den).squareRoot()
    }

    /// √(1 − σ₁²/‖T‖²_F) over the matrices (power iteration per matrix, pooled).
    static func rankOneDistance(_ t: [Double], _ p: ParameterSet<Double>) -> Double {
        var top = 0.0, total = 0.0
        for info in p.tensors where info.isMatrix {
            let m = info.shape[0], n = info.shape[1]
            var v = [Double](repeating: 1, count: n)
            var sigma2 = 0.0
            for _ in 0..<500 {
                var w = [Double](repeating: 0, count: m)
                for i in 0..<m { for j in 0..<n { w[i] += t[info.offset + i * n + j] * v[j] } }
                var next = [Double](repeating: 0, count: n)
                for i in 0..<m { for j in 0..<n { next[j] += t[info.offset + i * n + j] * w[i] } }
                let norm = Sampling.squaredNorm(next).squareRoot()
                sigma2 = norm / Sampling.squaredNorm(v).squareRoot()
                v = next.map { $0 / norm }
            }
            top += sigma2
            for i in info.range { total += t[i] * t[i] }
        }
        return max(0, 1 - top / total).squareRoot()
    }

    func matrixIndices(_ p: ParameterSet<Double>) -> [Int] { p.tensors.filter(\.isMatrix).flatMap { Array($0.range) } }
    func vectorIndices(_ p: ParameterSet<Double>) -> [Int] { p.tensors.filter { !$0.isMatrix }.flatMap { Array($0.range) } }

    struct Curve {
        var lambdas: [Double] = []
        var errors: [Double] = []
        var predicted: [Double] = []
        var distances: [Double] = []
        /// ‖H_L − P(T)‖/‖P(T)‖ per λ.
        var deviations: [Double] = []
        var worst = 0.0
        var vectorError = 0.0
        /// The largest arithmetic error of an exact store: what a correct HiZOO-L shows.
        var arithmetic: Double { max(worst, errors.first ?? 0, vectorError) }
    }

    /// `distortion` multiplies HiZOO-L's H before comparison (negative control).
    func curve(_ c: CheckConfiguration, distortion: Double = 1) throws -> Curve {
        let o = objective()
        let p = o.parameters
        var out = Curve()
        for lambda in [0, 0.05, 0.1, 0.2, 0.4, 0.7, 1.0] {
            let factored = try hooked("hizoo-l", p, alpha: 1)
            let t = target(p, lambda: lambda, seed: c.seed(1))
            factored.absorb(t)
            let h = factored.hessianDiagonal().map { $0 * distortion }
            let projected = Self.projection(t, p)
            let mats = matrixIndices(p)
            out.lambdas.append(lambda)
            out.errors.append(Self.relativeError(h, t, on: mats))
            out.predicted.append(Self.relativeError(projected, t, on: mats))
            out.distances.append(Self.rankOneDistance(t, p))
            let deviation = Self.relativeError(h, projected, on: mats)
            out.deviations.append(deviation)
            out.worst = max(out.worst, deviation)
            out.vectorError = max(out.vectorError, Self.relativeError(h, t, on: vectorIndices(p)))
        }
        return out
    }

    /// The comparison rejects errors above the tolerance; an error δ injected into a store whose
    /// own arithmetic error is e shows as at least δ − e(1 + δ), so every δ ≥ tolerance + 2e is
    /// rejected whatever the rounding: that is the smallest detectable error (e measured on the
    /// clean run, ≈ 1e-16).
    public func smallestDetectableDiscrepancy(configuration c: CheckConfiguration) throws -> Discrepancy {
        detectable(try curve(c))
    }

    func detectable(_ clean: Curve) -> Discrepancy {
        Discrepancy(value: Self.tolerance + 2 * clean.arithmetic, unit: "relative (Frobenius) error of HiZOO-L's stored H",
                    basis: "tolerance 1e-11 + 2 × the clean run's arithmetic error \(Format.number(clean.arithmetic, digits: 2)), Float64")
    }

    public func run(configuration c: CheckConfiguration) throws -> CheckResult {
        let k = try curve(c)
        // (2) The same raw-estimate stream into both EMAs.
        let o = objective()
        let p = o.parameters
        let rankOne = target(p, lambda: 0, seed: c.seed(1))
        let quadratic = SeparableQuadraticObjective<Double>(layout: ProblemLayouts.matrices(Self.shapes, withBias: true), curvature: rankOne,
                                                           center: [Double](repeating: 0, count: p.count), start: [Double](repeating: 0.5, count: p.count))
        let source = try hooked("hizoo", quadratic.parameters, alpha: 0)
        try source.setHessianDiagonal(rankOne)
        let full = try hooked("hizoo", quadratic.parameters, alpha: 0.01), factored = try hooked("hizoo-l", quadratic.parameters, alpha: 0.01)
        try full.setHessianDiagonal(rankOne)
        try factored.setHessianDiagonal(rankOne)
        let steps = c.scale.pick(full: 2000, quick: 2000, test: 400)
        for t in 0..<steps {
            let e = try source.estimate(quadratic, key: NoiseKey(seed: c.seed(2), stream: UInt64(t)), blocks: nil).hessian
            full.absorb(e)
            factored.absorb(e)
        }
        let hf = full.hessianDiagonal(), hl = factored.hessianDiagonal()
        let mats = matrixIndices(quadratic.parameters)
        let identity = Self.relativeError(hl, Self.projection(hf, quadratic.parameters), on: mats)
        let emaGap = Self.relativeError(hl, hf, on: mats)
        let emaDistance = Self.rankOneDistance(hf, quadratic.parameters)
        let exact = k.worst <= Self.tolerance && k.errors[0] <= Self.tolerance && k.vectorError <= Self.tolerance && identity <= 1e-9
        let subs = [
            SubResult(name: "rank-1 diagonal (λ = 0)", hypothesis: "HiZOO-L's H = T", statistic: "relative Frobenius error", value: k.errors[0],
                      rejected: k.errors[0] > Self.tolerance, sampleSize: mats.count),
            SubResult(name: "every λ", hypothesis: "HiZOO-L's H = Adafactor projection P(T)", statistic: "max relative error", value: k.worst,
                      rejected: k.worst > Self.tolerance, sampleSize: 7 * mats.count),
            SubResult(name: "vectors", hypothesis: "full diagonal kept exactly", statistic: "max relative error", value: k.vectorError,
                      rejected: k.vectorError > Self.tolerance, sampleSize: 7 * vectorIndices(p).count),
            SubResult(name: "EMA on one |Ĥ| stream (\(steps) steps, α = 0.01)", hypothesis: "H_L = P(H_full) at every step (linearity of the row/column EMAs)",
                      statistic: "relative error at the end", value: identity, rejected: identity > 1e-9, sampleSize: steps,
                      note: "‖H_L − H_full‖/‖H_full‖ = \(Format.number(emaGap, digits: 3)); H_full's distance from rank 1 = \(Format.number(emaDistance, digits: 3)) although the true diagonal is rank 1"),
        ]
        let summary = "Rank-1 diagonal: HiZOO-L reproduces it to \(Format.number(k.errors[0], digits: 2)) (relative). Away from rank 1 its error equals Adafactor's projection error exactly (max deviation \(Format.number(k.worst, digits: 2))): "
            + zip(k.distances, k.errors).map { "distance \(Format.number($0.0, digits: 3)) → error \(Format.number($0.1, digits: 3))" }.joined(separator: ", ")
            + ". Fed the same raw estimates, HiZOO-L's EMA is the projection of HiZOO's (deviation \(Format.number(identity, digits: 2))); the noisy EMA is \(Format.number(emaDistance, digits: 3)) from rank 1, so the two differ by \(Format.number(emaGap, digits: 3)) even for a rank-1 truth."
        return result(.claim, c, verdict: exact ? .holds : .refuted, summary: summary, subResults: subs,
                      detectable: detectable(k),
                      numbers: ["rankOneError": k.errors[0], "maxProjectionDeviation": k.worst, "emaGap": emaGap, "emaRankOneDistance": emaDistance],
                      figure: FigureData(title: "Claim 9: HiZOO-L's factored Hessian versus the full diagonal", columns: 2, panels: [
                        PanelData(lines: [SeriesData(label: "HiZOO-L error ‖H_L − T‖/‖T‖ (measured)", x: k.distances, y: k.errors),
                                          SeriesData(label: "Adafactor projection error, computed independently", x: k.distances, y: k.predicted, dashed: true)],
                                  title: "error vs distance of T from rank 1 (λ = 0 … 1; the curves coincide)", xLabel: "√(1 − σ₁²/‖T‖²)", yLabel: "relative error",
                                  yRange: 0...max(1e-3, (k.errors.max() ?? 0) * 1.1)),
                        PanelData(lines: [SeriesData(label: "‖H_L − P(T)‖/‖P(T)‖ (0 drawn at 1e-18)", x: k.lambdas, y: k.deviations.map { max($0, 1e-18) })],
                                  title: "HiZOO-L minus the projection, per λ (dashed: tolerance 1e-11)", xLabel: "λ", yLabel: "relative difference",
                                  logY: true, references: [ReferenceLine("tolerance", Self.tolerance)], yRange: 1e-19...1e-9),
                      ]))
    }

    public func runNegativeControl(configuration c: CheckConfiguration) throws -> CheckResult {
        let stated = try smallestDetectableDiscrepancy(configuration: c)
        let delta = stated.value
        let k = try curve(c, distortion: 1 + delta)
        let holds = k.worst <= Self.tolerance && k.errors[0] <= Self.tolerance
        return result(.negativeControl, c, verdict: holds ? .holds : .refuted,
                      summary: "A factored store off by a factor 1 + \(Format.number(delta, digits: 4)) (the tolerance plus twice the arithmetic error): max deviation from P(T) \(Format.number(k.worst, digits: 4)), rank-1 error \(Format.number(k.errors[0], digits: 4)) against the tolerance \(Format.number(Self.tolerance)).",
                      subResults: [SubResult(name: "every λ", hypothesis: "H = P(T)", statistic: "max relative error", value: k.worst, rejected: !holds, sampleSize: 7)],
                      detectable: stated, injected: delta, numbers: ["distortion": delta])
    }
}
