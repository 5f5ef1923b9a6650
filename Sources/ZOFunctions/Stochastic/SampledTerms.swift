/// The minibatch version of a sum-structured function f = Σₜ fₜ (T terms): batch `index`
/// holds B distinct terms drawn uniformly without replacement by Floyd's algorithm from the
/// Philox stream (seed, index), and f_batch = (T/B) Σ_{t ∈ batch} fₜ, so E[f_batch] = f (and
/// likewise for the gradient and Hessian). The full-batch methods forward to the base.
///
/// Cost per minibatch evaluation: O(B) terms (each O(1) for the chained functions, O(d) for
/// least-squares rows); drawing a batch costs O(B log B).
public struct SampledTerms<Base: SumOfTerms>: StochasticTestFunction, SumOfTerms {
    public let base: Base
    public let batchSize: Int
    /// Seed of the batch selection.
    public let seed: UInt64

    /// - Throws: ``FunctionError/invalidParameter(function:parameter:reason:)`` unless
    ///   1 ≤ `batchSize` ≤ T.
    public init(_ base: Base, batchSize: Int, seed: UInt64 = 0) throws {
        try ParameterCheck.integer(batchSize, in: 1...max(1, base.termCount), .batchSize, function: base.descriptor.id)
        self.base = base
        self.batchSize = batchSize
        self.seed = seed
    }

    public func minibatch(_ index: Int) -> Minibatch {
        var generator = SeededDraws.generator(seed: seed, purpose: .minibatch, index: index)
        let terms = SeededDraws.sample(batchSize, of: base.termCount, using: &generator)
        return Minibatch(index: index, terms: terms, weight: Double(base.termCount) / Double(batchSize))
    }

    public func value(at x: UnsafeBufferPointer<Double>, batch: Minibatch) -> Double {
        base.value(at: x, terms: batch.terms, scale: batch.weight)
    }

    public func valueAndGradient(at x: UnsafeBufferPointer<Double>, batch: Minibatch,
                                 into gradient: UnsafeMutableBufferPointer<Double>) -> Double {
        base.valueAndGradient(at: x, terms: batch.terms, scale: batch.weight, into: gradient)
    }

    public func hessian(at x: UnsafeBufferPointer<Double>, batch: Minibatch, into hessian: UnsafeMutableBufferPointer<Double>) {
        base.hessian(at: x, terms: batch.terms, scale: batch.weight, into: hessian)
    }

    public func hessianDiagonal(at x: UnsafeBufferPointer<Double>, batch: Minibatch,
                                into diagonal: UnsafeMutableBufferPointer<Double>) {
        base.hessianDiagonal(at: x, terms: batch.terms, scale: batch.weight, into: diagonal)
    }

    // MARK: Full batch: the base function

    public var descriptor: FunctionDescriptor { base.descriptor }
    public var dimension: Int { base.dimension }
    public var domain: FunctionDomain { base.domain }
    public var viewDomain: FunctionDomain { base.viewDomain }
    public var minimum: GlobalMinimum { base.minimum }
    public var criticalPoints: [CriticalPoint] { base.criticalPoints }
    public var startPoints: [[Double]] { base.startPoints }
    public var naturalBlocks: [FunctionBlock] { base.naturalBlocks }

    public func value(at x: UnsafeBufferPointer<Double>) -> Double { base.value(at: x) }
    public func valueAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        base.valueAndGradient(at: x, into: g)
    }
    public func hessian(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        base.hessian(at: x, into: h)
    }
    public func hessianDiagonal(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        base.hessianDiagonal(at: x, into: h)
    }

    public var termCount: Int { base.termCount }
    public func termValue(_ t: Int, at x: UnsafeBufferPointer<Double>) -> Double { base.termValue(t, at: x) }
    public func addTermGradient(_ t: Int, at x: UnsafeBufferPointer<Double>, scale: Double,
                                into g: UnsafeMutableBufferPointer<Double>) -> Double {
        base.addTermGradient(t, at: x, scale: scale, into: g)
    }
    public func addTermHessian(_ t: Int, at x: UnsafeBufferPointer<Double>, scale: Double,
                               into h: UnsafeMutableBufferPointer<Double>) {
        base.addTermHessian(t, at: x, scale: scale, into: h)
    }
    public func addTermHessianDiagonal(_ t: Int, at x: UnsafeBufferPointer<Double>, scale: Double,
                                       into h: UnsafeMutableBufferPointer<Double>) {
        base.addTermHessianDiagonal(t, at: x, scale: scale, into: h)
    }
}

extension SumOfTerms {
    /// This function with minibatches of `batchSize` terms drawn from `seed`.
    public func sampled(batchSize: Int, seed: UInt64 = 0) throws -> SampledTerms<Self> {
        try SampledTerms(self, batchSize: batchSize, seed: seed)
    }
}
