import Foundation

/// How the contour levels of a field are chosen.
public enum ContourLevels: Hashable, Sendable {
    /// About `count` levels at nice linear values (``Ticks/linear(from:to:targetCount:)``)
    /// inside the finite range of the field.
    case linear(count: Int)
    /// About `count` levels equally spaced in log₁₀, aligned so every power of ten in range is
    /// a level (``logarithmicLevels(from:to:count:)``), from `minimum` (default: the smallest
    /// positive value, but at least 10⁻⁸ × the maximum) to the maximum. For fields spanning
    /// decades (Rosenbrock, Beale). Values ≤ the lowest level fall in the lowest band.
    case logarithmic(count: Int, minimum: Double? = nil)
    /// These levels, strictly increasing and finite.
    case explicit([Double])

    /// Smallest lower bound `.logarithmic` uses by default, relative to the field's maximum.
    public static let defaultLogFloor = 1e-8

    /// The levels for `grid`, strictly increasing. Empty when the grid has no finite value
    /// (or, for log levels, no positive one): the figure then shows only holes.
    public func resolve(for grid: ScalarGrid) throws -> [Double] {
        switch self {
        case .explicit(let levels):
            guard !levels.isEmpty else { throw PlotError.invalidLevels("explicit levels are empty") }
            guard levels.allSatisfy(\.isFinite) else { throw PlotError.invalidLevels("explicit levels must be finite") }
            guard zip(levels, levels.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw PlotError.invalidLevels("explicit levels must be strictly increasing: \(levels)")
            }
            return levels
        case .linear(let count):
            guard count >= 1 else { throw PlotError.invalidLevels("count must be ≥ 1, got \(count)") }
            guard let (lo, hi) = grid.finiteRange else { return [] }
            return Self.linearLevels(from: lo, to: hi, count: count)
        case .logarithmic(let count, let minimum):
            guard count >= 1 else { throw PlotError.invalidLevels("count must be ≥ 1, got \(count)") }
            if let m = minimum, !(m > 0 && m.isFinite) {
                throw PlotError.invalidLevels("log levels need a finite minimum > 0, got \(m)")
            }
            guard let (_, hi) = grid.finiteRange, hi > 0 else { return [] }
            let lo = minimum ?? max(grid.minimumPositive ?? hi, hi * Self.defaultLogFloor)
            return Self.logarithmicLevels(from: lo, to: hi, count: count)
        }
    }

    /// Nice linear levels in [lo, hi]; a single level when lo == hi (a flat field).
    public static func linearLevels(from lo: Double, to hi: Double, count: Int) -> [Double] {
        guard lo.isFinite, hi.isFinite else { return [] }
        guard hi > lo else { return [lo] }
        return Ticks.linear(from: lo, to: hi, targetCount: max(2, count)).map(\.value)
    }

    /// Levels 10^(j/p) for every integer j with lo ≤ 10^(j/p) ≤ hi, where p (levels per
    /// decade) = max(1, round(count / decades)). Consecutive levels have the constant ratio
    /// 10^(1/p) and every power of ten in [lo, hi] is a level. Falls back to [lo, hi] spaced
    /// geometrically in `count` steps if that leaves fewer than two levels.
    public static func logarithmicLevels(from lo: Double, to hi: Double, count: Int) -> [Double] {
        guard lo > 0, lo.isFinite, hi.isFinite else { return [] }
        guard hi > lo else { return [lo] }
        let l0 = log10(lo), l1 = log10(hi)
        let decades = l1 - l0
        let perDecade = max(1, Int((Double(count) / decades).rounded()))
        let p = Double(perDecade)
        let eps = 1e-9
        let jLo = Int((l0 * p - eps).rounded(.up)), jHi = Int((l1 * p + eps).rounded(.down))
        if jHi - jLo + 1 >= 2 && jHi - jLo < 100_000 {
            return (jLo...jHi).map { j in j % perDecade == 0 ? pow(10, Double(j / perDecade)) : pow(10, Double(j) / p) }
        }
        let n = max(2, count)
        return (0..<n).map { k in k == n - 1 ? hi : pow(10, l0 + decades * Double(k) / Double(n - 1)) }
    }
}
