import Foundation

/// One axis tick: its data value, its label (empty for minor ticks) and whether it is major.
public struct Tick: Hashable, Sendable {
    public var value: Double
    public var label: String
    public var isMajor: Bool

    public init(value: Double, label: String, isMajor: Bool = true) {
        self.value = value
        self.label = label
        self.isMajor = isMajor
    }
}

/// Tick placement: Heckbert's "nice numbers" for linear axes (Graphics Gems I, 1990) and
/// decades for logarithmic ones.
public enum Ticks {
    /// A "nice" number near `x` > 0: 1, 2, 5 or 10 times a power of ten. With `round`, the
    /// nearest such number (thresholds 1.5, 3, 7); without, the smallest one ≥ x.
    public static func niceNumber(_ x: Double, round: Bool) -> Double {
        precondition(x > 0 && x.isFinite, "niceNumber needs a finite positive value")
        let exponent = log10(x).rounded(.down)
        let power = pow(10, exponent)
        let f = x / power
        let nice: Double
        if round {
            nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10
        } else {
            nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10
        }
        return nice * power
    }

    /// The nice step for about `targetCount` ticks over [lo, hi].
    public static func niceStep(from lo: Double, to hi: Double, targetCount: Int) -> Double {
        let range = niceNumber(hi - lo, round: false)
        return niceNumber(range / Double(max(1, targetCount - 1)), round: true)
    }

    /// [lo, hi] widened outwards to multiples of the nice step ("loose" labelling).
    public static func looseRange(from lo: Double, to hi: Double, targetCount: Int) -> ClosedRange<Double> {
        guard lo.isFinite, hi.isFinite else { return 0...1 }
        guard hi > lo else {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            return (lo - pad)...(hi + pad)
        }
        let step = niceStep(from: lo, to: hi, targetCount: targetCount)
        return ((lo / step).rounded(.down) * step)...((hi / step).rounded(.up) * step)
    }

    /// Major ticks at multiples of the nice step inside [lo, hi] (inclusive, with a relative
    /// tolerance of 10⁻⁹ of the range), labelled with the decimals the step needs. Empty for a
    /// non-finite or empty range.
    ///
    /// Heckbert's step can leave a single tick inside a tight range (e.g. [−1, 1] with a
    /// target of 2 gives step 2); the target is then raised until at least two ticks fall
    /// inside, so every axis can be read.
    public static func linear(from lo: Double, to hi: Double, targetCount: Int = 6) -> [Tick] {
        guard lo.isFinite, hi.isFinite, hi > lo, (hi - lo).isFinite else { return [] }
        var target = max(2, targetCount)
        var ticks = linearTicks(from: lo, to: hi, targetCount: target)
        while ticks.count < 2 && target < 12 {
            target += 1
            ticks = linearTicks(from: lo, to: hi, targetCount: target)
        }
        return ticks
    }

    static func linearTicks(from lo: Double, to hi: Double, targetCount: Int) -> [Tick] {
        let step = niceStep(from: lo, to: hi, targetCount: targetCount)
        let tolerance = (hi - lo) * 1e-9
        let first = ((lo - tolerance) / step).rounded(.up)
        let last = ((hi + tolerance) / step).rounded(.down)
        guard first <= last, last - first < 10_000 else { return [] }
        let values = stride(from: first, through: last, by: 1).map { k -> Double in
            let v = k * step
            return abs(v) < step * 1e-9 ? 0 : v
        }
        let labels = labels(for: values, step: step)
        return zip(values, labels).map { Tick(value: $0, label: $1) }
    }

    /// Labels for equally spaced values: fixed decimals for moderate magnitudes, a common
    /// scientific form otherwise.
    static func labels(for values: [Double], step: Double) -> [String] {
        let magnitude = values.map(abs).max() ?? 0
        if magnitude < 1e5 && step >= 1e-4 {
            let decimals = max(0, -Int((log10(step) + 1e-9).rounded(.down)))
            return values.map { NumberFormat.fixed($0, decimals: decimals) }
        }
        let significant = max(1, Int((log10(magnitude / step) + 1e-9).rounded(.down)) + 1)
        return values.map { NumberFormat.scientific($0, significant: min(4, significant)) }
    }

    /// Ticks for a log axis over [lo, hi], lo > 0.
    ///
    /// - At least two powers of ten in range: majors at every k-th decade (k chosen so that
    ///   at most `targetCount` are labelled, k ∈ {1, 2, 3, 4, 5, 10, 20, 25, 50, 100}, aligned to
    ///   multiples of k), labelled "10ᵏ";
    ///   minors at 2…9 × 10ᵏ when every decade is labelled, else at the skipped decades.
    /// - Otherwise (a range narrower than a decade): majors at 1, 2, 5 × 10ᵏ if that gives
    ///   at least two, else the linear nice ticks; labelled in compact form.
    public static func logarithmic(from lo: Double, to hi: Double, targetCount: Int = 6) -> [Tick] {
        guard lo > 0, lo.isFinite, hi.isFinite, hi > lo else { return [] }
        let l0 = log10(lo), l1 = log10(hi)
        let eps = 1e-9 * max(1, l1 - l0)
        let kLo = Int((l0 - eps).rounded(.up)), kHi = Int((l1 + eps).rounded(.down))
        if kHi - kLo + 1 >= 2 {
            let count = kHi - kLo + 1
            let needed = max(1, Int((Double(count) / Double(max(1, targetCount))).rounded(.up)))
            let every = [1, 2, 3, 4, 5, 10, 20, 25, 50, 100].first { $0 >= needed } ?? needed
            var ticks: [Tick] = []
            for k in (kLo - 1)...(kHi) {
                let decade = pow(10, Double(k))
                if k >= kLo {
                    let labelled = ((k % every) + every) % every == 0
                    ticks.append(Tick(value: decade, label: labelled ? NumberFormat.power(k) : "", isMajor: labelled))
                }
                if every == 1 {
                    for m in 2...9 {
                        let v = Double(m) * decade
                        if v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9) { ticks.append(Tick(value: v, label: "", isMajor: false)) }
                    }
                }
            }
            return ticks.sorted { $0.value < $1.value }
        }
        var candidates: [Double] = []
        for k in (kLo - 1)...(kHi + 1) {
            for m in [1.0, 2, 5] {
                let v = m * pow(10, Double(k))
                if v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9) { candidates.append(v) }
            }
        }
        if candidates.count >= 2 && candidates.count <= max(2, targetCount + 1) {
            return candidates.map { Tick(value: $0, label: NumberFormat.compact($0)) }
        }
        return linear(from: lo, to: hi, targetCount: targetCount)
    }
}
