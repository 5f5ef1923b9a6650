import ZOCore
import ZOOptim

/// Draws of one HiZOO step's raw estimates through the verification hook
/// ``DiagonalHessianEstimating/estimate(_:key:blocks:)``: ĝ = g Σ^{1/2} u and Ĥ, at the current
/// θ and H, nothing updated, θ restored bit-exactly. Draw i uses `NoiseKey(seed, i)`; its
/// first direction u is element-for-element the Float64/Float32 Gaussian stream of that key.
public final class HiZOOHookEstimator<Scalar: ZOScalar>: GradientEstimator {
    public let label: String
    public let optimizer: any DiagonalHessianEstimating<Scalar>
    public let seed: UInt64
    public private(set) var forwardPassesPerDraw = 0

    public init(_ optimizer: any DiagonalHessianEstimating<Scalar>, seed: UInt64, label: String) {
        self.optimizer = optimizer
        self.seed = seed
        self.label = label
    }

    /// Builds `name` (hizoo, hizoo-multi, hizoo-l) through the registry.
    public convenience init(_ name: String, options: [String: String], parameters: ParameterSet<Scalar>, seed: UInt64,
                            label: String? = nil) throws {
        let o = try OptimizerRegistry.make(name, options: options, parameters: parameters)
        guard let hooked = o as? any DiagonalHessianEstimating<Scalar> else {
            throw VerifyError.invalidOption("\(name) has no Hessian verification hook")
        }
        self.init(hooked, seed: seed, label: label ?? name)
    }

    public func key(_ index: Int) -> NoiseKey { NoiseKey(seed: seed, stream: UInt64(index)) }

    public func estimate(_ index: Int, on objective: any Objective<Scalar>) throws -> HessianEstimate {
        let e = try optimizer.estimate(objective, key: key(index), blocks: nil)
        forwardPassesPerDraw = e.losses.count
        return e
    }

    public func draw(_ index: Int, on objective: any Objective<Scalar>) throws -> [Double] {
        try estimate(index, on: objective).gradient
    }

    /// u of draw `index` (the first direction), d values.
    public func direction(_ index: Int, count: Int) -> [Double] {
        Noise.values(Scalar.self, count: count, key: key(index)).map(Double.init)
    }
}
