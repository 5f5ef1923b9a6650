import ZOCore

/// SubZero (seed 002; Yu et al. 2024, `zimingyy/SubZero` `large_models/trainer.py`,
/// `zo_subspace_step` / `zo_subspace_update`): MeZO with layer-wise low-rank perturbations.
///
/// For each matrix W ∈ R^{m×n} (a rank-2 tensor after dropping unit dimensions, or a reshaped
/// tensor, below) the optimizer holds orthonormal bases U ∈ R^{m×r}, V ∈ R^{n×r}, redrawn every
/// T steps (lazy subspace): U = qr(G_U).Q, V = qr(G_V).Q with G ~ N(0, 1) from a noise key that
/// depends only on (run seed, epoch ⌊t/T⌋, tensor index), so the bases are reproducible and
/// regenerable. Per step, z₀ ~ N(0, I_{r×r}) is read from the step's noise stream at the
/// matrix's slab offset, and
///   Z = σ · U z₀ Vᵀ        (σ = 1, the paper's rule — default; σ = √(mn)/r, `z-scale=reference`)
/// Other tensors get the full Gaussian z of MeZO (stream element i for slab element i).
///   g = (L(θ + εZ) − L(θ − εZ)) / (2ε);   θ ← θ − η (g Z + λ θ)
/// Forward passes: 2. Backward: 0. State: U and V, Σ (m + n)·r scalars over the matrices, in one
/// ZOCore slab each (measured). Z is never materialised: θ_W += c·(U z₀) Vᵀ is one BLAS gemm with
/// β = 1 on the weight itself (plus an m×r transient for U z₀).
///
/// **Scaling default.** E[vec(Z) vec(Z)ᵀ] = σ² (VVᵀ ⊗ UUᵀ): with σ = 1 the estimate g Z is
/// the gradient projected on the current subspace, the form the paper's variance analysis
/// (Eq. 12) is stated in. The reference code multiplies Z by √(mn)/r so E‖Z‖² = mn matches a
/// full Gaussian of the same size — a per-matrix rescaling of (ε, η) to (σε, σ²η) — which
/// matters when matrices and vectors share one learning rate. ZOLab defaults to the paper's
/// σ = 1 (ALGORITHMS.md: paper rule default, reference behaviour as an option).
///
/// **Reshaping** (`reshape`): "none" (default) — only genuine matrices are low-rank; "adapters"
/// — LoRA / prefix tensors are viewed as the most square m×n' matrix of their element count
/// (the reference code's behaviour in its lora / prefix / prompt modes); "all" — additionally
/// every non-matrix tensor (biases, test-function coordinates). A reshaped tensor whose most
/// square factorisation has a side of 1 (prime length) stays a vector.
///
/// **Rank.** r ≥ 1 and T ≥ 1 are checked by the options; r > min(m, n) for any matrix throws
/// ``OptimizerError/invalidOption(optimizer:option:reason:)`` naming the tensor, unless
/// `cap-rank=true`, which uses min(r, m, n) for that matrix.
///
/// Without weight decay the restore is fused with the update (one gemm of (ε − ηg)·U z₀ Vᵀ).
/// Block-restricted steps: only the tensors of `blocks` move; `blockScales[b]` multiplies block
/// b's update. Bases are kept (and redrawn) for every matrix.
///
/// Convergence budget (tested): diagonal quadratic d = 16 viewed as 4×4 (`reshape=all`), κ = 10,
/// θ₀ = 1, Float64, rank 2, T = 20, lr 0.05, ε 1e-4, seed 1: loss < 1e-3 × initial within 1000 steps.
public final class SubZero<Scalar: ZOScalar>: BlockwiseOptimizer {
    public enum ZScale: String, CaseIterable, Sendable {
        /// Z = U z₀ Vᵀ (the paper).
        case none
        /// Z = √(mn)/r · U z₀ Vᵀ (the reference code).
        case reference
    }

    public enum Reshape: String, CaseIterable, Sendable {
        case none, adapters, all
    }

