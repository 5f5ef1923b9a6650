/// The significance tests of ZOStats, as static functions returning a ``TestResult``.
///
/// Every function validates its input and throws ``StatsError`` rather than trapping: empty
/// or too-small samples, non-finite data, zero variance where a statistic divides by it,
/// probabilities outside (0, 1), mismatched dimensions, singular covariances.
///
/// The tests themselves live in one file each: `OneSampleTests.swift` (z, t),
/// `WelchTest.swift`, `BinomialTest.swift`, `CoordinateTests.swift` (per-coordinate t with
/// Bonferroni), `HotellingTest.swift`; the Kolmogorov–Smirnov test with the DKWM decision is
/// ``KolmogorovSmirnov``.
public enum SignificanceTest {}
