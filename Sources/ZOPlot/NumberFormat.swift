import Foundation

/// Number → label text for ticks, colour bars and settings lines.
public enum NumberFormat {
    /// `value` with exactly `decimals` digits after the point; "−0" is printed as "0".
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return nonFinite(value) }
        let s = String(format: "%.\(max(0, decimals))f", value)
        return s.allSatisfy({ "-0.".contains($0) }) ? String(s.drop(while: { $0 == "-" })) : minusSign(s)
    }

    /// `10ᵏ` with Unicode superscripts, e.g. `power(-3)` = "10⁻³".
    public static func power(_ exponent: Int) -> String { "10" + superscript(exponent) }

    /// `m×10ᵏ` with `significant` digits in m (trailing zeros removed), or `10ᵏ` when m = 1.
    public static func scientific(_ value: Double, significant: Int = 3) -> String {
        guard value.isFinite else { return nonFinite(value) }
        guard value != 0 else { return "0" }
        var exponent = Int(log10(abs(value)).rounded(.down))
        var mantissa = value / pow(10, Double(exponent))
        let rounded = (mantissa * pow(10, Double(significant - 1))).rounded() / pow(10, Double(significant - 1))
        mantissa = rounded
        if abs(mantissa) >= 10 { mantissa /= 10; exponent += 1 }
        let m = trimZeros(String(format: "%.\(max(0, significant - 1))f", mantissa))
        if m == "1" { return power(exponent) }
        if m == "-1" { return "−" + power(exponent) }
        return minusSign(m) + "×" + power(exponent)
    }

    /// Short general-purpose text: plain decimals for 10⁻³ ≤ |v| < 10⁵, scientific otherwise.
    public static func compact(_ value: Double, significant: Int = 3) -> String {
        guard value.isFinite else { return nonFinite(value) }
        if value == 0 { return "0" }
        let a = abs(value)
        if a >= 1e-3 && a < 1e5 {
            let digitsBefore = Int(log10(a).rounded(.down)) + 1
            let decimals = max(0, significant - digitsBefore)
            return minusSign(trimZeros(String(format: "%.\(decimals)f", value)))
        }
        return scientific(value, significant: significant)
    }

    /// Integer exponent in Unicode superscripts ("⁻¹²").
    public static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        let body = String(abs(n)).map { digits[Int(String($0))!] }
        return (n < 0 ? "⁻" : "") + String(body)
    }

    static func trimZeros(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = s
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t == "-0" ? "0" : t
    }

    /// Typographic minus (U+2212) instead of the hyphen.
    static func minusSign(_ s: String) -> String { s.hasPrefix("-") ? "−" + s.dropFirst() : s }

    static func nonFinite(_ v: Double) -> String { v.isNaN ? "NaN" : (v > 0 ? "∞" : "−∞") }
}
