import ArgumentParser
import ZOFunctions

/// `zolab functions`: the analytic test-function catalog. Lists the functions, or shows one
/// (formula, domain, minima, start, dimension rule, curvature). The text comes from
/// `ZOFunctions.FunctionReport`; this file only parses and prints.
struct FunctionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "functions",
        abstract: "List the analytic test functions, or show one in detail.",
        subcommands: [List.self, Show.self],
        defaultSubcommand: List.self
    )

    /// `zolab functions [list]`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the test functions (the default).")

        func run() {
            let (header, rows) = FunctionReport.listing()
            print(Output.table(header, rows))
        }
    }

    /// `zolab functions show NAME [--dimension d] [parameters] [--at x1,x2,…]`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a function: formula, domain, minima, start, dimension rule, curvature.")

        @Argument(help: "Function name, e.g. rosenbrock, six-hump-camel (see `zolab functions`).")
        var name: String

        @Option(name: [.short, .long], help: "Dimension d (default: the function's default).")
        var dimension: Int?

        @OptionGroup var options: FunctionOptions

        @Option(help: ArgumentHelp("Also evaluate f, ∇f and diag ∇²f at this point.", valueName: "x1,x2,…"))
        var at: String?

        func validate() throws {
            if let d = dimension, d < 1 { throw ValidationError("--dimension must be ≥ 1, got \(d)") }
            // The name, the dimension and the parameters need the catalog: bad ones are bad
            // input (exit status 64) like a malformed option.
            let x = try point()
            try CLIError.checkInput {
                let function = try makeFunction()
                if let x { try function.validate(point: x) }
            }
        }

        /// The parsed `--at` point.
        func point() throws -> [Double]? {
            guard let at else { return nil }
            let fields = at.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            return try fields.enumerated().map { i, field in
                guard let v = Double(field) else {
                    throw ValidationError("--at: '\(field)' (coordinate \(i + 1)) is not a number")
                }
                guard v.isFinite else { throw ValidationError("--at: coordinate \(i + 1) is not finite (\(field))") }
                return v
            }
        }

        func makeFunction() throws -> any TestFunction {
            try FunctionCatalog.make(name, dimension: dimension, parameters: options.parameters)
        }

        func run() throws {
            let function = try makeFunction()
            print(FunctionReport.details(function, parameters: options.parameters))
            if let x = try point() {
                print("")
                print(try FunctionReport.evaluation(function, at: x))
            }
        }
    }
}

/// Parameter options shared by commands that build a catalog function.
struct FunctionOptions: ParsableArguments {
    @Option(help: "Condition number κ (quadratics) or span of block scales.")
    var kappa: Double?

    @Option(name: .customLong("data-seed"), help: "Seed of the function's random data and minibatches.")
    var seed: UInt64?

    @Option(help: "Number of coordinate blocks (block-heterogeneous-quadratic).")
    var blocks: Int?

    @Option(help: "Minibatch size (terms per batch) of a sum-structured function.")
    var batchSize: Int?

    @Option(help: "Rows n of the least-squares data.")
    var samples: Int?

    @Option(help: "Label-noise σ of the least-squares data.")
    var noise: Double?

    @Option(help: "ε of Powell 1973's start point.")
    var epsilon: Double?

    func validate() throws {
        for (flag, value) in [("--kappa", kappa), ("--noise", noise), ("--epsilon", epsilon)] {
            if let v = value, !v.isFinite { throw ValidationError("\(flag) must be a finite number, got \(v)") }
        }
    }

    var parameters: FunctionParameters {
        FunctionParameters(conditionNumber: kappa, seed: seed, blockCount: blocks, batchSize: batchSize,
                           sampleCount: samples, noiseLevel: noise, startOffset: epsilon)
    }
}
