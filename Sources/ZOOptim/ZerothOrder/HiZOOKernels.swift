import ZOCore

/// The per-step coefficients of HiZOO's element-wise passes (Hessian update, restore, update).
struct HiZOOStepPlan: Sendable {
    /// Noise keys of the n samples (sample 0 is the step key).
    var keys: [NoiseKey]
    /// Per sample, the second-difference coefficient: ``HessianEstimator/paper``:
    /// c_j = (L₊ʲ + L₋ʲ − 2L₀)/(2μ²) (signed); ``HessianEstimator/omitTerm``: |c_j|.
    var curvatures: [Double]
    var estimator: HessianEstimator
    /// α; 0 leaves H untouched.
    var alpha: Double
    var hMin: Double
    var hMax: Double
    /// θ sits at θ − μ Σ_old^{1/2} u_{n−1} when the fused pass starts: it adds this (μ) back.
    var restoreScale: Double
    /// Per sample j, the coefficient of Σ^{1/2} u_j in the update: −η g_j w_j (0 if unused).
    var updateCoefficients: [Double]
    var useNewSigma: Bool

    var sampleCount: Int { keys.count }
    var updatesHessian: Bool { alpha > 0 }
}

/// What an element-wise pass saw: clamp counts, the range of H after the update, and Σ u_j²
/// per sample (for the block gradient-norm estimate).
struct HiZOOTally: Sendable {
    var clampedLow = 0
    var clampedHigh = 0
    /// Entries whose estimate was NaN (H kept).
    var nonFinite = 0
    var hessianMin = Double.infinity
    var hessianMax = -Double.infinity
    /// Σ u_j² over the pass, per sample j.
    var noiseSquares: [Double]

    init(samples: Int) { noiseSquares = [Double](repeating: 0, count: samples) }

    mutating func merge(_ o: HiZOOTally) {
        clampedLow += o.clampedLow
        clampedHigh += o.clampedHigh
        nonFinite += o.nonFinite
        hessianMin = min(hessianMin, o.hessianMin)
        hessianMax = max(hessianMax, o.hessianMax)
        for j in noiseSquares.indices { noiseSquares[j] += o.noiseSquares[j] }
    }
}

/// HiZOO's element-wise kernels. Noise is regenerated in chunks of ``chunk`` elements (kept in
/// cache while used); chunk boundaries are fixed relative to the start of a pass, and sums are
/// reduced chunk by chunk in order, so every result is independent of the thread count.
///
/// Numerics: the Hessian arithmetic runs in Double whatever the parameter type — the second
/// difference is divided by 2μ² *before* α multiplies it (the reference code multiplies by α
/// first, which underflows in fp16 and leaves H ≡ 1), and the result is clamped to
/// [hMin, hMax] (hMin ≥ the smallest normal of the parameter type, so H never underflows and
/// Σ^{1/2} = 1/√H stays finite). θ's restore replicates the perturbation kernel's
/// `x += (μ·m)·u` in the parameter type, so restore drift equals MeZO's (a few ulps).
enum HiZOOKernels {
    static let chunk = 4096

    /// Σ^{1/2} = 1/√h as every HiZOO pass computes it (the perturbation's multiplier).
    @inline(__always)
    static func sigmaSqrt<S: ZOScalar>(_ h: Double, as: S.Type) -> S { S(1 / h.squareRoot()) }

    /// The raw estimate Ĥ_ii (before |·|) from the n samples' noise values u_j = noise[j·stride]
    /// at an element whose current H is `h`: mean over j of c_j (u_j² − 1) h (paper) or
    /// c_j u_j² h (omit-term, c_j already |·|).
    @inline(__always)
    static func rawEstimate<S: ZOScalar>(h: Double, noise: UnsafePointer<S>, stride: Int, plan: HiZOOStepPlan) -> Double {
        var sum = 0.0
        switch plan.estimator {
        case .paper:
            for j in 0..<plan.sampleCount {
                let u = Double(noise[j * stride])
                sum += plan.curvatures[j] * (u * u - 1)
            }
        case .omitTerm:
            for j in 0..<plan.sampleCount {
                let u = Double(noise[j * stride])
                sum += plan.curvatures[j] * (u * u)
            }
        }
        return sum * (1 / Double(plan.sampleCount)) * h   // same rounding as fusedChunk
    }