    /// A tensor perturbed in a subspace: its matrix view and where its bases live.
    public struct MatrixSlot: Sendable, Hashable {
        public let tensor: Int
        public let rows: Int
        public let cols: Int
        public let rank: Int
        /// Offsets of U (rows × rank) and V (cols × rank), row-major, in `bases`.
        public let uOffset: Int
        public let vOffset: Int
        /// σ of this matrix.
        public let scale: Double
    }

    public let name = "subzero"
    public let learningRate: Double
    public let epsilon: Double
    public let rank: Int
    public let period: Int
    public let zScale: ZScale
    public let reshape: Reshape
    public let capRank: Bool
    public let weightDecay: Double
    public let decayGroups: DecayGroups
    public let parameters: ParameterSet<Scalar>
    /// Matrix slot of each tensor (nil: full Gaussian).
    public let slots: [MatrixSlot?]
    /// U and V of every matrix, one slab.
    private let bases: Slab<Scalar>
    /// The subspace epoch ⌊t/T⌋ the bases belong to (nil before the first step).
    public private(set) var epoch: Int?
    private var basesSeed: UInt64?

    public init(parameters: ParameterSet<Scalar>, learningRate: Double, epsilon: Double = 1e-3, rank: Int = 8,
                period: Int = 2000, zScale: ZScale = .none, reshape: Reshape = .none, capRank: Bool = false,
                weightDecay: Double = 0, decayGroups: DecayGroups = .weights) throws {
        precondition(learningRate > 0 && epsilon > 0 && weightDecay >= 0)
        guard rank >= 1 else { throw OptimizerError.invalidOption(optimizer: "subzero", option: "rank", reason: "must be ≥ 1") }
        guard period >= 1 else { throw OptimizerError.invalidOption(optimizer: "subzero", option: "period", reason: "must be ≥ 1") }
        self.parameters = parameters
        self.learningRate = learningRate
        self.epsilon = epsilon
        self.rank = rank
        self.period = period
        self.zScale = zScale
        self.reshape = reshape
        self.capRank = capRank
        self.weightDecay = weightDecay
        self.decayGroups = decayGroups
        var slots: [MatrixSlot?] = []
        var total = 0
        for (t, tensor) in parameters.tensors.enumerated() {
            guard let (m, n) = Self.matrixShape(of: tensor, reshape: reshape) else { slots.append(nil); continue }
            var r = rank
            if r > min(m, n) {
                guard capRank else {
                    throw OptimizerError.invalidOption(
                        optimizer: "subzero", option: "rank",
                        reason: "rank \(rank) exceeds min(m, n) = \(min(m, n)) of tensor '\(tensor.name)' viewed as \(m)×\(n); lower the rank or set cap-rank=true")
                }
                r = min(m, n)
            }
            let sigma = zScale == .reference ? (Double(m) * Double(n)).squareRoot() / Double(r) : 1
            slots.append(MatrixSlot(tensor: t, rows: m, cols: n, rank: r, uOffset: total, vOffset: total + m * r, scale: sigma))
            total += (m + n) * r
        }
        self.slots = slots
        self.bases = Slab(count: total)
    }

    /// The matrix view (m, n) SubZero uses for `tensor`, or nil for a full Gaussian.
    public static func matrixShape(of tensor: ParameterTensorInfo, reshape: Reshape) -> (Int, Int)? {
        let dims = tensor.shape.dimensions.filter { $0 != 1 }
        let adapter = tensor.role == .lora || tensor.role == .prefix
        let reshaped = tensor.count > 0 && ((reshape == .adapters && adapter) || reshape == .all && (adapter || dims.count != 2))
        if reshaped {
            let f = Shape.mostSquareFactors(of: tensor.count)
            return f.rows >= 2 ? (f.rows, f.cols) : nil
        }
        return dims.count == 2 ? (dims[0], dims[1]) : nil
    }

    public var settings: [String: String] {
        ["lr": "\(learningRate)", "eps": "\(epsilon)", "rank": "\(rank)", "period": "\(period)",
         "z-scale": zScale.rawValue, "reshape": reshape.rawValue, "cap-rank": "\(capRank)",
         "weight-decay": "\(weightDecay)", "decay-groups": decayGroups.rawValue]
    }

