/// How many times a ``FunctionObjective`` was asked for each quantity (for optimizer tests:
/// "MeZO uses two forward passes per step", "HiZOO three").
public struct EvaluationCounts: Hashable, Sendable, CustomStringConvertible {
    /// `loss()` calls (forward passes).
    public var forward = 0
    /// `lossAndGradient(into:)` calls.
    public var gradient = 0
    /// `hessianDiagonal(into:)` and `hessian(into:)` calls.
    public var hessian = 0
    /// `selectBatch(_:)` calls.
    public var batchSelections = 0

    public init() {}

    public var description: String {
        "\(forward) forward, \(gradient) gradient, \(hessian) Hessian, \(batchSelections) batch selections"
    }
}