    /// Eq. 6 with the safety rules: h ← (1 − α) h + α |Ĥ|, NaN → keep h, clamp to [hMin, hMax].
    @inline(__always)
    static func smoothed(_ h: Double, estimate: Double, alpha: Double, hMin: Double, hMax: Double,
                         tally: inout HiZOOTally) -> Double {
        var next = (1 - alpha) * h + alpha * abs(estimate)
        if next.isNaN {
            tally.nonFinite += 1
            next = h
        }
        if next < hMin {
            next = hMin
            tally.clampedLow += 1
        } else if next > hMax {
            next = hMax
            tally.clampedHigh += 1
        }
        return next
    }

    /// θ[i] += (scale · m[i]) · u[first + i] with m filled by `multiplier(offset, buffer)` for
    /// the elements [offset, offset + buffer.count) of the range (Σ^{1/2} of the method).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func perturb<S: ZOScalar>(
        theta: UnsafeMutablePointer<S>, count: Int, first: Int, scale: Double, key: NoiseKey,
        multiplier: (Int, UnsafeMutableBufferPointer<S>) -> Void
    ) {
        guard count > 0 else { return }
        let s = S(scale)
        Parallel.forChunks(count: count, minimumChunk: Noise.parallelThreshold, alignment: chunk) { range in
            let scratch = UnsafeMutablePointer<S>.allocate(capacity: chunk)
            defer { scratch.deallocate() }
            var lo = range.lowerBound
            while lo < range.upperBound {
                let len = min(chunk, range.upperBound - lo)
                multiplier(lo, UnsafeMutableBufferPointer(start: scratch, count: len))
                S.noiseAxpy(theta + lo, count: len, scale: s, multiplier: scratch, key: key, first: first + lo,
                            kind: .gaussian)
                lo += len
            }
        }
    }

    /// The fused pass of a diagonal-H step over `count` elements: Hessian update (Eq. 5–6) in
    /// place in `hessian`, restore of θ from θ − μΣ_old^{1/2}u_{n−1}, weight decay
    /// (θ ← keep·θ) and update θ ← θ + scale · Σ_j coef_j Σ_x^{1/2} u_j with Σ_x the new or the
    /// old Σ. θ and H are each read and written once.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func fusedStep<S: ZOScalar>(
        theta: UnsafeMutablePointer<S>, hessian: UnsafeMutablePointer<S>, count: Int, first: Int,
        plan: HiZOOStepPlan, decayKeep: Double, updateScale: Double
    ) -> HiZOOTally {
        let n = plan.sampleCount
        var total = HiZOOTally(samples: n)
        guard count > 0 else { return total }
        let chunks = (count + chunk - 1) / chunk
        let tallies = UnsafeMutableBufferPointer<HiZOOTally>.allocate(capacity: chunks)
        tallies.initialize(repeating: HiZOOTally(samples: n))
        defer { tallies.deinitialize().deallocate() }
        // Per-sample coefficients as raw buffers: no array traffic in the element loop.
        let coefficients = UnsafeMutablePointer<Double>.allocate(capacity: 2 * n)
        defer { coefficients.deallocate() }
        for j in 0..<n {
            coefficients[j] = plan.curvatures[j]
            coefficients[n + j] = plan.updateCoefficients[j]
        }
        Parallel.forChunks(count: chunks, minimumChunk: max(1, Noise.parallelThreshold / chunk)) { chunkRange in
            let scratch = UnsafeMutablePointer<S>.allocate(capacity: n * chunk)
            let squares = UnsafeMutablePointer<Double>.allocate(capacity: n)
            defer {
                scratch.deallocate()
                squares.deallocate()
            }
            for k in chunkRange {
                let lo = k * chunk, len = min(chunk, count - lo)
                for j in 0..<n {
                    S.noiseFill(scratch + j * chunk, count: len, key: plan.keys[j], first: first + lo, kind: .gaussian)
                }
                var t = fusedChunk(theta: theta + lo, hessian: hessian + lo, noise: scratch, count: len, samples: n,
                                   curvatures: coefficients, updates: coefficients + n, squares: squares,
                                   paper: plan.estimator == .paper, alpha: plan.updatesHessian ? plan.alpha : 0,
                                   hMin: plan.hMin, hMax: plan.hMax, restore: plan.restoreScale,
                                   useNewSigma: plan.useNewSigma, decayKeep: decayKeep, updateScale: updateScale)
                t.noiseSquares = Array(UnsafeBufferPointer(start: squares, count: n))
                tallies[k] = t
            }
        }
        for k in 0..<chunks { total.merge(tallies[k]) }
        return total
    }

    /// The element loop of ``fusedStep(theta:hessian:count:first:plan:decayKeep:updateScale:)``
    /// over one chunk: `noise` holds the n samples' values with stride ``chunk``; `squares`
    /// receives Σ u_j² per sample; α = 0 leaves H untouched.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    @inline(__always)
    static func fusedChunk<S: ZOScalar>(
        theta: UnsafeMutablePointer<S>, hessian: UnsafeMutablePointer<S>, noise: UnsafePointer<S>, count: Int,
        samples n: Int, curvatures: UnsafePointer<Double>, updates: UnsafePointer<Double>,
        squares: UnsafeMutablePointer<Double>, paper: Bool, alpha: Double, hMin: Double, hMax: Double,
        restore: Double, useNewSigma: Bool, decayKeep: Double, updateScale: Double
    ) -> HiZOOTally {
        var low = 0, high = 0, nonFinite = 0
        var hLow = Double.infinity, hHigh = -Double.infinity
        for j in 0..<n { squares[j] = 0 }
        let restoreS = S(restore)
        let last = noise + (n - 1) * chunk
        let invN = 1 / Double(n)
        let shift = paper ? 1.0 : 0.0
        var square0 = 0.0
        for e in 0..<count {
            let hOld = Double(hessian[e])
            let sOld = 1 / hOld.squareRoot()
            var hNew = hOld
            let u0 = Double(noise[e])
            var direction = updates[0] * u0
            square0 += u0 * u0
            var sum = curvatures[0] * (u0 * u0 - shift)
            if n > 1 {
                for j in 1..<n {
                    let u = Double(noise[j * chunk + e])
                    squares[j] += u * u
                    direction += updates[j] * u
                    sum += curvatures[j] * (u * u - shift)
                }
            }
            if alpha > 0 {
                // Branch-free: NaN keeps h; then clamp to [hMin, hMax], counting.
                let raw = (1 - alpha) * hOld + alpha * abs(sum * invN * hOld)
                let isNaN = raw.isNaN
                nonFinite &+= isNaN ? 1 : 0
                let value = isNaN ? hOld : raw
                low &+= value < hMin ? 1 : 0
                high &+= value > hMax ? 1 : 0
                let next = value < hMin ? hMin : (value > hMax ? hMax : value)
                let stored = S(next)
                hessian[e] = stored
                hNew = Double(stored)
            }
            hLow = min(hLow, hNew)
            hHigh = max(hHigh, hNew)
            // Restore exactly as the perturbation kernel added: x += (μ·m)·u, m = S(1/√h).
            var th = theta[e]
            th += (restoreS * S(sOld)) * last[e]
            let sigma = useNewSigma && alpha > 0 ? 1 / hNew.squareRoot() : sOld
            theta[e] = S(Double(th) * decayKeep + updateScale * direction * sigma)
        }
        squares[0] = square0
        var t = HiZOOTally(samples: 0)
        t.clampedLow = low
        t.clampedHigh = high
        t.nonFinite = nonFinite
        t.hessianMin = hLow
        t.hessianMax = hHigh
        return t
    }

    /// Applies Eq. 6 (with the clamps) to `hessian` given a full raw estimate `estimate`
    /// (same count): the EMA step of ``DiagonalHessianEstimating/absorb(_:)``.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func absorb<S: ZOScalar>(
        hessian: UnsafeMutablePointer<S>, estimate: UnsafeBufferPointer<Double>, alpha: Double,
        hMin: Double, hMax: Double, tally: inout HiZOOTally
    ) {
        for i in 0..<estimate.count {
            hessian[i] = S(smoothed(Double(hessian[i]), estimate: estimate[i], alpha: alpha, hMin: hMin, hMax: hMax,
                                    tally: &tally))
        }
    }

    /// The raw estimates of one step without any update: ĝ_i = Σ_j coef_j Σ^{1/2}_i u_ji and
    /// Ĥ_ii (before |·|) into `gradient` / `hessianEstimate` for `count` elements whose H is
    /// given by `h(i)`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func estimates<S: ZOScalar>(
        scalar: S.Type, count: Int, first: Int, plan: HiZOOStepPlan, h: (Int) -> Double,
        gradient: UnsafeMutablePointer<Double>, hessianEstimate: UnsafeMutablePointer<Double>
    ) {
        let n = plan.sampleCount
        let scratch = UnsafeMutablePointer<S>.allocate(capacity: n * chunk)
        defer { scratch.deallocate() }
        var lo = 0
        while lo < count {
            let len = min(chunk, count - lo)
            for j in 0..<n {
                S.noiseFill(scratch + j * chunk, count: len, key: plan.keys[j], first: first + lo, kind: .gaussian)
            }
            for e in 0..<len {
                let hi = h(lo + e)
                hessianEstimate[lo + e] = rawEstimate(h: hi, noise: scratch + e, stride: chunk, plan: plan)
                var direction = 0.0
                for j in 0..<n { direction += plan.updateCoefficients[j] * Double(scratch[j * chunk + e]) }
                gradient[lo + e] = direction / hi.squareRoot()
            }
            lo += len
        }
    }
}

