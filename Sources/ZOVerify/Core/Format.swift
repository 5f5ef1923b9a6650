import Foundation

/// Number formatting for summaries, pages and tables.
public enum Format {
    /// `value` with `digits` significant digits (%g).
    public static func number(_ value: Double, digits: Int = 4) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "−∞") }
        return String(format: "%.\(digits)g", value)
    }

    /// "[lo, hi]".
    public static func interval(_ i: IntervalEstimate?, digits: Int = 4) -> String {
        guard let i else { return "—" }
        return "[\(number(i.lower, digits: digits)), \(number(i.upper, digits: digits))]"
    }

    /// Seconds as "12.3 s" or "4 min 05 s".
    public static func duration(_ seconds: Double) -> String {
        if seconds < 120 { return String(format: "%.1f s", seconds) }
        let m = Int(seconds) / 60, s = Int(seconds) % 60
        return String(format: "%d min %02d s", m, s)
    }

    /// A probability like 5.3e-5.
    public static func probability(_ p: Double) -> String { number(p, digits: 3) }

    /// 1234567 → "1,234,567".
    public static func count(_ n: Int) -> String {
        let s = String(abs(n))
        var out = ""
        for (i, c) in s.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + String(out.reversed())
    }
}
