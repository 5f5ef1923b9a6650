import ZOCore

/// The single-sample diagonal Hessian estimate of HiZOO.
///
/// With u ~ N(0, I), Σ = H⁻¹ the current preconditioner, v = μ Σ^{1/2} u and the second
/// difference c = (L(θ+v) + L(θ−v) − 2L(θ)) / (2μ²):
/// - ``paper`` (seed 004 Eq. 5): Ĥ_ii = c · (u_i² − 1) · H_ii. For a quadratic with Hessian A,
///   c = ½ uᵀMu with M = Σ^{1/2} A Σ^{1/2}, and the MiNES lemma E[(uᵀMu)(uuᵀ − I)] = 2M gives
///   E[Ĥ_ii] = M_ii / Σ_ii = A_ii: unbiased for any fixed Σ (also off-diagonal A). On other
///   functions the bias is O(μ²) (fourth derivatives).
/// - ``omitTerm`` (reference code, seed 004 App. H.2): Ĥ_ii = |c| · H_ii · u_i². Biased: for a
///   quadratic E[Ĥ_ii] = ½ H_ii (tr M + 2 M_ii); with H = λ·diag(A) (A diagonal) that is
///   (1 + d/2) A_ii for every λ, so the EMA's fixed point is (1 + d/2)·diag(A) — a uniform
///   inflation by 1 + d/2, which only rescales the learning rate.
public enum HessianEstimator: String, CaseIterable, Sendable, Codable {
    case paper
    case omitTerm = "omit-term"
}

/// Which Σ multiplies the update direction: the one just updated by this step's Hessian
/// estimate (``new``, the reference code) or the one used for the perturbation (``old``).
public enum SigmaForUpdate: String, CaseIterable, Sendable, Codable {
    case new
    case old
}

/// Which of the n (L₊, L₋) pairs of a HiZOO-multi step feed the update: the first only
/// (``first``: n Hessian samples, one descent direction as in Eqs. 1–2) or the mean of all
/// n projected-gradient directions (``all``).
public enum GradientSamples: String, CaseIterable, Sendable, Codable {
    case first
    case all
}

/// Where HiZOO keeps H: one slab for all of θ (``full``, d scalars) or one slab per block
/// that a block-coordinate wrapper activated (``activeBlocks``, B-PDF: memory ∝ active blocks).
public enum HessianStorage: String, CaseIterable, Sendable, Codable {
    case full
    case activeBlocks = "active"
}

/// Hyper-parameters of ``HiZOO`` and ``HiZOOL``. ``validate(for:)`` turns every bad value
/// into an ``OptimizerError/invalidOption(optimizer:option:reason:)``.
public struct HiZOOConfiguration: Sendable, Hashable {
    /// η.
    public var learningRate: Double = 1e-3
    /// μ, the perturbation scale (the paper's ε).
    public var mu: Double = 1e-3
    /// α, the EMA "smooth scale" of Eq. 6, in [0, 1]. 0 freezes H (then HiZOO with H ≡ 1 is
    /// MeZO with one extra forward — the reference code's default).
    public var alpha: Double = 1e-3
    public var estimator: HessianEstimator = .paper
    /// n, Hessian samples per step (HiZOO-multi); forward passes per step are 1 + 2n.
    public var hessianSamples: Int = 1
    public var gradientSamples: GradientSamples = .first
    /// Clamp of every H entry after each update (B-PDF rebuttal). `hMin` is also the floor
    /// that keeps H from underflowing: it must be a normal number of the scalar type.
    public var hMin: Double = 1e-12
    public var hMax: Double = 1e12
    /// Value H is (re-)initialised to (the paper: 1, i.e. Σ = I).
    public var hInit: Double = 1
    public var sigmaForUpdate: SigmaForUpdate = .new
    public var weightDecay: Double = 0
    public var decayGroups: DecayGroups = .weights
    public var storage: HessianStorage = .full
    /// Re-initialise H to `hInit` for blocks that enter the active set (for every block of it
    /// when the wrapper's reset is ``BlockStateReset/all``;
    /// ``BlockwiseOptimizer/activeBlocksChanged(to:reset:)``). Required with `.activeBlocks`.
    public var resetEnteringBlocks: Bool = true

    public init(learningRate: Double = 1e-3, mu: Double = 1e-3, alpha: Double = 1e-3) {
        self.learningRate = learningRate
        self.mu = mu
        self.alpha = alpha
    }

    /// Settings as text (``Optimizer/settings``).
    public var settings: [String: String] {
        ["lr": "\(learningRate)", "mu": "\(mu)", "alpha": "\(alpha)", "estimator": estimator.rawValue,
         "hessian-samples": "\(hessianSamples)", "gradient-samples": gradientSamples.rawValue,
         "h-min": "\(hMin)", "h-max": "\(hMax)", "h-init": "\(hInit)", "sigma-for-update": sigmaForUpdate.rawValue,
         "weight-decay": "\(weightDecay)", "decay-groups": decayGroups.rawValue, "hessian-storage": storage.rawValue,
         "reset-entering": "\(resetEnteringBlocks)"]
    }

