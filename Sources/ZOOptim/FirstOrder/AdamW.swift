import ZOCore

/// Registry entry for AdamW: ``Adam`` with decoupled weight decay θ ← (1 − ηλ)θ, by default
/// only on tensors of rank ≥ 2 (nanoGPT: matrices and embeddings decay, biases and norms do
/// not), λ = 0.1 (nanoGPT's default). See ``Adam`` for the update, counts and state.
public enum AdamWFactory: OptimizerFactory {
    public static let name = "adamw"
    public static let summary = "AdamW: Adam with decoupled decay on ≥2-D tensors, as nanoGPT (1 forward + 1 backward, 2d state)"
    public static let family = OptimizerFamily.firstOrder
    public static let options: [OptionSpec] = [
        .real("lr", 1e-3, .positive, "learning rate η"),
        .real("beta1", 0.9, .unitOpen, "first-moment decay β₁"),
        .real("beta2", 0.999, .unitOpen, "second-moment decay β₂"),
        .real("eps", 1e-8, .positive, "denominator epsilon"),
        .real("weight-decay", 0.1, .nonNegative, "decoupled weight decay λ (nanoGPT 0.1)"),
        .choice("decay-groups", "matrices", Adam<Double>.DecoupledDecayGroups.allCases.map(\.rawValue),
                "tensors that decay: matrices (rank ≥ 2, nanoGPT; a test function's coordinate vector is rank 1 and does not decay), weights, all, none"),
    ]

    public static func make<S: ZOScalar>(_ o: OptimizerOptions, parameters: ParameterSet<S>) throws -> any Optimizer<S> {
        Adam(parameters: parameters, decoupled: true, learningRate: o.real("lr"), beta1: o.real("beta1"),
             beta2: o.real("beta2"), epsilon: o.real("eps"), weightDecay: o.real("weight-decay"),
             decayGroups: o.choice("decay-groups"))
    }
}
