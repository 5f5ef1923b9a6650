import ZOStats

/// |a − b| / |b| (|a − b| when b = 0).
func relativeError(_ a: Double, _ b: Double) -> Double {
    if a == b { return 0 }
    return b == 0 ? abs(a) : abs(a - b) / abs(b)
}

/// The central acceptance region [lo, hi] of B(n, p) leaving at most `tail` probability on
/// each side: the range a seeded count of rejections must fall in for a sanity test to pass.
/// Computed with ZOStats' own exact binomial CDF (itself checked against SciPy in
/// `BinomialTests`).
func binomialAcceptanceRegion(trials n: Int, probability p: Double, tail: Double = 5e-4) throws -> ClosedRange<Int> {
    let b = try Binomial(trials: n, probability: p)
    var lo = 0
    while b.cdf(lo) <= tail { lo += 1 }        // P(X < lo) ≤ tail
    var hi = n
    while b.survival(hi - 1) <= tail { hi -= 1 } // P(X > hi) ≤ tail
    return lo...hi
}
