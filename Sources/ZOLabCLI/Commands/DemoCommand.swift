import ArgumentParser
import Foundation
import ZOCore
import ZOExperiments
import ZOFunctions

/// `zolab demo`: the main job of the README — a short tour that shows what this machine
/// runs, renders figures, runs a quick verification and a short fine-tune. Each stage writes
/// under `--out` and prints where.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the demo: environment report, figures, quick verification, short fine-tune."
    )

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
}
