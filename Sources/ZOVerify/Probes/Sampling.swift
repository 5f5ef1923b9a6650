import ZOCore

/// Loops that draw estimates and feed statistics.
public enum Sampling {
    /// n draws of `estimator` at the objective's current θ, each minus `reference`, per coordinate.
    public static func coordinateMeans<S: ZOScalar>(
        _ estimator: any GradientEstimator<S>, on objective: any Objective<S>, reference: [Double], draws n: Int,
        firstIndex: Int = 0
    ) throws -> CoordinateMeans {
        var means = CoordinateMeans(dimension: reference.count)
        for i in 0..<n { means.add(try estimator.draw(firstIndex + i, on: objective), minus: reference) }
        return means
    }

    /// Σ aᵢbᵢ.
    @inlinable public static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in a.indices { s += a[i] * b[i] }
        return s
    }

    /// ‖a‖².
    @inlinable public static func squaredNorm(_ a: [Double]) -> Double { dot(a, a) }

    /// cos(a, b) (0 when either is 0).
    @inlinable public static func cosine(_ a: [Double], _ b: [Double]) -> Double {
        let na = squaredNorm(a), nb = squaredNorm(b)
        guard na > 0, nb > 0 else { return 0 }
        return dot(a, b) / (na * nb).squareRoot()
    }
}