    public var stateBytes: Int { bases.byteCount }

    public func saveState() -> OptimizerState<Scalar> {
        guard let epoch, let basesSeed else { return OptimizerState() }
        return OptimizerState(buffers: ["bases": bases.array],
                              integers: ["epoch": epoch, "bases-seed": Int(bitPattern: UInt(basesSeed))])
    }

    public func loadState(_ state: OptimizerState<Scalar>) throws {
        guard state.integers["epoch"] != nil else { epoch = nil; basesSeed = nil; return }
        let b = try state.buffer("bases", count: bases.count)
        bases.base.update(from: b, count: b.count)
        epoch = try state.integer("epoch")
        basesSeed = UInt64(UInt(bitPattern: try state.integer("bases-seed")))
    }

    /// U of matrix `slot` (rows × rank, row-major) — a copy, for tests and diagnostics.
    public func basis(_ slot: MatrixSlot) -> (u: [Scalar], v: [Scalar]) {
        (Array(UnsafeBufferPointer(start: bases.base + slot.uOffset, count: slot.rows * slot.rank)),
         Array(UnsafeBufferPointer(start: bases.base + slot.vOffset, count: slot.cols * slot.rank)))
    }

    /// The key the bases of `epoch` are drawn from: a Philox key of its own (the run seed mixed
    /// with a constant), so it never collides with a step's perturbation stream.
    public static func subspaceKey(runSeed: UInt64, epoch: Int) -> NoiseKey {
        NoiseKey(seed: SplitMix64.mix(runSeed ^ 0x5355_425A_4552_4F21), stream: UInt64(epoch))
    }

    /// Draws U and V of every matrix for `epoch`: Householder QR of Gaussian matrices.
    private func redrawBases(runSeed: UInt64, epoch: Int) {
        let key = Self.subspaceKey(runSeed: runSeed, epoch: epoch)
        for case let slot? in slots {
            for (offset, count, salt) in [(slot.uOffset, slot.rows, 0), (slot.vOffset, slot.cols, 1)] as [(Int, Int, UInt64)] {
                let g = Noise.values(Scalar.self, count: count * slot.rank,
                                     key: key.derived(UInt64(slot.tensor) &* 2 &+ salt)).map(Double.init)
                let q = DenseLinearAlgebra.householderQR(g, rows: count, cols: slot.rank).q
                q.withUnsafeBufferPointer {
                    ElementwiseKernels.store($0.baseAddress!, count: q.count, scale: 1, into: bases.base + offset, accumulate: false)
                }
            }
        }
        self.epoch = epoch
        self.basesSeed = runSeed
    }


    public func step(_ objective: any Objective<Scalar>, context: StepContext, blocks: [Int],
                     blockScales: [Double]?) throws -> StepReport {
        _ = TensorSlots.of(parameters, blocks: blocks, blockScales: blockScales)
        let eta = learningRate * context.learningRateMultiplier
        let e0 = context.step / period
        var redrawn = 0.0
        if epoch != e0 || basesSeed != context.runSeed {
            redrawBases(runSeed: context.runSeed, epoch: e0)
            redrawn = 1
        }
        let direction = direction(blocks: blocks)
        let e = try ZOStepSupport.estimate(objective, direction: direction, key: context.noiseKey, epsilon: epsilon,
                                           step: context.step)
        ZOStepSupport.linearUpdate(parameters, blocks: blocks, blockScales: blockScales, direction: direction,
                                   restricted: { self.direction(blocks: $0) }, key: context.noiseKey, epsilon: epsilon,
                                   learningRate: eta, coefficient: e.projectedGradient, weightDecay: weightDecay,
                                   groups: decayGroups)
        return StepReport(step: context.step, loss: 0.5 * (e.lossPlus + e.lossMinus), losses: [e.lossPlus, e.lossMinus],
                          forwardPasses: 2, backwardPasses: 0, projectedGradients: [e.projectedGradient],
                          activeBlocks: blocks, stateBytes: stateBytes, diagnostics: ["basesRedrawn": redrawn])
    }

