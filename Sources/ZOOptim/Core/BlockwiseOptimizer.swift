import ZOCore

/// An optimizer whose step can be restricted to a subset of parameter blocks — what the
/// block-coordinate wrappers (BCD, B-PDF, BAdam-style BCD-Adam) drive.
///
/// Contract:
/// - `step(_:context:blocks:blockScales:)` perturbs, estimates and updates only `blocks`
///   (indices into `parameters.blocks`); every other element of θ is untouched, bit for bit.
///   Element i still uses element i of the step's noise stream.
/// - `blockScales[j]`, when given, multiplies the *update* of `blocks[j]` (not the
///   perturbation): randomized BCD passes Z_i/p_i to keep the block estimate unbiased.
/// - `activeBlocksChanged(to:reset:)` is called by the wrapper before the first step of every
///   period (also when the set did not change): a method holding per-block state may release
///   it for blocks that left (B-PDF keeps Hessians only for active blocks) and must
///   re-initialise it (HiZOO: H = h-init; Adam: m = v = 0, t = 0) for the blocks `reset`
///   names — those that entered (``BlockStateReset/entering``) or every block of the new set
///   (``BlockStateReset/all``, BAdam's reference code). ``Optimizer/stateBytes`` reflects the
///   change.
public protocol BlockwiseOptimizer<Scalar>: Optimizer {
    /// The parameter set the optimizer was built for.
    var parameters: ParameterSet<Scalar> { get }

    func step(_ objective: any Objective<Scalar>, context: StepContext, blocks: [Int],
              blockScales: [Double]?) throws -> StepReport

    func activeBlocksChanged(to blocks: [Int], reset: BlockStateReset)
}

/// Which blocks' optimizer state a block switch re-initialises.
public enum BlockStateReset: String, CaseIterable, Sendable {
    /// Only blocks that were not in the previous set; blocks that stay active keep their state.
    case entering
    /// Every block of the new set, also one that stays (or is re-selected): BAdam's
    /// `switch_trainable_params` replaces the whole optimizer state at every switch.
    case all
}

extension BlockwiseOptimizer {
    /// Stateless methods need no bookkeeping.
    public func activeBlocksChanged(to blocks: [Int], reset: BlockStateReset) {}

    /// ``activeBlocksChanged(to:reset:)`` re-initialising the entering blocks only.
    public func activeBlocksChanged(to blocks: [Int]) { activeBlocksChanged(to: blocks, reset: .entering) }

    /// A full step is the block-restricted step over every block, unscaled.
    public func step(_ objective: any Objective<Scalar>, context: StepContext) throws -> StepReport {
        try step(objective, context: context, blocks: Array(parameters.blocks.indices), blockScales: nil)
    }
}
