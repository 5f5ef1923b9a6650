import Foundation

/// A box ∏ᵢ [lowerᵢ, upperᵢ] (bounds may be ±∞): the standard search domain of a function,
/// or a finite region to plot and sample.
public struct FunctionDomain: Hashable, Sendable, CustomStringConvertible {
    public let lower: [Double]
    public let upper: [Double]

    /// A box with per-coordinate bounds (same count, lower ≤ upper, no NaN).
    public init(lower: [Double], upper: [Double]) {
        precondition(lower.count == upper.count, "bounds of different lengths")
        precondition(zip(lower, upper).allSatisfy { $0 <= $1 }, "lower bound above upper bound")
        self.lower = lower
        self.upper = upper
    }

    /// The cube `bounds`ᵈ.
    public static func cube(_ bounds: ClosedRange<Double>, dimension: Int) -> FunctionDomain {
        FunctionDomain(lower: Array(repeating: bounds.lowerBound, count: dimension),
                       upper: Array(repeating: bounds.upperBound, count: dimension))
    }

    /// A 2-D box x ∈ `x`, y ∈ `y`.
    public static func rectangle(x: ClosedRange<Double>, y: ClosedRange<Double>) -> FunctionDomain {
        FunctionDomain(lower: [x.lowerBound, y.lowerBound], upper: [x.upperBound, y.upperBound])
    }

    /// All of Rᵈ.
    public static func unbounded(dimension: Int) -> FunctionDomain {
        cube(-Double.infinity...Double.infinity, dimension: dimension)
    }

    public var dimension: Int { lower.count }

    /// True when every bound is finite.
    public var isBounded: Bool { lower.allSatisfy(\.isFinite) && upper.allSatisfy(\.isFinite) }

    /// The bounds of coordinate `index`.
    public func bounds(_ index: Int) -> ClosedRange<Double> { lower[index]...upper[index] }

    /// True when `x` lies in the box (bounds included).
    public func contains(_ x: [Double]) -> Bool {
        x.withUnsafeBufferPointer { firstViolation($0) == nil }
    }

    /// The first coordinate of `x` outside the box, with its value (NaN counts as outside).
    public func firstViolation(_ x: UnsafeBufferPointer<Double>) -> (Int, Double)? {
        precondition(x.count == dimension, "expected \(dimension) coordinates, got \(x.count)")
        for i in 0..<x.count where !(x[i] >= lower[i] && x[i] <= upper[i]) { return (i, x[i]) }
        return nil
    }

    /// E.g. `[−2, 2]^d`, `x ∈ [−3, 3], y ∈ [−2, 2]`, `Rᵈ`.
    public var description: String {
        if dimension == 0 { return "R⁰" }
        if !lower.contains(where: \.isFinite) && !upper.contains(where: \.isFinite) { return "R^\(dimension)" }
        if Set(lower).count == 1 && Set(upper).count == 1 {
            let box = Self.interval(lower[0], upper[0])
            return dimension == 1 ? box : "\(box)^\(dimension)"
        }
        let names = dimension <= 3 ? ["x", "y", "z"] : (1...dimension).map { "x\($0)" }
        let shown = dimension <= 4 ? Array(0..<dimension) : [0, 1, 2, dimension - 1]
        var parts = shown.map { "\(names[$0]) ∈ \(Self.interval(lower[$0], upper[$0]))" }
        if dimension > 4 { parts.insert("…", at: 3) }
        return parts.joined(separator: ", ")
    }

    static func interval(_ a: Double, _ b: Double) -> String {
        "[\(NumberText.short(a)), \(NumberText.short(b))]"
    }
}

/// Compact number formatting for descriptions (Unicode minus, ±∞).
enum NumberText {
    /// `value` with up to `digits` significant digits, `−` for negatives, `∞` for infinities.
    static func short(_ value: Double, digits: Int = 7) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "−∞" : "∞" }
        var text = String(format: "%.\(digits)g", value)
        if text == "-0" { text = "0" }
        return text.replacingOccurrences(of: "-", with: "−")
    }

    /// `(a, b, …)`, eliding the middle of long vectors.
    static func vector(_ values: [Double], digits: Int = 7, limit: Int = 8) -> String {
        if values.count <= limit {
            return "(" + values.map { short($0, digits: digits) }.joined(separator: ", ") + ")"
        }
        let head = values.prefix(limit / 2).map { short($0, digits: digits) }
        let tail = values.suffix(2).map { short($0, digits: digits) }
        return "(" + (head + ["…"] + tail).joined(separator: ", ") + ")"
    }
}