    /// Checks every value (finite, in range, representable in `S`).
    public func validate<S: ZOScalar>(for scalar: S.Type, optimizer: String) throws {
        func fail(_ option: String, _ reason: String) -> OptimizerError {
            .invalidOption(optimizer: optimizer, option: option, reason: reason)
        }
        let reals: [(String, Double)] = [("lr", learningRate), ("mu", mu), ("alpha", alpha), ("h-min", hMin),
                                         ("h-max", hMax), ("h-init", hInit), ("weight-decay", weightDecay)]
        for (name, v) in reals where !v.isFinite { throw fail(name, "\(v) is not a finite number") }
        guard learningRate > 0 else { throw fail("lr", "\(learningRate) must be > 0") }
        guard mu > 0 else { throw fail("mu", "\(mu) must be > 0") }
        guard (0...1).contains(alpha) else { throw fail("alpha", "\(alpha) must be in [0, 1]") }
        guard weightDecay >= 0 else { throw fail("weight-decay", "\(weightDecay) must be ≥ 0") }
        guard hessianSamples >= 1 else { throw fail("hessian-samples", "\(hessianSamples) must be ≥ 1") }
        let least = Double(S.leastNormalMagnitude), greatest = Double(S.greatestFiniteMagnitude)
        guard hMin >= least else {
            throw fail("h-min", "\(hMin) is below the smallest normal \(S.self) (\(least)): H would underflow")
        }
        guard hMax <= greatest else {
            throw fail("h-max", "\(hMax) exceeds the largest finite \(S.self) (\(greatest))")
        }
        guard hMin < hMax else { throw fail("h-min", "h-min (\(hMin)) must be < h-max (\(hMax))") }
        guard hInit >= hMin && hInit <= hMax else {
            throw fail("h-init", "\(hInit) must lie in [h-min, h-max] = [\(hMin), \(hMax)]")
        }
        guard (mu * mu).isNormal else { throw fail("mu", "μ² = \((mu * mu)) underflows: μ is too small") }
        if storage == .activeBlocks && !resetEnteringBlocks {
            throw fail("reset-entering", "must be true with hessian-storage = active (a released block has no H to keep)")
        }
    }

    /// The shared option declarations of the HiZOO family (`hessianSamples` default varies).
    static func optionSpecs(hessianSamples: Int, storage: Bool) -> [OptionSpec] {
        var specs: [OptionSpec] = [
            .real("lr", 1e-3, .positive, "learning rate η"),
            .real("mu", 1e-3, .positive, "perturbation scale μ (the paper's ε)"),
            .real("alpha", 1e-3, .unitClosed, "EMA smooth scale α of H (0 freezes H: HiZOO ≡ MeZO with H ≡ 1)"),
            .choice("estimator", HessianEstimator.paper.rawValue, HessianEstimator.allCases.map(\.rawValue),
                    "diagonal Hessian estimate: paper (Eq. 5, unbiased) or omit-term (reference code, biased)"),
            .integer("hessian-samples", hessianSamples, .atLeast(1), "Hessian samples n per step (1 + 2n forwards)"),
            .choice("gradient-samples", GradientSamples.first.rawValue, GradientSamples.allCases.map(\.rawValue),
                    "update along the first sample's direction or the mean of all n"),
            .real("h-min", 1e-12, .positive, "lower clamp of H (also the underflow floor)"),
            .real("h-max", 1e12, .positive, "upper clamp of H"),
            .real("h-init", 1, .positive, "initial H (Σ = 1/h-init)"),
            .choice("sigma-for-update", SigmaForUpdate.new.rawValue, SigmaForUpdate.allCases.map(\.rawValue),
                    "Σ in the update: new (after this step's Hessian update, reference code) or old"),
            .real("weight-decay", 0, .nonNegative, "weight decay λ"),
            DecayGroups.option,
            .flag("reset-entering", true, "re-initialise H of blocks entering a BCD active set"),
        ]
        if storage {
            specs.append(.choice("hessian-storage", HessianStorage.full.rawValue, HessianStorage.allCases.map(\.rawValue),
                                 "full: H for all of θ; active: only for blocks a BCD wrapper activated"))
        }
        return specs
    }

    /// Reads the declared options (see ``optionSpecs(hessianSamples:storage:)``).
    init(options o: OptimizerOptions) {
        self.init(learningRate: o.real("lr"), mu: o.real("mu"), alpha: o.real("alpha"))
        estimator = HessianEstimator(rawValue: o.choice("estimator"))!
        hessianSamples = o.integer("hessian-samples")
        gradientSamples = GradientSamples(rawValue: o.choice("gradient-samples"))!
        hMin = o.real("h-min")
        hMax = o.real("h-max")
        hInit = o.real("h-init")
        sigmaForUpdate = SigmaForUpdate(rawValue: o.choice("sigma-for-update"))!
        weightDecay = o.real("weight-decay")
        decayGroups = DecayGroups(rawValue: o.choice("decay-groups"))!
        resetEnteringBlocks = o.flag("reset-entering")
        if o.values["hessian-storage"] != nil {
            storage = HessianStorage(rawValue: o.choice("hessian-storage"))!
        }
    }
}