/// The factors of one m×n matrix's H in Double (HiZOO-L): H_ij = clamp(r_i c_j / Σr).
struct FactoredHessian: Sendable {
    var r: [Double]
    var c: [Double]
    var total: Double

    init<S: ZOScalar>(_ p: UnsafePointer<S>, rows: Int, cols: Int) {
        r = (0..<rows).map { Double(p[$0]) }
        c = (0..<cols).map { Double(p[rows + $0]) }
        total = r.reduce(0, +)
    }

    var rows: Int { r.count }
    var cols: Int { c.count }

    @inline(__always)
    func h(_ i: Int, _ j: Int, _ hMin: Double, _ hMax: Double) -> Double {
        min(max(r[i] * c[j] / total, hMin), hMax)
    }
}

extension HiZOOKernels {
    /// m[i] = Σ^{1/2} = 1/√h[i] for a diagonal store.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func fillSigmaSqrt<S: ZOScalar>(hessian: UnsafePointer<S>, into m: UnsafeMutableBufferPointer<S>) {
        for i in m.indices { m[i] = sigmaSqrt(Double(hessian[i]), as: S.self) }
    }

    /// m[i] = Σ^{1/2} of the matrix elements k0 + i (row-major) of a factored store.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func fillFactoredSigmaSqrt<S: ZOScalar>(
        _ f: FactoredHessian, first k0: Int, hMin: Double, hMax: Double, into m: UnsafeMutableBufferPointer<S>
    ) {
        let cols = f.cols
        for i in m.indices {
            let k = k0 + i
            m[i] = sigmaSqrt(f.h(k / cols, k % cols, hMin, hMax), as: S.self)
        }
    }

    /// Row and column sums of |Ĥ| over a matrix whose θ elements start at stream offset
    /// `first` (single-threaded: the column sums are reduced in row order).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func factoredSums<S: ZOScalar>(
        scalar: S.Type, _ f: FactoredHessian, first: Int, plan: HiZOOStepPlan, tally: inout HiZOOTally
    ) -> (rows: [Double], cols: [Double]) {
        let n = plan.sampleCount, cols = f.cols
        var rowSums = [Double](repeating: 0, count: f.rows), colSums = [Double](repeating: 0, count: cols)
        let scratch = UnsafeMutablePointer<S>.allocate(capacity: n * cols)
        defer { scratch.deallocate() }
        for i in 0..<f.rows {
            for j in 0..<n {
                S.noiseFill(scratch + j * cols, count: cols, key: plan.keys[j], first: first + i * cols, kind: .gaussian)
            }
            for j in 0..<cols {
                var a = abs(rawEstimate(h: f.h(i, j, plan.hMin, plan.hMax), noise: scratch + j, stride: cols, plan: plan))
                if a.isNaN {
                    a = 0
                    tally.nonFinite += 1
                }
                rowSums[i] += a
                colSums[j] += a
            }
        }
        return (rowSums, colSums)
    }

    /// Restore (with the old factors), decay and update (with the new or old factors) of a
    /// matrix: the second pass of a HiZOO-L matrix step.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func factoredUpdate<S: ZOScalar>(
        theta: UnsafeMutablePointer<S>, first: Int, old: FactoredHessian, new: FactoredHessian, plan: HiZOOStepPlan,
        decayKeep: Double, updateScale: Double, tally: inout HiZOOTally
    ) {
        let n = plan.sampleCount, cols = old.cols
        let scratch = UnsafeMutablePointer<S>.allocate(capacity: n * cols)
        defer { scratch.deallocate() }
        let restore = S(plan.restoreScale)
        let last = n - 1
        for i in 0..<old.rows {
            for j in 0..<n {
                S.noiseFill(scratch + j * cols, count: cols, key: plan.keys[j], first: first + i * cols, kind: .gaussian)
            }
            for j in 0..<cols {
                let hOld = old.h(i, j, plan.hMin, plan.hMax), hNew = new.h(i, j, plan.hMin, plan.hMax)
                tally.hessianMin = min(tally.hessianMin, hNew)
                tally.hessianMax = max(tally.hessianMax, hNew)
                let k = i * cols + j
                var th = theta[k]
                th += (restore * sigmaSqrt(hOld, as: S.self)) * scratch[last * cols + j]
                var direction = 0.0
                for s in 0..<n {
                    let u = Double(scratch[s * cols + j])
                    tally.noiseSquares[s] += u * u
                    direction += plan.updateCoefficients[s] * u
                }
                let sigma = 1 / (plan.useNewSigma ? hNew : hOld).squareRoot()
                theta[k] = S(Double(th) * decayKeep + updateScale * direction * sigma)
            }
        }
    }
}

