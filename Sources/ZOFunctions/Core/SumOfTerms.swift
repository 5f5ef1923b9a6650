/// A function that is a finite sum f(x) = Σₜ fₜ(x), t = 0 ..< `termCount` — Rosenbrock's
/// chained terms, per-coordinate sums, least-squares rows. ``SampledTerms`` turns any of them
/// into a minibatch (stochastic) function.
///
/// Contract: Σₜ `termValue(t)` equals `value` up to rounding (tested), and the `add…` methods
/// *accumulate* `scale ×` the term's derivative into their output (they never clear it), so a
/// minibatch is a loop over its terms.
public protocol SumOfTerms: TestFunction {
    /// T, the number of terms.
    var termCount: Int { get }
    /// fₜ(x).
    func termValue(_ term: Int, at x: UnsafeBufferPointer<Double>) -> Double
    /// gradient += scale·∇fₜ(x); returns fₜ(x).
    func addTermGradient(_ term: Int, at x: UnsafeBufferPointer<Double>, scale: Double,
                         into gradient: UnsafeMutableBufferPointer<Double>) -> Double
    /// hessian += scale·∇²fₜ(x) (row-major d×d).
    func addTermHessian(_ term: Int, at x: UnsafeBufferPointer<Double>, scale: Double,
                        into hessian: UnsafeMutableBufferPointer<Double>)
    /// diagonal += scale·diag ∇²fₜ(x).
    func addTermHessianDiagonal(_ term: Int, at x: UnsafeBufferPointer<Double>, scale: Double,
                                into diagonal: UnsafeMutableBufferPointer<Double>)
}

extension SumOfTerms {
    /// Σ_{t ∈ terms} scale·fₜ(x).
    public func value<Terms: Sequence<Int>>(at x: UnsafeBufferPointer<Double>, terms: Terms, scale: Double) -> Double {
        var sum = 0.0
        for t in terms { sum += termValue(t, at: x) }
        return scale * sum
    }

    /// Σ_{t ∈ terms} scale·fₜ(x), with its gradient written into `gradient`.
    public func valueAndGradient<Terms: Sequence<Int>>(
        at x: UnsafeBufferPointer<Double>, terms: Terms, scale: Double, into gradient: UnsafeMutableBufferPointer<Double>
    ) -> Double {
        gradient.update(repeating: 0)
        var sum = 0.0
        for t in terms { sum += addTermGradient(t, at: x, scale: scale, into: gradient) }
        return scale * sum
    }

    /// Σ_{t ∈ terms} scale·∇²fₜ(x) written into `hessian`.
    public func hessian<Terms: Sequence<Int>>(
        at x: UnsafeBufferPointer<Double>, terms: Terms, scale: Double, into hessian: UnsafeMutableBufferPointer<Double>
    ) {
        hessian.update(repeating: 0)
        for t in terms { addTermHessian(t, at: x, scale: scale, into: hessian) }
    }

    /// Σ_{t ∈ terms} scale·diag ∇²fₜ(x) written into `diagonal`.
    public func hessianDiagonal<Terms: Sequence<Int>>(
        at x: UnsafeBufferPointer<Double>, terms: Terms, scale: Double, into diagonal: UnsafeMutableBufferPointer<Double>
    ) {
        diagonal.update(repeating: 0)
        for t in terms { addTermHessianDiagonal(t, at: x, scale: scale, into: diagonal) }
    }

    // Full-sum implementations a conforming type can use for the TestFunction requirements.

    func valueFromTerms(at x: UnsafeBufferPointer<Double>) -> Double {
        value(at: x, terms: 0..<termCount, scale: 1)
    }

    func valueAndGradientFromTerms(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        valueAndGradient(at: x, terms: 0..<termCount, scale: 1, into: g)
    }

    func hessianFromTerms(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        hessian(at: x, terms: 0..<termCount, scale: 1, into: h)
    }

    func hessianDiagonalFromTerms(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        hessianDiagonal(at: x, terms: 0..<termCount, scale: 1, into: h)
    }
}

/// Row-major index helpers for d×d Hessians.
extension UnsafeMutableBufferPointer where Element == Double {
    /// self[i·d + j] += v (and self[j·d + i] += v when i ≠ j, keeping the matrix symmetric).
    @inline(__always)
    func addSymmetric(_ i: Int, _ j: Int, _ v: Double, dimension d: Int) {
        self[i * d + j] += v
        if i != j { self[j * d + i] += v }
    }
}
