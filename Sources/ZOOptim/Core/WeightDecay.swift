import ZOCore

/// Which tensors receive weight decay. MeZO (large models) skips biases and layer norms,
/// MeZO (medium) and HiZOO decay all, ZO-Bench and SubZero none (ALGORITHMS.md).
public enum DecayGroups: String, CaseIterable, Sendable, Codable {
    /// Tensors whose ``TensorRole/decaysByDefault`` is true: everything but biases and norms
    /// (weights, embeddings, adapters, test-function coordinates).
    case weights
    /// Every tensor.
    case all
    /// No tensor (same as λ = 0).
    case none

    public func decays(_ tensor: ParameterTensorInfo) -> Bool {
        switch self {
        case .weights: return tensor.role.decaysByDefault
        case .all: return true
        case .none: return false
        }
    }

    public static let option = OptionSpec.choice("decay-groups", "weights", allCases.map(\.rawValue),
                                                 "tensors that get weight decay: weights (all but biases and norms; test-function coordinates decay), all, none")
}

public enum WeightDecay {
    /// θ ← (1 − factor)·θ on the decaying tensors of `blocks` (all blocks when nil).
    /// `factor` = η·λ. No-op when `factor` is 0.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public static func apply<S: ZOScalar>(
        factor: Double, groups: DecayGroups, to parameters: ParameterSet<S>, blocks: [Int]? = nil
    ) {
        guard factor != 0, groups != .none else { return }
        let keep = S(1 - factor)
        let blockSet = blocks.map(Set.init)
        for (i, t) in parameters.tensors.enumerated() where groups.decays(t) {
            if let blockSet, !blockSet.contains(t.block) { continue }
            let v = parameters.view(i).buffer
            for k in v.indices { v[k] *= keep }
        }
    }
}
