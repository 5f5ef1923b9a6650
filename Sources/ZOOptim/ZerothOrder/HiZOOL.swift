import ZOCore

/// HiZOO-L: HiZOO with the diagonal H of every matrix kept in Adafactor factored form
/// (seed 004 §3.3 and App. D.2; Shazeer & Stern 2018 — the public HiZOO code has no HiZOO-L).
///
/// For a rank-2 tensor W (m×n, row-major) the store holds r ∈ R^m and c ∈ R^n and
///   H_ij = clamp(r_i c_j / Σ_k r_k, h-min, h-max).
/// Each step forms the raw estimates Ĥ_ij exactly as ``HiZOO`` does (paper or omit-term, with
/// the factored H as the current H) and updates the factors from the row and column sums of
/// |Ĥ|:  r ← (1 − α) r + α |Ĥ| 1_n,  c ← (1 − α) c + α 1_mᵀ |Ĥ|,
/// r_i clamped to [n·h-min, n·h-max] and c_j to [m·h-min, m·h-max] (the row / column sums of a
/// matrix at the clamps; `hessianClampedLow/High` count clamped factor entries for matrices).
/// Initialisation r_i = n·h-init, c_j = m·h-init gives H ≡ h-init. When |Ĥ| (or every matrix
/// fed to the EMA) is an outer product a bᵀ, r cᵀ/Σr reproduces it exactly: rows sum to
/// a Σb, columns to b Σa, and (a Σb)(b Σa)ᵀ/(Σa Σb) = a bᵀ. Vectors, scalars and tensors of
/// rank ≥ 3 keep a full diagonal and are stepped exactly as HiZOO steps them (bit-identical).
///
/// Forward passes: 1 + 2n (as HiZOO). State: Σ over matrices of (m + n) plus the element
/// count of every other tensor, in the parameter type (one ``Slab``). A matrix costs two more
/// noise regenerations than HiZOO's fused pass: one for the row/column sums, one for the
/// restore + update (with the old and the new factors); those passes run on one thread
/// (column sums must be reduced in a fixed order).
///
/// Convergence budget (tested): a 4×5 matrix with rank-1 curvature A_ij = a_i b_j (κ = 20)
/// plus a 5-vector bias, from θ = 1, η = 0.1, μ = 1e-4, α = 0.01: 2000 steps bring the loss
/// below 1e-3 of its start (seed 3, Double).
public final class HiZOOL<Scalar: ZOScalar>: DiagonalHessianEstimating {
    /// Where tensor t's Hessian lives in `factors`.
    struct Entry {
        var factored: Bool
        var rows: Int
        var cols: Int
        /// First element of r (factored) or of the diagonal.
        var offset: Int
        var stateCount: Int { factored ? rows + cols : rows * cols }
    }

    public let name: String
    public let configuration: HiZOOConfiguration
    public let parameters: ParameterSet<Scalar>
    let entries: [Entry]
    let factors: Slab<Scalar>
    private var activeSet: Set<Int>

    public init(parameters: ParameterSet<Scalar>, configuration: HiZOOConfiguration, name: String = "hizoo-l") throws {
        try configuration.validate(for: Scalar.self, optimizer: name)
        guard configuration.storage == .full else {
            throw OptimizerError.invalidOption(optimizer: name, option: "hessian-storage",
                                               reason: "HiZOO-L keeps factors for all blocks (use b-pdf for active-only Hessians)")
        }
        self.name = name
        self.configuration = configuration
        self.parameters = parameters
        var entries: [Entry] = []
        var offset = 0
        for t in parameters.tensors {
            let e = t.isMatrix ? Entry(factored: true, rows: t.shape[0], cols: t.shape[1], offset: offset)
                               : Entry(factored: false, rows: 1, cols: t.count, offset: offset)
            entries.append(e)
            offset += e.stateCount
        }
        self.entries = entries
        self.factors = Slab(count: offset)
        self.activeSet = Set(parameters.blocks.indices)
        for t in entries.indices { reset(tensor: t) }
    }

    public var settings: [String: String] {
        var s = configuration.settings
        s["hessian-storage"] = nil
        return s
    }

    public var stateBytes: Int { factors.byteCount }

    // MARK: Factored H

    private func reset(tensor t: Int) {
        let e = entries[t], h0 = configuration.hInit
        let p = factors.base + e.offset
        if e.factored {
            for i in 0..<e.rows { p[i] = Scalar(Double(e.cols) * h0) }
            for j in 0..<e.cols { p[e.rows + j] = Scalar(Double(e.rows) * h0) }
        } else {
            for i in 0..<e.stateCount { p[i] = Scalar(h0) }
        }
    }

