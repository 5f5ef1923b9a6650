/// A loss over the parameters of a ``ParameterSet`` — served by the analytic test functions
/// (Float64) and by the transformer (Float32) alike; every optimizer works through it.
///
/// Contract:
/// - `loss()` evaluates at the *current* contents of `parameters` on the *current* minibatch,
///   forward only. Optimizers perturb `parameters` in place, call `loss()`, and restore.
/// - The minibatch changes only through `selectBatch(_:)`, so the two evaluations of an SPSA
///   estimate see the same data. Batch contents are a deterministic function of the
///   objective's own seed and the batch index.
/// - Gradients, Hessians: exact where the objective has them (test functions), backprop for
///   the transformer (gradient only); otherwise they throw ``ObjectiveError/unavailable(_:)``.
public protocol Objective<Scalar>: AnyObject {
    associatedtype Scalar: ZOScalar

    /// The trainable parameters θ (d = `parameters.count`).
    var parameters: ParameterSet<Scalar> { get }

    /// L(θ) on the current minibatch (one forward pass).
    func loss() throws -> Double

    /// L(θ) and ∇L(θ) on the current minibatch; `gradient` has d elements and is overwritten.
    func lossAndGradient(into gradient: UnsafeMutableBufferPointer<Scalar>) throws -> Double

    /// diag ∇²L(θ) into `diagonal` (d elements).
    func hessianDiagonal(into diagonal: UnsafeMutableBufferPointer<Double>) throws

    /// ∇²L(θ), row-major d×d, into `hessian` (d² elements). Only for small d.
    func hessian(into hessian: UnsafeMutableBufferPointer<Double>) throws

    /// Whether `lossAndGradient` works.
    var providesGradient: Bool { get }
    /// Whether `hessianDiagonal` / `hessian` work.
    var providesHessian: Bool { get }

    /// True when `selectBatch` changes the loss (minibatch noise).
    var isStochastic: Bool { get }

    /// Makes batch `index` current. A no-op for deterministic objectives.
    func selectBatch(_ index: Int)
}

extension Objective {
    public var providesGradient: Bool { false }
    public var providesHessian: Bool { false }
    public var isStochastic: Bool { false }
    public func selectBatch(_ index: Int) {}

    public func lossAndGradient(into gradient: UnsafeMutableBufferPointer<Scalar>) throws -> Double {
        throw ObjectiveError.unavailable("gradient")
    }

    public func hessianDiagonal(into diagonal: UnsafeMutableBufferPointer<Double>) throws {
        throw ObjectiveError.unavailable("Hessian diagonal")
    }

    public func hessian(into hessian: UnsafeMutableBufferPointer<Double>) throws {
        throw ObjectiveError.unavailable("Hessian")
    }

    /// ∇L(θ) as a new array (convenience for small d).
    public func gradient() throws -> [Scalar] {
        var g = [Scalar](repeating: 0, count: parameters.count)
        _ = try g.withUnsafeMutableBufferPointer { try lossAndGradient(into: $0) }
        return g
    }
}

/// Errors an objective raises.
public enum ObjectiveError: Error, Equatable, CustomStringConvertible {
    /// The objective cannot compute this quantity (e.g. a Hessian of the transformer).
    case unavailable(String)
    /// The loss came out NaN or infinite.
    case nonFiniteLoss(Double)
    /// θ has the wrong size or holds values outside the objective's domain.
    case invalidParameters(String)

    public var description: String {
        switch self {
        case .unavailable(let what): return "this objective does not provide a \(what)"
        case .nonFiniteLoss(let v): return "the loss is not finite (\(v)): the run diverged"
        case .invalidParameters(let why): return "invalid parameters: \(why)"
        }
    }
}
