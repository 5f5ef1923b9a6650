import ArgumentParser
import Foundation
import ZOCore
import ZOTrain

/// `zolab compare`: methods × seeds of `zolab finetune`, each in its own process (honest peak
/// memory), aggregated into a Markdown/CSV table and loss / accuracy figures.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Fine-tune with several optimizers × seeds and write the comparison table and figures.",
        discussion: """
        The table in docs/comparison.md was made by:
          zolab compare --out docs/comparison --runs out/compare

        Each run is a `zolab finetune` subprocess (its summary.json and logs under --runs); \
        --reuse keeps runs that already finished with the same configuration.
        --quick: 1 seed, a fifth of the steps, 200 dev / 300 test examples (CI, demo).
        """
    )

    static let defaultMethods = "mezo,hizoo,hizoo-l,sparse-mezo,subzero,b-pdf,zo-adam,sgd,adam"

    @Option(help: "Methods, comma-separated.") var methods = CompareCommand.defaultMethods
    @Option(help: "Seeds, comma-separated.") var seeds = "1,2,3"
    @Option(help: "Task.") var task = "sst2"
    @Option(help: "full, lora or prefix.") var mode = "full"
    @Option(name: .customLong("set"), help: ArgumentHelp("A run setting for every run, repeatable.", valueName: "name=value"))
    var settings: [String] = []
    @Option(name: .customLong("opt"), help: ArgumentHelp("An option of one method, repeatable.", valueName: "method:name=value"))
    var options: [String] = []
    @Option(help: "Where the table, CSV and figure go.") var out = "out/compare"
    @Option(help: "Where the runs go.") var runs = "out/compare/runs"
    @Flag(help: "1 seed, a fifth of the steps, smaller dev/test sets.") var quick = false
    @Flag(help: "Keep finished runs with the same configuration.") var reuse = false

    var methodList: [String] { methods.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func seedList() throws -> [UInt64] {
        let list = seeds.split(separator: ",").map { UInt64($0.trimmingCharacters(in: .whitespaces)) }
        guard !list.isEmpty, list.allSatisfy({ $0 != nil }) else { throw ValidationError("--seeds must be comma-separated non-negative integers") }
        return quick ? [list[0]!] : list.map { $0! }
    }

    func validate() throws {
        _ = try seedList()
        guard !methodList.isEmpty else { throw ValidationError("--methods is empty") }
        for item in options {
            guard let colon = item.firstIndex(of: ":"), item[item.index(after: colon)...].contains("="),
                  methodList.contains(String(item[..<colon])) else {
                throw ValidationError("--opt expects method:name=value for a listed method, got '\(item)'")
            }
        }
        // Every run's `zolab finetune` command line is checked here (its own validate(): names,
        // options, objective and method), so bad input exits 64 before any run is spawned.
        for method in methodList {
            let args = Array(try arguments(method: method, seed: 1).dropFirst())
            do {
                _ = try FinetuneCommand.parse(args)
            } catch {
                throw ValidationError("\(method): \(FinetuneCommand.message(for: error))")
            }
        }
    }

    /// The `zolab finetune` arguments of one run.
    func arguments(method: String, seed: UInt64) throws -> [String] {
        var args = ["finetune", "--optimizer", method, "--mode", mode, "--task", task, "--seed", "\(seed)", "--quiet", "--force",
                    "--out", URL(fileURLWithPath: runs).appendingPathComponent("\(method)-s\(seed)").path]
        if quick {
            let steps = max(10, (MethodDefaults.steps(for: method, mode: mode) ?? 1000) / 5)
            args += ["--steps", "\(steps)", "--set", "dev_examples=200", "--set", "test_examples=300", "--set", "eval_every=\(max(steps / 5, 1))"]
        }
        for s in settings { args += ["--set", s] }
        for item in options where item.hasPrefix(method + ":") { args += ["--opt", String(item.dropFirst(method.count + 1))] }
        return args
    }

    func run() throws {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let seedValues = try seedList()
        let clock = Stopwatch()
        var aggregates: [MethodAggregate] = []
        let total = methodList.count * seedValues.count
        var index = 0
        var reused = 0
        for method in methodList {
            var summaries: [RunSummary] = []
            var failures: [(seed: UInt64, reason: String)] = []
            for seed in seedValues {
                index += 1
                let args = try arguments(method: method, seed: seed)
                let directory = URL(fileURLWithPath: runs).appendingPathComponent("\(method)-s\(seed)")
                let summaryURL = directory.appendingPathComponent("summary.json")
                let argsURL = directory.appendingPathComponent("arguments.txt")
                let argsText = args.joined(separator: " ")
                if reuse, let old = try? String(contentsOf: argsURL, encoding: .utf8), old == argsText,
                   let s = try? RunSummary.read(summaryURL) {
                    summaries.append(s)
                    reused += 1
                    Output.progress("[\(index)/\(total)] \(method) seed \(seed): reused (test \(TrainCLI.percent(s.test.accuracy)))")
                    continue
                }
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try? FileManager.default.removeItem(at: summaryURL)
                let log = directory.appendingPathComponent("finetune.log")
                guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
                    throw CLIError.input("cannot create the run log \(log.path)")
                }
                let handle = try FileHandle(forWritingTo: log)
                let process = Process()
                process.executableURL = executable
                process.arguments = args
                process.standardOutput = handle
                process.standardError = handle
                let watch = Stopwatch()
                try process.run()
                process.waitUntilExit()
                try? handle.close()
                if process.terminationStatus == 0, let s = try? RunSummary.read(summaryURL) {
                    try AtomicFile.write(argsText, to: argsURL)
                    summaries.append(s)
                    Output.progress("[\(index)/\(total)] \(method) seed \(seed): dev \(TrainCLI.percent(s.dev.accuracy)), test \(TrainCLI.percent(s.test.accuracy)), \(Output.format(watch.elapsed, digits: 3)) s")
                } else {
                    let tail = (try? String(contentsOf: log, encoding: .utf8))?.split(separator: "\n").last.map(String.init) ?? ""
                    failures.append((seed, "exit \(process.terminationStatus): \(tail)"))
                    Output.progress("[\(index)/\(total)] \(method) seed \(seed): FAILED (exit \(process.terminationStatus)) \(tail) — log: \(log.path)")
                }
            }
            aggregates.append(MethodAggregate(method: method, runs: summaries, failures: failures))
        }
        let command = "zolab compare" + (quick ? " --quick" : "") + " --out \(out) --runs \(runs)"
            + (methods == Self.defaultMethods ? "" : " --methods \(methods)") + (seeds == "1,2,3" ? "" : " --seeds \(seeds)")
            + (task == "sst2" ? "" : " --task \(task)") + (mode == "full" ? "" : " --mode \(mode)")
            + settings.map { " --set \($0)" }.joined() + options.map { " --opt \($0)" }.joined()
        let report = ComparisonReport(aggregates: aggregates, command: command, totalSeconds: clock.elapsed, reusedRuns: reused)
        let outURL = URL(fileURLWithPath: out)
        try AtomicFile.write(report.markdown, to: outURL.appendingPathComponent("comparison.md"))
        try AtomicFile.write(report.csv, to: outURL.appendingPathComponent("comparison.csv"))
        let figure = outURL.appendingPathComponent("comparison.png")
        do { try ComparisonFigures.render(aggregates, to: figure) } catch {
            Output.progress("warning: figure not rendered: \(error)")
        }
        print(report.markdown)
        print("wrote \(outURL.appendingPathComponent("comparison.md").path), comparison.csv, comparison.png")
        if aggregates.contains(where: { !$0.failures.isEmpty }) { throw ExitCode(1) }
    }
}
