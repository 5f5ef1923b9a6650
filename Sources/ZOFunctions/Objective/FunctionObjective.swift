import ZOCore

/// A ``TestFunction`` as a ZOCore ``Objective`` (Scalar = Double): what the optimizers see.
///
/// θ lives in ``parameters`` (one slab; one block per ``FunctionBlock`` of the chosen
/// ``BlockPartition``). `loss()` evaluates the function at the current θ — for a
/// ``StochasticTestFunction`` on the current minibatch, which changes only through
/// `selectBatch(_:)` (batch 0 until then). Gradient and Hessians are exact.
///
/// Errors (``ObjectiveError``, the protocol's vocabulary): `.invalidParameters` when θ holds
/// NaN/±∞ (checked before every evaluation, O(d)) or, with ``DomainPolicy/reject``, lies
/// outside the function's domain; `.nonFiniteLoss` when the value overflows.
///
/// Not thread-safe: one objective per optimizer run.
public final class FunctionObjective: Objective {
    public typealias Scalar = Double

    /// What to do when θ leaves the function's domain.
    public enum DomainPolicy: Hashable, Sendable {
        /// Evaluate anyway (the formulas are defined on all of Rᵈ; the domain is the
        /// conventional search box).
        case ignore
        /// Throw ``ObjectiveError/invalidParameters(_:)``.
        case reject
    }

    public let function: any TestFunction
    public let parameters: ParameterSet<Double>
    public let domainPolicy: DomainPolicy
    /// Evaluation counters; reset with ``resetCounts()``.
    public private(set) var counts = EvaluationCounts()
    /// The current minibatch (nil for deterministic functions).
    public private(set) var currentBatch: Minibatch?

    private let stochastic: (any StochasticTestFunction)?

    /// - Parameters:
    ///   - start: θ₀ (default: the function's standard start point).
    ///   - partition: the block structure of ``parameters``.
    /// - Throws: ``FunctionError`` for a start of the wrong length, non-finite or (with
    ///   `.reject`) outside the domain, or an invalid partition.
    public init(_ function: any TestFunction, start: [Double]? = nil, partition: BlockPartition = .natural,
                domainPolicy: DomainPolicy = .ignore) throws {
        let theta = start ?? function.defaultStart
        try function.validate(point: theta, enforceDomain: domainPolicy == .reject)
        let blocks = try partition.blocks(for: function)
        self.function = function
        self.domainPolicy = domainPolicy
        self.parameters = ParameterSet(layout: BlockPartition.layout(blocks))
        parameters.assign(theta)
        self.stochastic = function as? any StochasticTestFunction
        self.currentBatch = stochastic?.minibatch(0)
    }

    /// A catalog function by name (see ``FunctionCatalog/make(_:dimension:parameters:)``).
    public convenience init(named name: String, dimension: Int? = nil, parameters: FunctionParameters = .init(),
                            start: [Double]? = nil, partition: BlockPartition = .natural) throws {
        try self.init(FunctionCatalog.make(name, dimension: dimension, parameters: parameters),
                      start: start, partition: partition)
    }

    public var providesGradient: Bool { true }
    public var providesHessian: Bool { true }
    public var isStochastic: Bool { stochastic != nil }

    public func selectBatch(_ index: Int) {
        counts.batchSelections += 1
        if let stochastic { currentBatch = stochastic.minibatch(index) }
    }

    public func resetCounts() { counts = EvaluationCounts() }

    private var theta: UnsafeBufferPointer<Double> { UnsafeBufferPointer(parameters.buffer) }

    /// Throws unless θ is finite (and inside the domain under `.reject`).
    private func checkTheta() throws {
        let x = theta
        for i in 0..<x.count where !x[i].isFinite {
            throw ObjectiveError.invalidParameters("θ[\(i)] = \(x[i]) is not finite (\(function.name))")
        }
        if domainPolicy == .reject, let (i, v) = function.domain.firstViolation(x) {
            let error = FunctionError.outsideDomain(function: function.name, coordinate: i, value: v,
                                                    lower: function.domain.lower[i], upper: function.domain.upper[i])
            throw ObjectiveError.invalidParameters(error.description)
        }
    }

    private func finite(_ value: Double) throws -> Double {
        guard value.isFinite else { throw ObjectiveError.nonFiniteLoss(value) }
        return value
    }

    public func loss() throws -> Double {
        counts.forward += 1
        try checkTheta()
        if let stochastic, let batch = currentBatch { return try finite(stochastic.value(at: theta, batch: batch)) }
        return try finite(function.value(at: theta))
    }

    public func lossAndGradient(into gradient: UnsafeMutableBufferPointer<Double>) throws -> Double {
        counts.gradient += 1
        try checkBuffer(gradient.count, parameters.count, "gradient")
        try checkTheta()
        if let stochastic, let batch = currentBatch {
            return try finite(stochastic.valueAndGradient(at: theta, batch: batch, into: gradient))
        }
        return try finite(function.valueAndGradient(at: theta, into: gradient))
    }

    public func hessianDiagonal(into diagonal: UnsafeMutableBufferPointer<Double>) throws {
        counts.hessian += 1
        try checkBuffer(diagonal.count, parameters.count, "Hessian diagonal")
        try checkTheta()
        if let stochastic, let batch = currentBatch {
            stochastic.hessianDiagonal(at: theta, batch: batch, into: diagonal)
        } else {
            function.hessianDiagonal(at: theta, into: diagonal)
        }
    }

    public func hessian(into hessian: UnsafeMutableBufferPointer<Double>) throws {
        counts.hessian += 1
        let d = parameters.count
        try checkBuffer(hessian.count, d * d, "Hessian")
        try checkTheta()
        if let stochastic, let batch = currentBatch {
            stochastic.hessian(at: theta, batch: batch, into: hessian)
        } else {
            function.hessian(at: theta, into: hessian)
        }
    }

    /// The full-batch (expected) loss at the current θ — equal to `loss()` for deterministic
    /// functions. Not counted as a forward pass (it is the verifier's ground truth).
    public func fullBatchLoss() throws -> Double {
        try checkTheta()
        return try finite(function.value(at: theta))
    }

    /// The full-batch gradient at the current θ (not counted).
    public func fullBatchGradient() throws -> [Double] {
        try checkTheta()
        var g = [Double](repeating: 0, count: parameters.count)
        _ = g.withUnsafeMutableBufferPointer { function.valueAndGradient(at: theta, into: $0) }
        return g
    }

    private func checkBuffer(_ count: Int, _ expected: Int, _ what: String) throws {
        guard count == expected else {
            throw ObjectiveError.invalidParameters("\(what) buffer has \(count) elements, expected \(expected)")
        }
    }
}
