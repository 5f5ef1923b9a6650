import Foundation
import ZOCore
import ZOFunctions
import ZOOptim

/// Shared set-up of the HiZOO checks (claims 2, 3): a HiZOO instance with a fixed diagonal H
/// (α = 0, so nothing moves between draws) on a test function.
struct HiZOOProbe {
    let objective: FunctionObjective
    let estimator: HiZOOHookEstimator<Double>
    /// H and Σ = H⁻¹ in use.
    let hessian: [Double]
    var sigma: [Double] { hessian.map { 1 / $0 } }

    init(_ objective: FunctionObjective, hessian: [Double], mu: Double, estimator kind: String = "paper", seed: UInt64) throws {
        self.objective = objective
        self.hessian = hessian
        estimator = try HiZOOHookEstimator<Double>("hizoo", options: ["mu": "\(mu)", "alpha": "0", "lr": "1", "estimator": kind],
                                                   parameters: objective.parameters, seed: seed)
        try estimator.optimizer.setHessianDiagonal(hessian)
    }

    /// Seeded jitter factors in [0.5, 2] (log-uniform).
    static func jitter(_ d: Int, seed: UInt64) -> [Double] {
        let u: [Double] = Noise.values(count: d, key: NoiseKey(seed: seed, stream: 77), kind: .uniform)
        return u.map { pow(2, 2 * $0 - 1) }
    }

    /// The exact Hessian diagonal of the objective at its current θ.
    static func hessianDiagonal(_ objective: FunctionObjective) throws -> [Double] {
        var h = [Double](repeating: 0, count: objective.parameters.count)
        try h.withUnsafeMutableBufferPointer { try objective.hessianDiagonal(into: $0) }
        return h
    }

    /// The full Hessian (d × d, row-major).
    static func hessian(_ objective: FunctionObjective) throws -> [Double] {
        let d = objective.parameters.count
        var h = [Double](repeating: 0, count: d * d)
        try h.withUnsafeMutableBufferPointer { try objective.hessian(into: $0) }
        return h
    }
}
