import ArgumentParser
import Foundation
import ZOCore
import ZOExperiments
import ZOFunctions
import ZOTrain
import ZOVerify

/// `zolab demo`: the main job of the README — a short tour in five stages: what this machine
/// runs (environment), the test functions, a few gallery figures, `zolab verify --quick` and a
/// short fine-tune. Each stage prints its progress and its time; every output goes under `--out`.
///
/// A refuted claim in the verification is a finding and the demo continues. A check whose
/// machinery failed stops the demo (exit 1). A negative control that was not refuted (the
/// check could not fail) does not stop it, but the demo exits 1 at the end, as `zolab verify` does.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the demo: environment report, figures, quick verification, short fine-tune.",
        discussion: """
        Stages (each prints "[i/n] stage" when it starts and its wall and CPU time when it ends): \
        environment (CPU, BLAS, one sgemm measurement), functions (the catalogue), figures (three \
        gallery presets → OUT/plots; seconds), verification (zolab verify --quick → OUT/verify), finetune \
        (400 MeZO then 100 Adam steps on sst2 → OUT/finetune); the verification and the fine-tune take \
        minutes, the rest seconds (README.md gives a measured run). A refuted claim does not stop the demo; a machinery error does \
        (exit 1); a negative control that was not refuted makes the demo exit 1 after the last stage.
        """
    )

    /// The stages in order.
    enum Stage: String, CaseIterable {
        case environment, functions, figures, verification, finetune
    }

    @Option(help: "Directory for the demo's outputs.")
    var out = "out/demo"

    @Option(help: ArgumentHelp("Directory of the figure presets (the repository's plots/).", valueName: "dir"))
    var presetsDir = "plots"

    @Option(help: ArgumentHelp("Stages to run, comma-separated (default: all, in order): \(Stage.allCases.map(\.rawValue).joined(separator: ", ")).",
                               valueName: "list"))
    var stages = Stage.allCases.map(\.rawValue).joined(separator: ",")

    /// Gallery presets the demo renders: quick ones (< 30 s together in a release build).
    static let demoPresets = ["hizoo-fig3", "powell-cyclic-cd", "quadratic-zo"]

    func selectedStages() throws -> [Stage] {
        let names = stages.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var chosen: Set<Stage> = []
        for name in names {
            guard let stage = Stage(rawValue: name) else {
                throw ValidationError("unknown demo stage '\(name)'; stages: \(Stage.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            chosen.insert(stage)
        }
        guard !chosen.isEmpty else { throw ValidationError("--stages is empty") }
        return Stage.allCases.filter(chosen.contains)
    }

    func validate() throws { _ = try selectedStages() }

    /// User + system CPU seconds of this process so far (wall times depend on the machine's load).
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
    }

    func run() throws {
        let directory = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let chosen = try selectedStages()
        var timings: [(Stage, Double)] = []
        var unresolved: [String] = []
        let total = Stopwatch()
        for (index, stage) in chosen.enumerated() {
            Output.progress("== zolab demo [\(index + 1)/\(chosen.count)] \(stage.rawValue)")
            let clock = Stopwatch(), cpu = Self.cpuSeconds()
            switch stage {
            case .environment:
                try EnvCommand.parse(["--no-measure"]).run()
                print("sgemm 1024³     \(Output.format(KernelBenchmarks.sgemmGFLOPS(n: 1024, repeats: 3), digits: 4)) GFLOP/s")
            case .functions:
                let (header, rows) = FunctionReport.listing()
                print(Output.table(header, rows))
            case .figures:
                try plots(into: directory.appendingPathComponent("plots"))
            case .verification:
                unresolved = try verification(directory)
            case .finetune:
                try finetune(into: directory.appendingPathComponent("finetune"))
            }
            timings.append((stage, clock.elapsed))
            Output.progress("-- \(stage.rawValue) done in \(Format.duration(clock.elapsed)) (CPU \(Format.duration(Self.cpuSeconds() - cpu)))")
        }
        let load = SystemLoad.averages().first.map { String(format: "%.1f", $0) } ?? "n/a"
        print("demo: " + timings.map { "\($0.0.rawValue) \(Format.duration($0.1))" }.joined(separator: ", ")
              + "; total \(Format.duration(total.elapsed)), CPU \(Format.duration(Self.cpuSeconds())), load average \(load) on "
              + "\(ProcessInfo.processInfo.activeProcessorCount) cores → \(directory.path)")
        if !unresolved.isEmpty {
            for f in unresolved { Output.progress("error: \(f)") }
            Output.progress("the verification found a check that could not fail (see \(directory.appendingPathComponent("verify/report.md").path)): exit 1")
            throw ExitCode(1)
        }
    }

    @Option(help: ArgumentHelp("Pre-trained checkpoint for the fine-tune stage.", valueName: "file"))
    var base = "models/pretrained.safetensors"

    /// Stage "finetune": a short MeZO and a short Adam fine-tune of the committed pre-trained
    /// model on the sentiment task (full-parameter), accuracy before and after with 95 % Wilson
    /// intervals. 4 min 03 s measured (release, 2 cores shared at load ≈ 8; training loops 149 s
    /// MeZO + 81 s Adam, the rest evaluations on 300 dev / 500 test examples).
    func finetune(into directory: URL) throws {
        Output.progress("sst2, full parameters, MeZO 400 steps then Adam 100 steps → \(directory.path)")
        guard FileManager.default.fileExists(atPath: base) else {
            Output.progress("note: \(base) not found (run the demo from the repository root, or `zolab pretrain`): skipped")
            return
        }
        for (method, steps) in [("mezo", 400), ("adam", 100)] {
            var c = FineTuneConfig()
            c.base = base
            c.optimizer = method
            c.options = MethodDefaults.options(for: method, mode: "full")
            c.steps = steps
            c.evalEvery = steps
            c.checkpointEvery = steps
            c.devExamples = 300
            c.testExamples = 500
            let summary = try TrainCLI.run { () -> RunSummary in
                let run = directory.appendingPathComponent(method)
                try TrainCLI.prepare(run, resume: false, force: true)
                return try FineTuner(config: c, directory: run).run(resume: false, progress: ProgressDisplay(label: "demo \(method)", totalSteps: steps))
            }
            let before = summary.evaluations.first?.metrics["dev_accuracy"] ?? .nan
            let n = summary.dev.total
            let zero = AccuracyReport(correct: Int((before * Double(n)).rounded()), total: n)
            print("\(method) (\(steps) steps, \(Output.format(summary.trainSeconds, digits: 3)) s): dev accuracy \(TrainCLI.percent(zero.accuracy)) [\(TrainCLI.percent(zero.lower)), \(TrainCLI.percent(zero.upper))] before → \(TrainCLI.percent(summary.dev.accuracy)) [\(TrainCLI.percent(summary.dev.lower)), \(TrainCLI.percent(summary.dev.upper))] after; test \(TrainCLI.percent(summary.test.accuracy)) [\(TrainCLI.percent(summary.test.lower)), \(TrainCLI.percent(summary.test.upper))] (majority \(TrainCLI.percent(summary.majorityTest)))")
        }
    }

    /// Stage "figures": renders a few gallery presets into `<out>/plots` and prints their paths.
    func plots(into directory: URL) throws {
        Output.progress("gallery presets \(Self.demoPresets.joined(separator: ", ")) → \(directory.path)")
        let renderer = FigureRenderer(outputDirectory: directory.path)
        for id in Self.demoPresets {
            let path = presetsDir + "/" + id + ".json"
            guard FileManager.default.fileExists(atPath: path) else {
                Output.progress("note: \(path) not found (run the demo from the repository root): skipped")
                continue
            }
            do {
                let started = Date()
                let report = try renderer.render(try PresetParser.load(path: path))
                print("figure  \(report.outputs.figure)  (\(Output.format(Date().timeIntervalSince(started), digits: 2)) s; sidecar .json beside it)")
                for note in report.outputs.notes { Output.progress("note: \(note)") }
            } catch let e as PresetError {
                throw CLIError.input(e.description)
            }
        }
    }

    /// `zolab verify --quick`: verdicts for every claim of CHECKS.md, report and pages
    /// under `OUT/verify` (the committed `proofs-checks/` pages are left alone). Refuted claims
    /// are listed and the demo goes on; a machinery error stops it. Returns the failures that
    /// do not stop it (negative controls not refuted) for the exit status at the end.
    func verification(_ directory: URL) throws -> [String] {
        Output.progress("zolab verify --quick: every check of CHECKS.md with its negative control")
        let report = try SuiteRunner.run(SuiteOptions(scale: .quick, command: "zolab demo (verify --quick)")) { Output.progress($0) }
        let out = directory.appendingPathComponent("verify")
        do {
            try ReportWriter.write(report, to: out, pages: out.appendingPathComponent("pages"))
        } catch let e as VerifyError {
            throw CLIError.input(e.description)
        }
        let (header, rows) = ReportMarkdown.verdictRows(report)
        print(Output.table(header, rows))
        let refuted = report.outcomes.filter { $0.result.verdict == .refuted }.map(\.check)
        print("verification: \(report.outcomes.count) checks in \(Format.duration(report.seconds)); "
              + (refuted.isEmpty ? "no claim refuted" : "refuted (a finding, not a failure): \(refuted.joined(separator: ", "))")
              + "; report \(out.appendingPathComponent("report.md").path)")
        let broken = report.outcomes.filter(\.machineryBroken)
        guard broken.isEmpty else {
            for f in report.failures { Output.progress("error: \(f)") }
            throw CLIError.input("the verification's machinery failed in \(broken.map(\.check).joined(separator: ", ")): the demo stops here")
        }
        return report.failures
    }
}
