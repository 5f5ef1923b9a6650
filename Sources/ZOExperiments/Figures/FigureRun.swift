import ZOFunctions
import ZOOptim

/// One trajectory of a figure: a function × optimizer run with the settings actually used.
public struct FigureRun: Sendable {
    /// Row (function) and optimizer index in the preset.
    public var functionIndex: Int
    public var optimizerIndex: Int
    public var function: any TestFunction
    /// Registry name (or ``ExactCoordinateDescent/methodName``).
    public var optimizer: String
    /// The registry family (nil for the exact coordinate descent).
    public var family: OptimizerFamily?
    /// Display name, e.g. "HiZOO".
    public var name: String
    /// Effective options as text, defaults filled in and "lr" set by the search if any.
    public var options: [String: String]
    /// The search that chose "lr" and its outcome.
    public var search: LearningRateSearch?
    public var searchOutcome: LearningRateSearch.Outcome?
    /// Optimizer steps completed: the preset's steps, or fewer when the run diverged (the
    /// diverging step itself counts when it returned a report).
    public var stepsCompleted: Int
    /// θ₀, θ₁, … up to the last finite iterate (before a divergence); empty when d is above
    /// ``FigureRunner/trajectoryLimit`` (only losses are recorded then).
    public var trajectory: [[Double]]
    /// (step t, f(θ_t)) evaluated after every step, up to the last finite one.
    public var evaluations: [Evaluation]
    /// Forward passes of each step (empty for the analytic exact coordinate descent).
    public var forwardPasses: [Int]
    public var backwardPasses: Int
    public var divergence: Divergence?

    /// f(θ_t) at step t.
    public struct Evaluation: Sendable, Hashable {
        public var step: Int
        public var loss: Double
    }

    /// The learning rate in effect (nil for methods without one).
    public var learningRate: Double? { options["lr"].flatMap(Double.init) }

    /// The perturbation scale and its symbol: MeZO-style "eps" (ε) or HiZOO's "mu" (μ).
    /// Only zeroth-order methods have one (Adam's "eps" is its denominator constant).
    public var perturbation: (symbol: String, value: Double)? {
        guard family == .zerothOrder else { return nil }
        if let e = options["eps"].flatMap(Double.init) { return ("ε", e) }
        if let m = options["mu"].flatMap(Double.init) { return ("μ", m) }
        return nil
    }

    /// The last finite iterate.
    public var finalPoint: [Double]? { trajectory.last }
}

/// Display names of the registry's optimizers (ids are kebab-case).
public enum OptimizerDisplayName {
    static let known: [String: String] = [
        "mezo": "MeZO", "hizoo": "HiZOO", "hizoo-l": "HiZOO-L", "hizoo-multi": "HiZOO-multi", "adam": "Adam",
        "adamw": "AdamW", "sgd": "SGD", "zo-adam": "ZO-Adam", "sparse-mezo": "Sparse MeZO", "subzero": "SubZero",
        "zo-sgd-mmt": "ZO-SGD-MMT", "zo-sgd-cons": "ZO-SGD-Cons", "zo-sgd-sign": "ZO-SGD-Sign", "bcd": "BCD",
        "bcd-adam": "BCD-Adam", "b-pdf": "B-PDF", "gd": "GD", "newton": "Newton", "diag-newton": "diagonal Newton", "zo-sgd": "ZO-SGD",
        ExactCoordinateDescent.methodName: "cyclic exact CD",
    ]

    /// "MeZO" for "mezo"; the id itself when unknown.
    public static func of(_ id: String) -> String { known[id] ?? id }
}
