import ZOCore

/// A ``GPTModel`` as a ZOCore ``Objective``: θ = ``GPTModel/trainable``, the loss is the
/// model's batch loss on the current batch.
///
/// - ``loss()`` is the inference pass (forward only; the memory of a ZO step).
/// - ``lossAndGradient(into:)`` is the training pass plus backward (first-order baselines).
/// - The current batch is ``batch`` (set it directly) or, when ``batchProvider`` is set,
///   ``selectBatch(_:)`` asks the provider for batch `index` (deterministic in the index).
/// Non-finite losses throw ``ObjectiveError/nonFiniteLoss(_:)``; a missing batch throws
/// ``ModelError/invalidBatch(_:)``.
public final class ModelObjective: Objective {
    public typealias Scalar = Float

    public let model: GPTModel
    /// The minibatch `loss()` evaluates.
    public var batch: TokenBatch?
    /// Batch `index` for ``selectBatch(_:)``; nil for a fixed batch.
    public var batchProvider: ((Int) -> TokenBatch)?

    public init(model: GPTModel, batch: TokenBatch? = nil, batchProvider: ((Int) -> TokenBatch)? = nil) {
        self.model = model
        self.batch = batch
        self.batchProvider = batchProvider
    }

    public var parameters: ParameterSet<Float> { model.trainable }

    public var providesGradient: Bool { true }
    public var isStochastic: Bool { batchProvider != nil }

    public func selectBatch(_ index: Int) {
        if let batchProvider { batch = batchProvider(index) }
    }

    private func currentBatch() throws -> TokenBatch {
        guard let batch else { throw ModelError.invalidBatch("ModelObjective has no current batch") }
        return batch
    }

    public func loss() throws -> Double {
        let value = try model.loss(try currentBatch())
        guard value.isFinite else { throw ObjectiveError.nonFiniteLoss(value) }
        return value
    }

    public func lossAndGradient(into gradient: UnsafeMutableBufferPointer<Float>) throws -> Double {
        let value = try model.lossAndGradient(try currentBatch(), into: gradient)
        guard value.isFinite else { throw ObjectiveError.nonFiniteLoss(value) }
        return value
    }
}
