import ArgumentParser
import Foundation
import ZOCore
import ZOExperiments
import ZOFunctions
import ZOTrain
import ZOVerify

/// `zolab demo`: the main job of the README — a short tour that shows what this machine
/// runs, renders figures, runs a quick verification and a short fine-tune. Each stage writes
/// under `--out` and prints where.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the demo: environment report, figures, quick verification, short fine-tune."
    )
    // Stages: environment, functions, figures, quick verification (the fine-tune joins with
    // the trainer).

    @Option(help: "Directory for the demo's outputs.")
    var out = "out/demo"

    @Option(help: ArgumentHelp("Directory of the figure presets (the repository's plots/).", valueName: "dir"))
    var presetsDir = "plots"

    /// Gallery presets the demo renders: quick ones (< 30 s together in a release build).
    static let demoPresets = ["hizoo-fig3", "powell-cyclic-cd", "quadratic-zo"]

    func run() throws {
        let directory = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        Output.progress("== zolab demo: environment")
        try EnvCommand.parse(["--no-measure"]).run()
        print("sgemm 1024³     \(Output.format(KernelBenchmarks.sgemmGFLOPS(n: 1024, repeats: 3), digits: 4)) GFLOP/s")
        Output.progress("== zolab demo: functions")
        let (header, rows) = FunctionReport.listing()
        print(Output.table(header, rows))
        try plots(into: directory.appendingPathComponent("plots"))
        try verification(directory)
        try finetune(into: directory.appendingPathComponent("finetune"))
    }

    @Option(help: ArgumentHelp("Pre-trained checkpoint for the fine-tune stage.", valueName: "file"))
    var base = "models/pretrained.safetensors"

    /// Stage "finetune": a short MeZO and a short Adam fine-tune of the committed pre-trained
    /// model on the sentiment task (full-parameter), accuracy before and after with 95 % Wilson
    /// intervals. About a minute on 2 cores (release).
    func finetune(into directory: URL) throws {
        Output.progress("== zolab demo: fine-tune (sst2, full parameters → \(directory.path))")
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

    /// Stage "plots": renders a few gallery presets into `<out>/plots` and prints their paths.
    func plots(into directory: URL) throws {
        Output.progress("== zolab demo: plots (gallery presets → \(directory.path))")
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

    /// `zolab verify --quick` (≈ 1 min): verdicts for every claim of CHECKS.md, report and pages
    /// under `OUT/verify` (the committed `proofs-checks/` pages are left alone).
    func verification(_ directory: URL) throws {
        Output.progress("== zolab demo: quick verification (zolab verify --quick)")
        let report = try SuiteRunner.run(SuiteOptions(scale: .quick, command: "zolab demo (verify --quick)")) { Output.progress($0) }
        let out = directory.appendingPathComponent("verify")
        do {
            try ReportWriter.write(report, to: out, pages: out.appendingPathComponent("pages"))
        } catch let e as VerifyError {
            throw CLIError.input(e.description)
        }
        let (header, rows) = ReportMarkdown.verdictRows(report)
        print(Output.table(header, rows))
        print("verification: \(report.outcomes.count) checks in \(Format.duration(report.seconds)); report \(out.appendingPathComponent("report.md").path)")
        if report.exitStatus != 0 {
            for f in report.failures { Output.progress("error: \(f)") }
            throw ExitCode(report.exitStatus)
        }
    }
}