extension HiZOOTally {
    /// The step report shared by HiZOO and HiZOO-L: losses, projected gradients, Hessian
    /// clamp counts and range, and (for BCD wrappers) the per-block ‖g_b‖² estimates from the
    /// squared noise norms of each sample (`blockSquares[block][sample]`).
    func report<S: ZOScalar>(step: Int, evaluation e: HiZOOEvaluation, hessianUpdated: Bool, blocks: [Int],
                             blockSquares: [[Double]], parameters: ParameterSet<S>, stateBytes: Int) -> StepReport {
        var diagnostics: [String: Double] = [
            "hessianClampedLow": Double(clampedLow), "hessianClampedHigh": Double(clampedHigh),
            "hessianNonFinite": Double(nonFinite), "hessianSkipped": hessianUpdated ? 0 : 1,
            "curvature": e.secondDifferences[0],
        ]
        if !blocks.isEmpty {
            diagnostics["hessianMin"] = hessianMin
            diagnostics["hessianMax"] = hessianMax
            let samples = e.gradients.count
            let norms = BlockNormEstimator.estimates(
                projectedGradients: e.gradients, squaredNorms: (0..<samples).map { j in blockSquares.map { $0[j] } },
                sizes: blocks.map { parameters.blocks[$0].count })
            for (b, v) in zip(blocks, norms) { diagnostics[BlockNormEstimator.diagnosticKey(b)] = v }
        }
        return StepReport(step: step, loss: e.losses[0], losses: e.losses, forwardPasses: e.losses.count,
                          backwardPasses: 0, projectedGradients: e.gradients, activeBlocks: blocks,
                          stateBytes: stateBytes, diagnostics: diagnostics)
    }
}
