/// Which dimensions d a function supports.
public enum DimensionRule: Hashable, Sendable, CustomStringConvertible {
    /// Exactly `n` (the 2-D functions, Powell's 3-D function).
    case fixed(Int)
    /// Any d ≥ `n`.
    case atLeast(Int)
    /// d = k·`n` for k ≥ 1 (even d for n = 2).
    case multiple(of: Int)
    /// `range.lowerBound` ≤ d ≤ `range.upperBound` (functions that store d×d matrices).
    case between(ClosedRange<Int>)

    /// True when `dimension` is supported.
    public func accepts(_ dimension: Int) -> Bool {
        switch self {
        case .fixed(let n): return dimension == n
        case .atLeast(let n): return dimension >= n
        case .multiple(let n): return dimension >= n && dimension % n == 0
        case .between(let r): return r.contains(dimension)
        }
    }

    /// A few supported dimensions, smallest first (for tests and help text).
    public var examples: [Int] {
        let candidates: [Int]
        switch self {
        case .fixed(let n): return [n]
        case .atLeast(let n): candidates = [n, n + 1, 5, 10]
        case .multiple(let n): candidates = [n, 2 * n, 4 * n]
        case .between(let r): candidates = [r.lowerBound, r.lowerBound + 1, 5, 10]
        }
        return Array(Set(candidates.filter(accepts))).sorted()
    }

    public var description: String {
        switch self {
        case .fixed(let n): return "\(n) only"
        case .atLeast(let n): return "any d ≥ \(n)"
        case .multiple(2): return "even d ≥ 2"
        case .multiple(let n): return "d a multiple of \(n)"
        case .between(let r): return "\(r.lowerBound) ≤ d ≤ \(r.upperBound)"
        }
    }

    /// Short form for tables: `2`, `d≥1`, `even d`, `4k`, `1…512`.
    public var shortDescription: String {
        switch self {
        case .fixed(let n): return "\(n)"
        case .atLeast(let n): return "d≥\(n)"
        case .multiple(2): return "even d"
        case .multiple(let n): return "\(n)k"
        case .between(let r): return "\(r.lowerBound)…\(r.upperBound)"
        }
    }
}