    private func factorsOf(_ t: Int) -> FactoredHessian {
        let e = entries[t]
        return FactoredHessian(UnsafePointer(factors.base + e.offset), rows: e.rows, cols: e.cols)
    }

    /// H of tensor t's element k (row-major), clamped.
    private func hessianEntry(_ t: Int, _ f: FactoredHessian?, _ k: Int) -> Double {
        let e = entries[t]
        if let f { return f.h(k / e.cols, k % e.cols, configuration.hMin, configuration.hMax) }
        return Double(factors.base[e.offset + k])
    }

    /// EMA of the factors of matrix t from row / column sums of |Ĥ|, with the factor clamps.
    private func updateFactors(_ t: Int, rowSums: [Double], colSums: [Double], alpha: Double, tally: inout HiZOOTally) {
        let e = entries[t], c = configuration
        let p = factors.base + e.offset
        let greatest = Double(Scalar.greatestFiniteMagnitude)
        func update(_ k: Int, _ sum: Double, _ width: Int) {
            let lo = Double(width) * c.hMin, hi = min(Double(width) * c.hMax, greatest)
            p[k] = Scalar(HiZOOKernels.smoothed(Double(p[k]), estimate: sum, alpha: alpha, hMin: lo, hMax: hi,
                                                tally: &tally))
        }
        for i in 0..<e.rows { update(i, rowSums[i], e.cols) }
        for j in 0..<e.cols { update(e.rows + j, colSums[j], e.rows) }
    }

    // MARK: Steps


    public func step(_ objective: any Objective<Scalar>, context: StepContext, blocks: [Int],
                     blockScales: [Double]?) throws -> StepReport {
        precondition(objective.parameters === parameters, "HiZOO-L was built for another parameter set")
        precondition(blockScales == nil || blockScales!.count == blocks.count, "one scale per active block")
        precondition(blocks.allSatisfy { parameters.blocks.indices.contains($0) }, "block index out of range")
        let c = configuration
        let n = c.hessianSamples
        let eta = c.learningRate * context.learningRateMultiplier
        let keys = HiZOO<Scalar>.sampleKeys(context.noiseKey, count: n)
        let e = try HiZOOEvaluation(objective, keys: keys, mu: c.mu, step: context.step, leaveDisplaced: true) {
            move($0, $1, blocks)
        }
        let curvatures = e.secondDifferences.map { c.estimator == .paper ? $0 : abs($0) }
        let hessianOK = curvatures.allSatisfy(\.isFinite)
        let plan = HiZOOStepPlan(
            keys: keys, curvatures: hessianOK ? curvatures : curvatures.map { _ in 0 }, estimator: c.estimator,
            alpha: hessianOK ? c.alpha : 0, hMin: c.hMin, hMax: c.hMax, restoreScale: c.mu,
            updateCoefficients: (0..<n).map { j in
                c.gradientSamples == .all ? -eta * e.gradients[j] / Double(n) : (j == 0 ? -eta * e.gradients[0] : 0)
            },
            useNewSigma: c.sigmaForUpdate == .new)
        var tally = HiZOOTally(samples: n)
        var blockSquares: [[Double]] = []
        for (bi, b) in blocks.enumerated() {
            var blockTally = HiZOOTally(samples: n)
            for t in parameters.blocks[b].tensors {
                let info = parameters.tensors[t]
                let keep = c.decayGroups.decays(info) ? 1 - eta * c.weightDecay : 1
                let scale = blockScales?[bi] ?? 1
                if entries[t].factored {
                    blockTally.merge(factoredStep(t, plan: plan, decayKeep: keep, updateScale: scale))
                } else {
                    blockTally.merge(HiZOOKernels.fusedStep(
                        theta: parameters.values.base + info.offset, hessian: factors.base + entries[t].offset,
                        count: info.count, first: info.offset, plan: plan, decayKeep: keep, updateScale: scale))
                }
            }
            blockSquares.append(blockTally.noiseSquares)
            tally.merge(blockTally)
        }
        return tally.report(step: context.step, evaluation: e, hessianUpdated: hessianOK, blocks: blocks,
                            blockSquares: blockSquares, parameters: parameters, stateBytes: stateBytes)
    }

