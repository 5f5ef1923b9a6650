import ArgumentParser
import Foundation
import ZOCore
import ZOFunctions
import ZOVerify

/// `zolab demo`: the main job of the README — a short tour that shows what this machine
/// runs, renders figures, runs a quick verification and a short fine-tune. Each stage writes
/// under `--out` and prints where.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the demo: environment report, figures, quick verification, short fine-tune."
    )
    // Stages: environment, functions, quick verification (figures and the fine-tune join with
    // their branches).

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
        try verification(directory)
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
