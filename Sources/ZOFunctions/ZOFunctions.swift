/// ZOFunctions: the analytic test-function catalog (value, exact gradient, exact Hessian,
/// domain, minima, standard start) and its objectives for the optimizers.
public enum ZOFunctionsInfo {}
