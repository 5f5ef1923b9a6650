import ZOCore

/// The per-element loops of the ZO-family and first-order updates that the fused noise kernels
/// do not cover (momentum, Adam moments, masked moves). Each loop is generic over `ZOScalar`
/// but compiled specialised for `Float` and `Double` (`@_specialize`), so neither path runs
/// slow generic code; callers hand it one chunk (≤ 4096 elements of regenerated noise) at a time.
///
/// Every element is computed independently with a fixed sequence of IEEE operations (Swift
/// does not contract a·b + c into an FMA), so results do not depend on how a range is split
/// across threads.
enum ElementwiseKernels {
    /// Calls `body(first, z, count)` with consecutive chunks of noise stream `key` covering
    /// `range` (element e of the stream for slab element e), split across ``Parallel`` threads;
    /// `body` must touch only elements `first ..< first + count`.
    static func sweep<S: ZOScalar>(
        _ type: S.Type, range: Range<Int>, key: NoiseKey, kind: NoiseKind,
        _ body: (_ first: Int, _ z: UnsafePointer<S>, _ count: Int) -> Void
    ) {
        Parallel.forChunks(count: range.count, minimumChunk: 1 << 15, alignment: 128) { part in
            let chunk = 4096
            let scratch = UnsafeMutablePointer<S>.allocate(capacity: min(chunk, part.count))
            defer { scratch.deallocate() }
            var i = part.lowerBound
            while i < part.upperBound {
                let n = min(chunk, part.upperBound - i)
                S.noiseFill(scratch, count: n, key: key, first: range.lowerBound + i, kind: kind)
                body(range.lowerBound + i, UnsafePointer(scratch), n)
                i += n
            }
        }
    }

    /// ZO heavy-ball momentum with the restore fused in (θ is at θ_t − εz on entry):
    ///   gᵢ = a·zᵢ + λ·(θᵢ + ε zᵢ)     (λ: coupled L2 decay, as torch.optim.SGD)
    ///   mᵢ ← β mᵢ + gᵢ
    ///   θᵢ ← θᵢ + (ε zᵢ − η mᵢ)
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func zoMomentum<S: ZOScalar>(
        theta: UnsafeMutablePointer<S>, momentum m: UnsafeMutablePointer<S>, z: UnsafePointer<S>, count: Int,
        gradientScale a: S, restore eps: S, decay lambda: S, beta: S, learningRate eta: S
    ) {
        if lambda == 0 {
            for i in 0..<count {
                let zi = z[i]
                let mi = beta * m[i] + a * zi
                m[i] = mi
                theta[i] += eps * zi - eta * mi
            }
        } else {
            for i in 0..<count {
                let zi = z[i]
                let g = a * zi + lambda * (theta[i] + eps * zi)
                let mi = beta * m[i] + g
                m[i] = mi
                theta[i] += eps * zi - eta * mi
            }
        }
    }

