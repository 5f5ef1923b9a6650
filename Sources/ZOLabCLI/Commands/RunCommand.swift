import ArgumentParser
import Foundation
import ZOCore
import ZOExperiments
import ZOFunctions
import ZOOptim

/// `zolab run`: one optimizer on one test function; writes the trajectory and per-step
/// reports (JSON Lines or CSV) that plots and verification consume.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an optimizer on a test function and write the per-step record (JSON Lines or CSV).",
        discussion: """
        Example: zolab run --function rosenbrock --optimizer hizoo --set lr=1e-3 --set alpha=1e-3 \\
                   --steps 500 --seed 1 --out runs/rosenbrock-hizoo.jsonl

        Options of the optimizer are listed by `zolab optimizers NAME`.

        Exit status: 0 success; 64 bad input (options, unknown function / optimizer / option \
        names, option values the optimizer refuses), checked before the run starts; 1 a failure \
        while running (e.g. the output file cannot be written); 3 the run diverged (the record is \
        still written, up to the last finite point).
        """
    )

    @Option(help: "Test function (see `zolab functions`).")
    var function: String

    @Option(name: [.short, .long], help: "Dimension d (default: the function's default).")
    var dimension: Int?

    @OptionGroup(title: "Function parameters") var functionOptions: FunctionOptions

    @Option(help: ArgumentHelp("Start point θ₀ (default: the function's standard start).", valueName: "x1,x2,…"))
    var start: String?

    @Option(help: "Block structure: natural, single, coordinates, or equal:K.")
    var partition = "natural"

    @Option(help: "Optimizer (see `zolab optimizers`).")
    var optimizer: String

    @Option(name: .customLong("set"), help: ArgumentHelp("Optimizer option, repeatable.", valueName: "name=value"))
    var settings: [String] = []

    @Option(help: "Number of steps.")
    var steps = 500

    @Option(help: "Run seed: the optimizer's noise streams and block sampling, and the learning-rate search (minibatch contents come from --data-seed; step t uses batch t).")
    var seed: UInt64 = 0

    @Flag(help: "Choose the learning rate by the seeded search first (see docs/optimizers.md).")
    var searchLR = false

    @Option(help: "Steps per search candidate (default: --steps).")
    var searchHorizon: Int?

    @Option(help: "Output format: jsonl (a run header, then one record per step) or csv (one row per step: losses, reports, one diag.<key> column per diagnostic, θ).")
    var format = "jsonl"

    @Option(help: "Write here (atomically) instead of standard output.")
    var out: String?

    @Option(help: "Record θ each step when d ≤ this.")
    var trajectoryLimit = 16

    func validate() throws {
        guard steps >= 1 else { throw ValidationError("--steps must be ≥ 1, got \(steps)") }
        if let d = dimension, d < 1 { throw ValidationError("--dimension must be ≥ 1, got \(d)") }
        guard ["jsonl", "csv"].contains(format) else { throw ValidationError("--format must be jsonl or csv, got \(format)") }
        if let h = searchHorizon, h < 1 { throw ValidationError("--search-horizon must be ≥ 1") }
        // Names and values that need a lookup (function, dimension, start, optimizer, its
        // options) are bad input too: build the objective and the optimizer once here.
        let spec = try makeSpec()
        try CLIError.checkInput {
            let objective = try spec.makeObjective()
            _ = try OptimizerRegistry.make(spec.optimizer, options: spec.options, parameters: objective.parameters)
        }
    }

    /// The run as specified on the command line (without the search).
    func makeSpec() throws -> FunctionRunSpec {
        FunctionRunSpec(
            function: function, dimension: dimension, functionParameters: functionOptions.parameters,
            start: try start.map { try ListParsing.numbers($0, option: "--start") }, partition: try blockPartition(),
            optimizer: optimizer, options: try ListParsing.assignments(settings, option: "--set"),
            steps: steps, seed: seed)
    }

    func blockPartition() throws -> BlockPartition {
        switch partition {
        case "natural": return .natural
        case "single": return .single
        case "coordinates": return .coordinates
        default:
            if partition.hasPrefix("equal:"), let k = Int(partition.dropFirst(6)), k >= 1 { return .equal(k) }
            throw ValidationError("--partition must be natural, single, coordinates or equal:K (K ≥ 1), got \(partition)")
        }
    }

    func run() throws {
        var spec = try makeSpec()
        if searchLR { spec.learningRateSearch = LearningRateSearch(horizon: searchHorizon ?? steps, seed: seed) }
        let outcome: FunctionRunSpec.Outcome
        do {
            outcome = try spec.run(trajectoryLimit: trajectoryLimit)
        } catch let error as FunctionError {
            throw CLIError.input("\(error)")
        } catch let error as OptimizerError {
            throw CLIError.input("\(error)")
        } catch let error as ObjectiveError {
            throw CLIError.input("\(error)")
        } catch let error as ExperimentError {
            throw CLIError.input("\(error)")
        }
        let result = outcome.result
        let metadata = ["function": function, "dimension": "\(outcome.function.dimension)", "seed": "\(seed)"]
        let text = format == "csv" ? RunRecordFormat.csv(result) : try RunRecordFormat.jsonLines(result, metadata: metadata)
        if let out {
            try AtomicFile.write(text, to: URL(fileURLWithPath: out))
        } else {
            print(text, terminator: "")
        }
        var summary = "\(optimizer) on \(function) (d = \(outcome.function.dimension)), \(result.reports.count) steps, "
        summary += "\(result.totalForwardPasses) forwards, final loss \(Output.format(result.finalLoss ?? .nan, digits: 6))"
        if let s = outcome.search { summary += ", lr \(Output.format(s.best)) chosen from \(s.trials.count) candidates" }
        Output.progress(summary + (out.map { " → \($0)" } ?? ""))
        if let d = result.divergence {
            Output.progress("warning: the run diverged at step \(d.step): \(d.reason) (record kept up to the last finite point)")
            throw ExitCode(3)
        }
    }
}
