/// A coordinate-separable function f(x) = Σᵢ φᵢ(xᵢ): the Hessian is diagonal, and each
/// coordinate is one term of the ``SumOfTerms`` structure. Conforming types implement
/// `component(_:_:)`; value, gradient, Hessian and the term methods follow.
public protocol SeparableFunction: SumOfTerms {
    /// φᵢ(v), φᵢ′(v), φᵢ″(v) for coordinate `index`.
    func component(_ index: Int, _ v: Double) -> (value: Double, slope: Double, curvature: Double)
}

extension SeparableFunction {
    public var termCount: Int { dimension }

    public func termValue(_ t: Int, at x: UnsafeBufferPointer<Double>) -> Double { component(t, x[t]).value }

    public func addTermGradient(_ t: Int, at x: UnsafeBufferPointer<Double>, scale: Double,
                                into g: UnsafeMutableBufferPointer<Double>) -> Double {
        let c = component(t, x[t])
        g[t] += scale * c.slope
        return c.value
    }

    public func addTermHessian(_ t: Int, at x: UnsafeBufferPointer<Double>, scale: Double,
                               into h: UnsafeMutableBufferPointer<Double>) {
        h[t * dimension + t] += scale * component(t, x[t]).curvature
    }

    public func addTermHessianDiagonal(_ t: Int, at x: UnsafeBufferPointer<Double>, scale: Double,
                                       into h: UnsafeMutableBufferPointer<Double>) {
        h[t] += scale * component(t, x[t]).curvature
    }

    public func value(at x: UnsafeBufferPointer<Double>) -> Double {
        var sum = 0.0
        for i in 0..<dimension { sum += component(i, x[i]).value }
        return sum
    }

    public func valueAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        var sum = 0.0
        for i in 0..<dimension {
            let c = component(i, x[i])
            sum += c.value
            g[i] = c.slope
        }
        return sum
    }

    public func hessian(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        h.update(repeating: 0)
        for i in 0..<dimension { h[i * dimension + i] = component(i, x[i]).curvature }
    }

    public func hessianDiagonal(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<dimension { h[i] = component(i, x[i]).curvature }
    }
}
