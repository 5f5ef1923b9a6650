/// ZOStats: the statistics behind `zolab verify` (CHECKS.md, "Statistical method") — streaming
/// moments, distributions with accurate tails, confidence intervals, significance tests, DKWM
/// bounds, power analysis and one suite-wide false-fail budget. Float64 throughout; no
/// dependency beyond the C library's `erf`/`erfc`/`log1p`/`expm1`.
///
/// What it refuses to do: trap on bad input (every entry point validates and throws a typed
/// ``StatsError`` with an actionable message), silently absorb NaN/∞ (accumulators count and
/// refuse them, and tests built on them throw), or lose tails to cancellation (each tail
/// probability is computed directly, never as 1 minus the other).
///
/// Layout (one concern per file):
/// - `Moments/`: ``RunningMoments`` (Welford + Chan merge), ``RunningMeanCovariance``.
/// - `Special/`: ``logGamma(_:)``, ``logBeta(_:_:)``, ``regularizedGamma(_:_:)``,
///   ``regularizedBeta(_:_:x:y:)``, Loader's saddle-point terms.
/// - `Distributions/`: ``StandardNormal``, ``StudentT``, ``ChiSquared``, ``FisherF``,
///   ``BetaDistribution``, ``Binomial`` — each with CDF, survival, density/PMF, and
///   `quantile` / `upperQuantile` (the latter accurate for tiny upper-tail probabilities).
/// - `Intervals/`: ``ConfidenceInterval`` — t and z mean intervals, Wilson, Clopper–Pearson.
/// - `Hypothesis/`: ``SignificanceTest`` returning ``TestResult`` (statistic, p-value,
///   `rejects(at:)`): one-sample z and t, Welch, exact binomial, per-coordinate t with a
///   Bonferroni family decision (``CoordinateTestResult``), Hotelling's T².
/// - `GoodnessOfFit/`: ``DKWM`` (ε, n, bound) and ``KolmogorovSmirnov`` with the DKWM decision.
/// - `Planning/`: ``PowerAnalysis`` (n from Δ, α, β, K and back) and ``FalseFailBudget``.
/// - `Support/`: errors, argument checks, the quantile solver, double-double arithmetic,
///   Cholesky.
///
/// Accuracy claims in the doc comments are backed by `Tests/ZOStatsTests` (references from
/// mpmath at 40–60 digits and SciPy 1.17.1, hard-coded with their source); see
/// `docs/stats.md` for the methods and the known limits.
public enum ZOStatsInfo {}
