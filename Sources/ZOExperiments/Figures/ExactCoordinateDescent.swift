import ZOFunctions

/// Cyclic exact coordinate minimisation, θ_i ← argmin_v f(θ₁, …, v, …, θ_d) for i = 1, 2, …,
/// d, 1, 2, … — the method of Powell's (1973) counterexample (CHECKS.md 6e), in closed form:
///
/// - `powell-1973`, f = −(xy + yz + zx) + Σ (|v| − 1)₊²: along coordinate i with s the sum of
///   the other two, f = −v·s + (|v| − 1)₊² + const, minimised at v = sign(s)(1 + |s|/2)
///   (for s = 0 every v ∈ [−1, 1] is a minimiser: the method is undefined there and throws).
/// - the quadratics (`diagonal-quadratic`, `rotated-quadratic`,
///   `block-heterogeneous-quadratic`, `hizoo-c`): f is a parabola in each coordinate, so
///   v = θ_i − ∂_i f / ∂²_ii f is exact.
///
/// One "step" is one coordinate update (a cycle is d steps). No function evaluations are
/// needed beyond the formula, so the path is exact up to rounding — which, on Powell's
/// function, breaks the cycle after about 7 sweeps in Float64 (ε shrinks 64× per 6 updates);
/// use ε = 0.5 and ≤ 5 cycles.
public enum ExactCoordinateDescent {
    /// The name presets use for this method (it is not a registry optimizer).
    public static let methodName = "exact-cd"

    /// Catalog ids with a closed-form coordinate minimiser.
    public static let supportedFunctions = ["powell-1973", "diagonal-quadratic", "rotated-quadratic",
                                            "block-heterogeneous-quadratic", "hizoo-c"]

    public static func supports(_ function: any TestFunction) -> Bool { supportedFunctions.contains(function.name) }

    /// Errors of the method.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case unsupported(String)
        case notUnique(step: Int, coordinate: Int)

        public var description: String {
            switch self {
            case .unsupported(let name):
                return "\(methodName) has no closed form for \(name) (supported: \(supportedFunctions.joined(separator: ", ")))"
            case .notUnique(let step, let coordinate):
                return "\(methodName): the minimiser along coordinate \(coordinate + 1) is not unique at step \(step)"
            }
        }
    }

    /// θ₀, θ₁, …, θ_steps: the iterate after each coordinate update, cycling 0, 1, …, d − 1.
    public static func path(_ function: any TestFunction, from start: [Double], steps: Int) throws -> [[Double]] {
        guard supports(function) else { throw Failure.unsupported(function.name) }
        precondition(start.count == function.dimension, "start has the wrong dimension")
        var x = start
        var out = [x]
        out.reserveCapacity(steps + 1)
        for t in 0..<steps {
            let i = t % function.dimension
            x[i] = try minimiser(function, at: x, coordinate: i, step: t)
            out.append(x)
        }
        return out
    }

    /// argmin over coordinate `i` of f with the other coordinates of `x` fixed.
    static func minimiser(_ function: any TestFunction, at x: [Double], coordinate i: Int, step: Int) throws -> Double {
        if function.name == "powell-1973" {
            let s = x.indices.filter { $0 != i }.reduce(0.0) { $0 + x[$1] }
            guard s != 0 else { throw Failure.notUnique(step: step, coordinate: i) }
            return (s < 0 ? -1 : 1) * (1 + abs(s) / 2)
        }
        let g = function.gradient(x)[i], h = function.hessianDiagonal(x)[i]
        guard h > 0 else { throw Failure.notUnique(step: step, coordinate: i) }
        return x[i] - g / h
    }
}