    /// θ ← θ + scale Σ^{1/2} u(key) on `blocks`, tensor by tensor.
    private func move(_ scale: Double, _ key: NoiseKey, _ blocks: [Int]) {
        for b in blocks {
            for t in parameters.blocks[b].tensors {
                let info = parameters.tensors[t]
                let f = entries[t].factored ? factorsOf(t) : nil
                let diagonal = UnsafePointer(factors.base + entries[t].offset)
                let (hMin, hMax) = (configuration.hMin, configuration.hMax)
                HiZOOKernels.perturb(theta: parameters.values.base + info.offset, count: info.count, first: info.offset,
                                     scale: scale, key: key) { offset, m in
                    if let f {
                        HiZOOKernels.fillFactoredSigmaSqrt(f, first: offset, hMin: hMin, hMax: hMax, into: m)
                    } else {
                        HiZOOKernels.fillSigmaSqrt(hessian: diagonal + offset, into: m)
                    }
                }
            }
        }
    }

    /// The two passes of a matrix: row/column sums of |Ĥ| → new factors; then restore (old
    /// factors), decay and update (new or old factors).
    private func factoredStep(_ t: Int, plan: HiZOOStepPlan, decayKeep: Double, updateScale: Double) -> HiZOOTally {
        let info = parameters.tensors[t]
        var tally = HiZOOTally(samples: plan.sampleCount)
        let old = factorsOf(t)
        if plan.updatesHessian {
            let sums = HiZOOKernels.factoredSums(scalar: Scalar.self, old, first: info.offset, plan: plan, tally: &tally)
            updateFactors(t, rowSums: sums.rows, colSums: sums.cols, alpha: plan.alpha, tally: &tally)
        }
        HiZOOKernels.factoredUpdate(theta: parameters.values.base + info.offset, first: info.offset, old: old,
                                    new: factorsOf(t), plan: plan, decayKeep: decayKeep, updateScale: updateScale,
                                    tally: &tally)
        return tally
    }

    /// Blocks entering the set (every block of it with `reset: .all`) get H = h-init when
    /// `reset-entering` is on.
    public func activeBlocksChanged(to blocks: [Int], reset: BlockStateReset) {
        if configuration.resetEnteringBlocks {
            for b in blocks where reset == .all || !activeSet.contains(b) {
                for t in parameters.blocks[b].tensors { self.reset(tensor: t) }
            }
        }
        activeSet = Set(blocks)
    }

    // MARK: Verification hooks

    public func estimate(_ objective: any Objective<Scalar>, key: NoiseKey, blocks: [Int]? = nil) throws -> HessianEstimate {
        precondition(objective.parameters === parameters, "HiZOO-L was built for another parameter set")
        let blocks = blocks ?? Array(parameters.blocks.indices)
        let saved = parameters.snapshot()
        defer { parameters.assign(saved) }
        let c = configuration, n = c.hessianSamples
        let keys = HiZOO<Scalar>.sampleKeys(key, count: n)
        let e = try HiZOOEvaluation(objective, keys: keys, mu: c.mu, step: -1, leaveDisplaced: false) {
            move($0, $1, blocks)
        }
        let plan = HiZOOStepPlan(
            keys: keys, curvatures: e.secondDifferences.map { c.estimator == .paper ? $0 : abs($0) },
            estimator: c.estimator, alpha: c.alpha, hMin: c.hMin, hMax: c.hMax, restoreScale: c.mu,
            updateCoefficients: (0..<n).map { j in
                c.gradientSamples == .all ? e.gradients[j] / Double(n) : (j == 0 ? e.gradients[0] : 0)
            },
            useNewSigma: false)
        var gradient = [Double](repeating: 0, count: parameters.count)
        var hessian = [Double](repeating: 0, count: parameters.count)
        var sigma = [Double](repeating: 0, count: parameters.count)
        for b in blocks {
            for t in parameters.blocks[b].tensors {
                let info = parameters.tensors[t]
                let f = entries[t].factored ? factorsOf(t) : nil
                gradient.withUnsafeMutableBufferPointer { gb in
                    hessian.withUnsafeMutableBufferPointer { hb in
                        HiZOOKernels.estimates(scalar: Scalar.self, count: info.count, first: info.offset, plan: plan,
                                               h: { hessianEntry(t, f, $0) }, gradient: gb.baseAddress! + info.offset,
                                               hessianEstimate: hb.baseAddress! + info.offset)
                    }
                }
                for k in 0..<info.count { sigma[info.offset + k] = 1 / hessianEntry(t, f, k) }
            }
        }
        return HessianEstimate(gradient: gradient, hessian: hessian, sigma: sigma, losses: e.losses,
                               projectedGradients: e.gradients)
    }