    /// The low-rank direction on `blocks` with the current bases.
    public func direction(blocks: [Int]) -> SubspaceDirection<Scalar> {
        SubspaceDirection(activeBlocks: blocks, slots: slots, bases: bases)
    }
}

/// SubZero's direction: σ U z₀ Vᵀ on matrices (z₀ = the step stream's r² values at the
/// matrix's slab offset), the step stream itself on other tensors. Regenerated, never stored.
public struct SubspaceDirection<Scalar: ZOScalar>: PerturbationDirection {
    public let activeBlocks: [Int]
    let slots: [SubZero<Scalar>.MatrixSlot?]
    let bases: Slab<Scalar>

    public func add(scale: Double, key: NoiseKey, to parameters: ParameterSet<Scalar>) {
        for b in activeBlocks {
            for t in parameters.blocks[b].tensors {
                let tensor = parameters.tensors[t]
                guard let slot = slots[t] else {
                    Noise.addScaled(parameters.view(t).buffer, scale: Scalar(scale), key: key, first: tensor.offset)
                    continue
                }
                let (m, n, r) = (slot.rows, slot.cols, slot.rank)
                let z0 = Noise.values(Scalar.self, count: r * r, key: key, first: tensor.offset)   // [r × r]
                var w = [Scalar](repeating: 0, count: m * r)                                       // [m × r] = U z₀
                z0.withUnsafeBufferPointer { z in
                    w.withUnsafeMutableBufferPointer { w in
                        BLAS.gemm(m: m, n: r, k: r, a: bases.base + slot.uOffset, b: z.baseAddress!, c: w.baseAddress!)
                    }
                }
                // θ_W [m × n] += (scale·σ) · W Vᵀ  (V: [n × r], so op(B) = Vᵀ: [r × n])
                w.withUnsafeBufferPointer { w in
                    BLAS.gemm(transB: true, m: m, n: n, k: r, alpha: Scalar(scale * slot.scale), a: w.baseAddress!,
                              b: bases.base + slot.vOffset, beta: 1, c: parameters.values.base + tensor.offset)
                }
            }
        }
    }
}

/// Registry entry for ``SubZero``.
public enum SubZeroFactory: OptimizerFactory {
    public static let name = "subzero"
    public static let summary = "SubZero: layer-wise low-rank perturbations U z₀ Vᵀ in lazily redrawn subspaces (2 forwards, (m+n)r state per matrix)"
    public static let family = OptimizerFamily.zerothOrder
    public static let options: [OptionSpec] = [
        .real("lr", 1e-3, .positive, "learning rate η"),
        .real("eps", 1e-3, .positive, "perturbation scale ε"),
        .integer("rank", 8, .atLeast(1), "subspace rank r (reference code 8; README 24)"),
        .integer("period", 2000, .atLeast(1), "steps T between subspace redraws (reference code 2000; README 1000)"),
        .choice("z-scale", "none", SubZero<Double>.ZScale.allCases.map(\.rawValue),
                "none: Z = U z₀ Vᵀ (paper); reference: × √(mn)/r (reference code)"),
        .choice("reshape", "none", SubZero<Double>.Reshape.allCases.map(\.rawValue),
                "view as most-square matrices: none, adapters (LoRA/prefix), all (also vectors)"),
        .flag("cap-rank", false, "use min(r, m, n) for matrices smaller than the rank instead of failing"),
        .real("weight-decay", 0, .nonNegative, "weight decay λ"),
        DecayGroups.option,
    ]

    public static func make<S: ZOScalar>(_ o: OptimizerOptions, parameters: ParameterSet<S>) throws -> any Optimizer<S> {
        try SubZero(parameters: parameters, learningRate: o.real("lr"), epsilon: o.real("eps"), rank: o.integer("rank"),
                    period: o.integer("period"), zScale: SubZero<S>.ZScale(rawValue: o.choice("z-scale"))!,
                    reshape: SubZero<S>.Reshape(rawValue: o.choice("reshape"))!, capRank: o.flag("cap-rank"),
                    weightDecay: o.real("weight-decay"), decayGroups: DecayGroups(rawValue: o.choice("decay-groups"))!)
    }
}
