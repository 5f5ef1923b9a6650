import ArgumentParser
import Foundation
import ZOVerify

/// `zolab verify`: the theory checks of CHECKS.md as experiments with verdicts.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Run the theory checks (CHECKS.md): verdicts, report (Markdown + JSON + PNG), proofs-checks pages.",
        discussion: """
        Exit status: 0 when every experiment ran and every negative control was refuted — also when \
        claims are refuted (a finding); 1 when an experiment failed or a negative control was not \
        refuted (the check could not fail); 64 for invalid options.

        Examples: zolab verify --quick; zolab verify --check spsa-unbiased --check cosine-similarity; \
        zolab verify --quick --vary-seed --repeat 20 --no-pages.
        """
    )

    @Flag(help: "CI-sized run (Δ = 0.25σ, fewer sizes and replicates; states its larger detectable discrepancy).")
    var quick = false

    @Option(help: "Run scale: full (CHECKS.md power target, default), quick, or test (unit-test size).")
    var scale: String?

    @Option(name: .customLong("check"), help: ArgumentHelp("Run only this check (repeatable; see --list).", valueName: "NAME"))
    var checks: [String] = []

    @Option(help: "Directory for report.md, report.json and figures/.")
    var out = "out/verify"

    @Option(help: "Directory of the per-check pages (regenerated).")
    var pages = "proofs-checks"

    @Flag(help: "Do not regenerate the per-check pages.")
    var noPages = false

    @Option(help: "Suite seed (fixed by default, so CI is deterministic).")
    var seed: UInt64 = 20_240_601

    @Flag(help: "Derive a different suite seed for every repetition and report the observed false-fail count.")
    var varySeed = false

    @Option(name: .customLong("repeat"), help: "Repetitions with --vary-seed.")
    var repetitions = 1

    @Option(help: "Experiments run concurrently (default: the active cores).")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "List the checks with their claims and budget shares, then exit.")
    var list = false

    func runScale() throws -> RunScale {
        if let scale {
            guard let s = RunScale(rawValue: scale) else {
                throw ValidationError("--scale must be full, quick or test, got '\(scale)'")
            }
            if quick && s != .quick { throw ValidationError("--quick contradicts --scale \(scale)") }
            return s
        }
        return quick ? .quick : .full
    }

    var options: SuiteOptions {
        SuiteOptions(scale: (try? runScale()) ?? .full, seed: seed, checks: checks, varySeed: varySeed,
                     repetitions: repetitions, command: (["zolab"] + CommandLine.arguments.dropFirst()).joined(separator: " "), jobs: jobs)
    }

    func validate() throws {
        _ = try runScale()
        guard repetitions >= 1 else { throw ValidationError("--repeat must be ≥ 1, got \(repetitions)") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be ≥ 1, got \(jobs)") }
        do { try options.validate() } catch let e as VerifyError { throw ValidationError(e.description) }
    }

    func run() throws {
        if list {
            let split = try SuiteBudget.standard.split()
            let rows = CheckRegistry.all.map { c -> [String] in
                let a = split.allocations.first { $0.name == c.name }
                return [c.name, "\(c.claim)", c.title, a.map { Format.probability($0.alpha) } ?? "exact", a.map { "\($0.subTests)" } ?? "—"]
            }
            print(Output.table(["check", "claim", "title", "αᵢ", "Kᵢ"], rows))
            print("\nα_total = \(SuiteBudget.standard.total) split over \(split.allocations.count) statistical checks; β = \(SuiteBudget.standard.beta).")
            return
        }
        let o = options
        Output.progress("zolab verify: \(o.scale) run of \(o.selectedChecks.count) check(s), suite seed \(seed)"
                        + (varySeed ? ", \(repetitions) repetition(s) with varied seeds" : ""))
        let report = try SuiteRunner.run(o) { Output.progress($0) }
        let directory = URL(fileURLWithPath: out)
        do {
            try ReportWriter.write(report, to: directory, pages: noPages ? nil : URL(fileURLWithPath: pages))
        } catch let e as VerifyError {
            throw CLIError.input(e.description)
        }
        let (header, rows) = ReportMarkdown.verdictRows(report)
        print(Output.table(header, rows))
        print("\n\(report.outcomes.count) check(s) in \(Format.duration(report.seconds)) (\(o.scale) run, seed \(seed)); "
              + "report: \(directory.appendingPathComponent("report.md").path)"
              + (noPages ? "" : "; pages: \(pages)/"))
        if let s = report.falseFailStudy {
            print("false fails: \(s.falseFailRuns) of \(s.repetitions) run(s), Clopper–Pearson 95 % \(Format.interval(s.interval, digits: 3)) vs budget \(s.budget)")
        }
        if report.exitStatus != 0 {
            for f in report.failures { Output.progress("error: \(f)") }
            throw ExitCode(report.exitStatus)
        }
    }
}
