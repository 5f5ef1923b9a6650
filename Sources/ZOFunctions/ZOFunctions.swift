/// ZOFunctions: the analytic test-function catalog and its objectives for the optimizers.
///
/// - ``TestFunction``: value, exact gradient, exact Hessian (full and diagonal), domain,
///   known minima and critical points, standard start points — all in Float64.
/// - ``SumOfTerms`` / ``SampledTerms`` / ``StochasticTestFunction``: minibatch versions of
///   sum-structured functions; ``NoisyLeastSquares`` is the seeded stochastic problem.
/// - ``FunctionObjective``: any test function as a ZOCore ``Objective`` (what optimizers see),
///   with a block partition of its coordinates and evaluation counters.
/// - ``FunctionCatalog``: lookup by name, listing, construction with a dimension and
///   ``FunctionParameters``; typed ``FunctionError``s.
/// - ``FunctionReport`` / ``CurvatureSummary``: the text and numbers `zolab functions` prints.
///
/// What it refuses to do: no automatic differentiation and no finite differences inside the
/// library — every derivative is written by hand and checked against finite differences by
/// the tests.
public enum ZOFunctionsInfo {
    public static let version = "0.1.0"
}