    /// H per element: r_i c_j / Σr for matrices (clamped), the stored diagonal otherwise.
    public func hessianDiagonal() -> [Double] {
        var out = [Double](repeating: 0, count: parameters.count)
        for (t, info) in parameters.tensors.enumerated() {
            let f = entries[t].factored ? factorsOf(t) : nil
            for k in 0..<info.count { out[info.offset + k] = hessianEntry(t, f, k) }
        }
        return out
    }

    /// Vectors take `values` as is; a matrix takes its row and column sums as r and c (the
    /// Adafactor factoring of `values`, exact when the matrix is an outer product).
    public func setHessianDiagonal(_ values: [Double]) throws {
        try HiZOO<Scalar>.checkDiagonal(values, count: parameters.count, configuration: configuration, optimizer: name)
        for (t, info) in parameters.tensors.enumerated() {
            let e = entries[t]
            let p = factors.base + e.offset
            if e.factored {
                var rows = [Double](repeating: 0, count: e.rows), cols = [Double](repeating: 0, count: e.cols)
                for i in 0..<e.rows {
                    for j in 0..<e.cols {
                        rows[i] += values[info.offset + i * e.cols + j]
                        cols[j] += values[info.offset + i * e.cols + j]
                    }
                }
                for i in 0..<e.rows { p[i] = Scalar(rows[i]) }
                for j in 0..<e.cols { p[e.rows + j] = Scalar(cols[j]) }
            } else {
                for k in 0..<info.count { p[k] = Scalar(values[info.offset + k]) }
            }
        }
    }

    /// Eq. 6 on the factored store: vectors as HiZOO, matrices through the row / column sums
    /// of |Ĥ|.
    public func absorb(_ estimate: [Double]) {
        precondition(estimate.count == parameters.count)
        var tally = HiZOOTally(samples: 1)
        let c = configuration
        for (t, info) in parameters.tensors.enumerated() {
            let e = entries[t]
            if e.factored {
                var rows = [Double](repeating: 0, count: e.rows), cols = [Double](repeating: 0, count: e.cols)
                for i in 0..<e.rows {
                    for j in 0..<e.cols {
                        let a = abs(estimate[info.offset + i * e.cols + j])
                        rows[i] += a
                        cols[j] += a
                    }
                }
                updateFactors(t, rowSums: rows, colSums: cols, alpha: c.alpha, tally: &tally)
            } else {
                estimate.withUnsafeBufferPointer { buf in
                    HiZOOKernels.absorb(hessian: factors.base + e.offset,
                                        estimate: UnsafeBufferPointer(rebasing: buf[info.range]),
                                        alpha: c.alpha, hMin: c.hMin, hMax: c.hMax, tally: &tally)
                }
            }
        }
    }

    // MARK: State

    public func saveState() -> OptimizerState<Scalar> {
        OptimizerState(buffers: ["factors": factors.array], vectors: ["activeSet": activeSet.sorted().map(Double.init)])
    }

    public func loadState(_ state: OptimizerState<Scalar>) throws {
        let values = try state.buffer("factors", count: factors.count)
        guard values.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw OptimizerError.invalidState("the Hessian factors hold non-positive or non-finite values")
        }
        let active = try state.vector("activeSet").map { v -> Int in
            guard let i = Int(exactly: v), parameters.blocks.indices.contains(i) else {
                throw OptimizerError.invalidState("activeSet holds \(v), not a block index")
            }
            return i
        }
        factors.base.update(from: values, count: values.count)
        activeSet = Set(active)
    }
}

/// Registry entry for ``HiZOOL``.
public enum HiZOOLFactory: OptimizerFactory {
    public static let name = "hizoo-l"
    public static let summary = "HiZOO-L: HiZOO with Adafactor-factored Hessians of matrices (m + n scalars per m×n matrix)"
    public static let family = OptimizerFamily.zerothOrder
    public static var options: [OptionSpec] { HiZOOConfiguration.optionSpecs(hessianSamples: 1, storage: false) }

    public static func make<S: ZOScalar>(_ o: OptimizerOptions, parameters: ParameterSet<S>) throws -> any Optimizer<S> {
        try HiZOOL(parameters: parameters, configuration: HiZOOConfiguration(options: o), name: name)
    }
}
