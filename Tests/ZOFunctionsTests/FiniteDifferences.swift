import ZOCore
@testable import ZOFunctions

/// Finite-difference references for the derivative tests.
///
/// Both use the 5-point central stencil (−f(x+2h) + 8f(x+h) − 8f(x−h) + f(x−2h)) / 12h with
/// h = 1e-3: truncation error h⁴ f⁽⁵⁾/30 (exact for quartics), rounding ≈ 1.5 ε |f| / h.
enum FiniteDifferences {
    static let step = 1e-3

    /// ∂f/∂xᵢ by the 5-point stencil on `value`.
    static func gradient(_ value: ([Double]) -> Double, at x: [Double]) -> [Double] {
        (0..<x.count).map { i in
            func f(_ k: Double) -> Double {
                var y = x
                y[i] += k * step
                return value(y)
            }
            return (-f(2) + 8 * f(1) - 8 * f(-1) + f(-2)) / (12 * step)
        }
    }

    /// ∂gᵢ/∂xⱼ by the 5-point stencil on `gradient`, row-major d×d.
    static func hessian(_ gradient: ([Double]) -> [Double], at x: [Double]) -> [Double] {
        let d = x.count
        var h = [Double](repeating: 0, count: d * d)
        for j in 0..<d {
            func g(_ k: Double) -> [Double] {
                var y = x
                y[j] += k * step
                return gradient(y)
            }
            let (p2, p1, m1, m2) = (g(2), g(1), g(-1), g(-2))
            for i in 0..<d { h[i * d + j] = (-p2[i] + 8 * p1[i] - 8 * m1[i] + m2[i]) / (12 * step) }
        }
        return h
    }

    /// Largest error ratio |aᵢ − bᵢ| / scaleᵢ with
    /// scaleᵢ = max(|aᵢ|, 1e-3·max|a|, 1e-6·(1 + floor)) — a per-component relative error
    /// with a floor for components near zero and for rounding of large function values.
    static func worstRelativeError(_ exact: [Double], _ approx: [Double], floor: Double) -> Double {
        let largest = exact.map(abs).max() ?? 0
        var worst = 0.0
        for (a, b) in zip(exact, approx) {
            let scale = max(abs(a), 1e-3 * largest, 1e-6 * (1 + floor))
            worst = max(worst, abs(a - b) / scale)
        }
        return worst
    }
}

/// Seeded random points for the tests.
enum TestPoints {
    /// `count` points uniform in `box` (finite), from the Philox stream (seed, stream).
    static func uniform(in box: FunctionDomain, count: Int, seed: UInt64, stream: UInt64 = 0) -> [[Double]] {
        var rng = PhiloxRandom(seed: seed, stream: stream)
        return (0..<count).map { _ in
            (0..<box.dimension).map { i in box.lower[i] + (box.upper[i] - box.lower[i]) * rng.nextUniform() }
        }
    }

    /// The view box intersected with [−1.5, 1.5]ᵈ, where it overlaps — small-scale points
    /// where the lower-order terms are not swamped (e.g. Zakharov's quartic).
    static func innerBox(_ f: any TestFunction) -> FunctionDomain? {
        let v = f.viewDomain
        let lower = v.lower.map { max($0, -1.5) }, upper = v.upper.map { min($0, 1.5) }
        guard zip(lower, upper).allSatisfy({ $0 < $1 }) else { return nil }
        return FunctionDomain(lower: lower, upper: upper)
    }

    /// Points where the function is smooth enough for the stencil (≥ 5h from its kinks).
    static func isSmooth(_ f: any TestFunction, at x: [Double]) -> Bool {
        let margin = 5 * FiniteDifferences.step
        switch f.name {
        case "powell-1973": return x.allSatisfy { abs(abs($0) - 1) > margin }
        case "sum-of-different-powers": return x.dropFirst().allSatisfy { abs($0) > margin }
        case "ackley": return x.contains { abs($0) > 0.1 }
        default: return true
        }
    }

    /// Seeded test points for `f`: `count` from the view box and `count` from the inner box,
    /// skipping non-smooth ones.
    static func points(for f: any TestFunction, count: Int = 4, seed: UInt64 = 2024) -> [[Double]] {
        var all = uniform(in: f.viewDomain, count: count, seed: seed, stream: UInt64(f.dimension))
        if let inner = innerBox(f) { all += uniform(in: inner, count: count, seed: seed, stream: 1000 + UInt64(f.dimension)) }
        return all.filter { isSmooth(f, at: $0) }
    }
}

/// Every catalog function in its example dimensions (capped at 10), plus the stochastic
/// versions, as (label, function) cases.
enum Cases {
    static func dimensions(_ descriptor: FunctionDescriptor) -> [Int] {
        descriptor.dimensions.examples.filter { $0 <= 10 }
    }

    static func functions(_ name: String) throws -> [any TestFunction] {
        let descriptor = try FunctionCatalog.descriptor(named: name)
        return try dimensions(descriptor).map { try FunctionCatalog.make(name, dimension: $0) }
    }
}
