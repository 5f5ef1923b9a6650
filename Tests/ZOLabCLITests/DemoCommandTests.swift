import Foundation
import Testing

/// `zolab demo`: stage selection, progress with timings (the long stages — verification and
/// fine-tune — are exercised by their own commands' tests and by running the demo itself).
@Suite("zolab demo")
struct DemoCommandTests {
    @Test func stagesPrintProgressAndTheirTimes() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("zolab-demo-\(UUID())")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try CLIRunner.run(["demo", "--stages", "functions,environment", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        // Stages run in the demo's order whatever the order given, each announced and timed.
        for needle in ["== zolab demo [1/2] environment", "-- environment done in ", "== zolab demo [2/2] functions", "-- functions done in "] {
            #expect(r.stderr.contains(needle), "\(needle) not in: \(r.stderr)")
        }
        let summary = try #require(r.stdout.split(separator: "\n").last { $0.hasPrefix("demo: ") })
        #expect(summary.contains("environment ") && summary.contains(", functions ") && summary.contains("; total ")
                && summary.contains(", CPU ") && summary.contains("load average "), "\(summary)")
        #expect(r.stderr.contains(" (CPU "), "\(r.stderr)")
        #expect(r.stdout.contains("sgemm 1024³") && r.stdout.contains("rosenbrock"), "\(r.stdout)")
    }

    @Test func unknownStagesAreRefusedBeforeAnythingRuns() throws {
        let r = try CLIRunner.run(["demo", "--stages", "figures,verfiy"])
        #expect(r.status == 64 && r.stderr.contains("unknown demo stage 'verfiy'") && r.stderr.contains("verification"), "\(r.stderr)")
    }
}