    /// Adam moments and step (torch.optim.Adam's arithmetic) for a gradient chunk `g`:
    ///   gᵢ ← gᵢ + λ θᵢ⁰                  (coupled L2; θ⁰ = θ before the step)
    ///   mᵢ ← β₁ mᵢ + (1 − β₁) gᵢ,  vᵢ ← β₂ vᵢ + (1 − β₂) gᵢ²
    ///   θᵢ ← θᵢ⁰·keep + restoreᵢ − stepSize · mᵢ / (√vᵢ / √(1 − β₂ᵗ) + eps)
    /// with stepSize = η / (1 − β₁ᵗ), keep = 1 − ηλ_decoupled (AdamW) and restoreᵢ = ε zᵢ for
    /// the ZO variant (θ enters at θ_t − εz), 0 for first order. When `z` is given, gᵢ is
    /// `a·zᵢ` (the ZO estimate) and `g` is ignored.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func adam<S: ZOScalar>(
        theta: UnsafeMutablePointer<S>, m: UnsafeMutablePointer<S>, v: UnsafeMutablePointer<S>, count: Int,
        gradient: UnsafePointer<S>?, z: UnsafePointer<S>?, gradientScale a: S, restore eps: S,
        coupledDecay lambda: S, keep: S, beta1: S, beta2: S, stepSize: S, sqrtBiasCorrection2: S, epsilon: S
    ) {
        let oneMinusB1 = 1 - beta1, oneMinusB2 = 1 - beta2
        for i in 0..<count {
            let restore: S
            var g: S
            if let z {
                let zi = z[i]
                restore = eps * zi
                g = a * zi
            } else {
                restore = 0
                g = a * gradient![i]
            }
            if lambda != 0 { g += lambda * (theta[i] + restore) }
            let mi = beta1 * m[i] + oneMinusB1 * g
            let vi = beta2 * v[i] + oneMinusB2 * (g * g)
            m[i] = mi
            v[i] = vi
            let denominator = vi.squareRoot() / sqrtBiasCorrection2 + epsilon
            let update = stepSize * mi / denominator
            if keep == 1 {
                theta[i] += restore - update
            } else {
                theta[i] = (theta[i] + restore) * keep - update
            }
        }
    }

    /// First-order SGD (torch.optim.SGD): gᵢ = a·∇ᵢ + λθᵢ; with momentum μ > 0:
    /// bᵢ ← μ bᵢ + gᵢ and gᵢ ← gᵢ + μ bᵢ (Nesterov) or bᵢ; then θᵢ ← θᵢ − η gᵢ.
    /// (b starts at 0, so the first step is bᵢ = gᵢ, as PyTorch's clone.)
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func sgd<S: ZOScalar>(
        theta: UnsafeMutablePointer<S>, momentum b: UnsafeMutablePointer<S>?, gradient: UnsafePointer<S>, count: Int,
        gradientScale a: S, decay lambda: S, mu: S, nesterov: Bool, learningRate eta: S
    ) {
        for i in 0..<count {
            var g = a * gradient[i]
            if lambda != 0 { g += lambda * theta[i] }
            if let b {
                let bi = mu * b[i] + g
                b[i] = bi
                g = nesterov ? g + mu * bi : bi
            }
            theta[i] -= eta * g
        }
    }

    /// Sparse MeZO's masked move over one chunk (see ``MagnitudeMaskedDirection``).
    ///
    /// Element i (slab index `first + i`) was displaced — i.e. is in the mask of θ_t — iff
    /// (|θᵢ| < τ) XOR (i ∈ E_old), E_old being the sorted list of masked elements that lay outside
    /// (−τ, τ) after the previous move (`cursor` walks it). A displaced element moves
    ///   θᵢ ← θᵢ + c·zᵢ                          when `simple` (one rounding, like the fused kernel)
    ///   θᵢ ← (θᵢ + r·zᵢ)·keep + c·zᵢ             otherwise (restore, decay, update)
    /// and is appended to E_new when the new value is not inside (−τ, τ) (NaN included).
    /// Returns the number of displaced elements.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func maskedMove<S: ZOScalar>(
        theta: UnsafeMutablePointer<S>, z: UnsafePointer<S>, count: Int, first: Int, tau: S,
        simple: Bool, restore r: S, keep: S, coefficient c: S,
        oldCrossings: UnsafeBufferPointer<Int>, cursor: inout Int, newCrossings: inout [Int]
    ) -> Int {
        var moved = 0
        for i in 0..<count {
            let index = first + i
            var listed = false
            if cursor < oldCrossings.count && oldCrossings[cursor] == index {
                listed = true
                cursor += 1
            }
            let x = theta[i]
            guard (abs(x) < tau) != listed else { continue }
            let y = simple ? x + c * z[i] : (x + r * z[i]) * keep + c * z[i]
            theta[i] = y
            moved += 1
            if !(abs(y) < tau) { newCrossings.append(index) }
        }
        return moved
    }
}

extension ElementwiseKernels {
    /// True when every element of `values` is finite.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func allFinite<S: ZOScalar>(_ values: UnsafeBufferPointer<S>) -> Bool {
        for x in values where !x.isFinite { return false }
        return true
    }
}

extension ElementwiseKernels {
    /// `out[i] = |x[i]|`; returns the index of the first non-finite element, or nil.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func magnitudes<S: ZOScalar>(_ x: UnsafeBufferPointer<S>, into out: UnsafeMutablePointer<S>) -> Int? {
        for i in 0..<x.count {
            let v = x[i]
            guard v.isFinite else { return i }
            out[i] = abs(v)
        }
        return nil
    }

    /// Diagonal Newton: θᵢ ← θᵢ − η gᵢ / max(|hᵢ|, floor), in Float64; returns how many |hᵢ| were floored.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func diagonalNewton<S: ZOScalar>(
        theta: UnsafeMutablePointer<S>, gradient: UnsafePointer<S>, diagonal: UnsafePointer<Double>, count: Int,
        learningRate eta: Double, floor: Double
    ) -> Int {
        var floored = 0
        for i in 0..<count {
            let h = abs(diagonal[i])
            if h < floor { floored += 1 }
            theta[i] = S(Double(theta[i]) - eta * Double(gradient[i]) / max(h, floor))
        }
        return floored
    }
}

extension ElementwiseKernels {
    /// `out[i] = S(scale · x[i]) + (accumulate ? out[i] : 0)` with the sum in Float64:
    /// Float64 results (QR factors, Newton steps) written into parameter-typed buffers.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func store<S: ZOScalar>(_ x: UnsafePointer<Double>, count: Int, scale: Double, into out: UnsafeMutablePointer<S>,
                                   accumulate: Bool) {
        for i in 0..<count {
            out[i] = S((accumulate ? Double(out[i]) : 0) + scale * x[i])
        }
    }
}
