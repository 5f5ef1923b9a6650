/// ZOStats: the statistics behind `zolab verify` — streaming moments, normal and Student-t
/// quantiles, confidence and Wilson intervals, one-sample and Hotelling-type tests, DKWM bounds
/// and Bonferroni budgeting of one suite-wide false-fail probability.
public enum ZOStatsInfo {}
