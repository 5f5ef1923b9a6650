import ZOCore
import ZOFunctions
import ZOOptim

/// One optimizer run on one catalog function, fully specified — what `zolab run` executes and
/// what each trajectory of a figure preset is. Building it validates every name and value.
public struct FunctionRunSpec: Sendable, Hashable {
    public var function: String
    public var dimension: Int?
    public var functionParameters: FunctionParameters
    /// θ₀ (default: the function's standard start).
    public var start: [Double]?
    public var partition: BlockPartition
    public var optimizer: String
    /// Optimizer options as text; "lr" may be replaced by the search.
    public var options: [String: String]
    public var steps: Int
    public var seed: UInt64
    /// When set, the learning rate is chosen by this search before the run (the search's
    /// own seed and horizon are part of the spec).
    public var learningRateSearch: LearningRateSearch?

    public init(function: String, dimension: Int? = nil, functionParameters: FunctionParameters = .init(),
                start: [Double]? = nil, partition: BlockPartition = .natural, optimizer: String,
                options: [String: String] = [:], steps: Int, seed: UInt64, learningRateSearch: LearningRateSearch? = nil) {
        self.function = function
        self.dimension = dimension
        self.functionParameters = functionParameters
        self.start = start
        self.partition = partition
        self.optimizer = optimizer
        self.options = options
        self.steps = steps
        self.seed = seed
        self.learningRateSearch = learningRateSearch
    }

    /// The objective at θ₀.
    public func makeObjective() throws -> FunctionObjective {
        let f = try FunctionCatalog.make(function, dimension: dimension, parameters: functionParameters)
        return try FunctionObjective(f, start: start, partition: partition)
    }

    /// The outcome: the run, the options actually used, and the search (if any).
    public struct Outcome: Sendable {
        public var result: RunResult
        public var options: [String: String]
        public var search: LearningRateSearch.Outcome?
        public var function: any TestFunction
    }

    /// Validates, searches the learning rate if asked, and runs.
    /// - Parameter trajectoryLimit: record θ when d ≤ this.
    public func run(trajectoryLimit: Int = 16, evaluateEvery: Int = 1,
                    progress: ((StepReport) -> Void)? = nil) throws -> Outcome {
        guard steps >= 1 else { throw ExperimentError.invalid("steps must be ≥ 1, got \(steps)") }
        let objective = try makeObjective()
        var options = self.options
        var searchOutcome: LearningRateSearch.Outcome? = nil
        // Validate the options (and the optimizer name) before any search runs.
        _ = try OptimizerRegistry.make(optimizer, options: options, parameters: objective.parameters)
        if let search = learningRateSearch {
            let minima = objective.function.minimum.points
            let s = try search.run(optimizer: optimizer, options: options, objective: objective, minima: minima)
            options[search.optionName] = "\(s.best)"
            searchOutcome = s
        }
        let opt = try OptimizerRegistry.make(optimizer, options: options, parameters: objective.parameters)
        let result = try OptimizationRun.run(objective, optimizer: opt,
                                             configuration: RunConfiguration(steps: steps, seed: seed,
                                                                             trajectoryDimensionLimit: trajectoryLimit,
                                                                             evaluateEvery: evaluateEvery),
                                             progress: progress)
        return Outcome(result: result, options: options, search: searchOutcome, function: objective.function)
    }
}

/// Errors of experiment specifications.
public enum ExperimentError: Error, Equatable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let why): return why
        }
    }
}
