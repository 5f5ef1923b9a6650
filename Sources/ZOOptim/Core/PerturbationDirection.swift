import ZOCore

/// A random direction z(key) in parameter space that is *regenerated* from its key instead of
/// stored: ZO methods add multiples of it to θ in place (perturb, restore, update).
///
/// Implementations: ``StreamDirection`` (Gaussian / Rademacher on chosen blocks, optionally
/// scaled element-wise, e.g. HiZOO's Σ^{1/2}); Sparse MeZO's masked and SubZero's low-rank
/// directions live with their optimizers.
public protocol PerturbationDirection<Scalar> {
    associatedtype Scalar: ZOScalar

    /// θ ← θ + scale · z(key) on the direction's support.
    func add(scale: Double, key: NoiseKey, to parameters: ParameterSet<Scalar>)

    /// Parameter blocks the direction touches.
    var activeBlocks: [Int] { get }

    /// z(key) as a dense vector of d elements (0 off the support). For tests and diagnostics:
    /// O(d) memory, never on a hot path.
    func materialize(key: NoiseKey, parameters: ParameterSet<Scalar>) -> [Scalar]
}

extension PerturbationDirection {
    /// Default `materialize`: add z to a zeroed copy of the parameters.
    public func materialize(key: NoiseKey, parameters: ParameterSet<Scalar>) -> [Scalar] {
        let saved = parameters.snapshot()
        parameters.values.fill(0)
        add(scale: 1, key: key, to: parameters)
        let z = parameters.snapshot()
        parameters.assign(saved)
        return z
    }
}

/// z = (noise stream `key`) restricted to `blocks`, optionally multiplied element-wise by
/// `multiplier` (one buffer per active block, aligned with the block's range).
///
/// Element i of θ always gets element i of the stream, so a block subset sees exactly the
/// values a full perturbation would.
public struct StreamDirection<Scalar: ZOScalar>: PerturbationDirection {
    public let activeBlocks: [Int]
    public let kind: NoiseKind
    /// Per active block (same order as `activeBlocks`), element-wise scales, or nil.
    public let multipliers: [UnsafeBufferPointer<Scalar>]?

    /// All blocks of `parameters`.
    public init(parameters: ParameterSet<Scalar>, kind: NoiseKind = .gaussian) {
        self.init(blocks: Array(parameters.blocks.indices), kind: kind)
    }

    public init(blocks: [Int], kind: NoiseKind = .gaussian, multipliers: [UnsafeBufferPointer<Scalar>]? = nil) {
        precondition(multipliers == nil || multipliers!.count == blocks.count, "one multiplier per active block")
        self.activeBlocks = blocks
        self.kind = kind
        self.multipliers = multipliers
    }

    public func add(scale: Double, key: NoiseKey, to parameters: ParameterSet<Scalar>) {
        for (i, b) in activeBlocks.enumerated() {
            let range = parameters.blocks[b].range
            let target = parameters.blockBuffer(b)
            if let multipliers {
                precondition(multipliers[i].count == range.count, "multiplier of block \(b) has the wrong size")
                Noise.addScaled(target, scale: Scalar(scale), multiplier: multipliers[i], key: key, kind: kind,
                                first: range.lowerBound)
            } else {
                Noise.addScaled(target, scale: Scalar(scale), key: key, kind: kind, first: range.lowerBound)
            }
        }
    }
}
