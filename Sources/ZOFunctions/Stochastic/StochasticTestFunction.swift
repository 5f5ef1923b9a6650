/// A test function with minibatch noise: f(x) = E_batch[f_batch(x)], where batch `index` is a
/// deterministic function of the function's seed and `index`.
///
/// The ``TestFunction`` requirements (`value`, `valueAndGradient`, …) give the full-batch
/// (expected) function; the `batch:` variants give one minibatch's estimate. Each minibatch
/// estimate is unbiased for f (uniform sampling without replacement, scaled by T/B).
public protocol StochasticTestFunction: TestFunction {
    /// B, the terms per minibatch.
    var batchSize: Int { get }
    /// The minibatch with index `index` (any Int; negative indices are valid streams too).
    func minibatch(_ index: Int) -> Minibatch
    /// f_batch(x).
    func value(at x: UnsafeBufferPointer<Double>, batch: Minibatch) -> Double
    /// f_batch(x), and ∇f_batch(x) into `gradient`.
    func valueAndGradient(at x: UnsafeBufferPointer<Double>, batch: Minibatch,
                          into gradient: UnsafeMutableBufferPointer<Double>) -> Double
    /// ∇²f_batch(x), row-major d×d.
    func hessian(at x: UnsafeBufferPointer<Double>, batch: Minibatch, into hessian: UnsafeMutableBufferPointer<Double>)
    /// diag ∇²f_batch(x).
    func hessianDiagonal(at x: UnsafeBufferPointer<Double>, batch: Minibatch,
                         into diagonal: UnsafeMutableBufferPointer<Double>)
}

extension StochasticTestFunction {
    /// f_batch(x) for an array `x`.
    public func value(_ x: [Double], batch: Minibatch) -> Double {
        precondition(x.count == dimension, "expected \(dimension) coordinates, got \(x.count)")
        return x.withUnsafeBufferPointer { value(at: $0, batch: batch) }
    }

    /// ∇f_batch(x) as a new array.
    public func gradient(_ x: [Double], batch: Minibatch) -> [Double] {
        precondition(x.count == dimension, "expected \(dimension) coordinates, got \(x.count)")
        var g = [Double](repeating: 0, count: dimension)
        _ = x.withUnsafeBufferPointer { xp in g.withUnsafeMutableBufferPointer { valueAndGradient(at: xp, batch: batch, into: $0) } }
        return g
    }

    /// ∇²f_batch(x) as a row-major array.
    public func hessian(_ x: [Double], batch: Minibatch) -> [Double] {
        precondition(x.count == dimension, "expected \(dimension) coordinates, got \(x.count)")
        var h = [Double](repeating: 0, count: dimension * dimension)
        x.withUnsafeBufferPointer { xp in h.withUnsafeMutableBufferPointer { hessian(at: xp, batch: batch, into: $0) } }
        return h
    }
}

/// One minibatch: which terms of a ``SumOfTerms`` function it holds and the weight that makes
/// its sum an unbiased estimate of the full sum.
public struct Minibatch: Hashable, Sendable {
    /// The batch index it was drawn for.
    public let index: Int
    /// Distinct term indices, ascending.
    public let terms: [Int]
    /// T/B: f_batch = weight · Σ_{t ∈ terms} fₜ.
    public let weight: Double

    public init(index: Int, terms: [Int], weight: Double) {
        self.index = index
        self.terms = terms
        self.weight = weight
    }
}
