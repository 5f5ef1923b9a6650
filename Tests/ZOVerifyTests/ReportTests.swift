import Foundation
import Testing
@testable import ZOVerify

/// A check with scripted verdicts, to test the suite's exit policy.
struct ScriptedCheck: Check {
    let name: String
    let claim = 1
    let title = "scripted"
    let source = "test"
    let statement = "test"
    let derivation = "test"
    let method = "test"
    let statisticDescription = "test"
    let elementaryTests = 1
    let claimVerdict: Verdict
    let controlVerdict: Verdict
    var throwsInRun = false

    func smallestDetectableDiscrepancy(configuration: CheckConfiguration) throws -> Discrepancy {
        Discrepancy(value: 0.1, unit: "test", basis: "test")
    }

    func run(configuration c: CheckConfiguration) throws -> CheckResult {
        if throwsInRun { throw VerifyError.machinery(check: name, reason: "scripted failure") }
        return result(.claim, c, verdict: claimVerdict, summary: "scripted \(claimVerdict)", numbers: ["x": 1.5, "nan": .nan])
    }

    func runNegativeControl(configuration c: CheckConfiguration) throws -> CheckResult {
        result(.negativeControl, c, verdict: controlVerdict, summary: "scripted control")
    }
}

@Suite("Suite runner, exit policy and reports")
struct ReportTests {
    func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("zoverify-\(UUID().uuidString)")
    }

    @Test func refutedClaimsDoNotFailTheSuiteButPassingControlsAndErrorsDo() throws {
        let ok = try SuiteRunner.run(SuiteOptions(scale: .test), registry: [
            ScriptedCheck(name: "a", claimVerdict: .holds, controlVerdict: .refuted),
            ScriptedCheck(name: "b", claimVerdict: .refuted, controlVerdict: .refuted),
        ])
        #expect(ok.exitStatus == 0 && ok.failures.isEmpty)
        let passing = try SuiteRunner.run(SuiteOptions(scale: .test), registry: [ScriptedCheck(name: "a", claimVerdict: .holds, controlVerdict: .holds)])
        #expect(passing.exitStatus == 1 && passing.failures.first?.contains("negative control not refuted") == true)
        let broken = try SuiteRunner.run(SuiteOptions(scale: .test), registry: [ScriptedCheck(name: "a", claimVerdict: .holds, controlVerdict: .refuted, throwsInRun: true)])
        #expect(broken.exitStatus == 1 && broken.outcomes[0].result.verdict == .machineryError)
        #expect(broken.failures.first?.contains("scripted failure") == true)
    }

    @Test func varySeedCountsFalseFailsWithAClopperPearsonInterval() throws {
        let report = try SuiteRunner.run(SuiteOptions(scale: .test, varySeed: true, repetitions: 3), registry: [
            ScriptedCheck(name: "a", claimVerdict: .holds, controlVerdict: .refuted),
            ScriptedCheck(name: "b", claimVerdict: .refuted, controlVerdict: .refuted),
        ])
        let study = try #require(report.falseFailStudy)
        #expect(study.repetitions == 3 && Set(study.seeds).count == 3)
        #expect(study.falseFailRuns == 3 && study.perCheckRejections["b"] == 3)
        #expect(study.interval.lower > 0.29 && study.interval.upper == 1)
        #expect(report.outcomes.count == 2)
    }

    @Test func repetitionsNeedVariedSeedsAndAtLeastOne() {
        #expect(throws: VerifyError.self) { try SuiteOptions(repetitions: 0).validate() }
        #expect(throws: VerifyError.self) { try SuiteOptions(repetitions: 3).validate() }
        #expect(throws: VerifyError.self) { try SuiteOptions(checks: ["no-such-check"]).validate() }
        #expect(throws: Never.self) { try SuiteOptions(varySeed: true, repetitions: 3).validate() }
    }

    @Test func reportJSONRoundTripsAndPagesAndFiguresAreWritten() throws {
        let report = try SuiteRunner.run(SuiteOptions(scale: .test, checks: ["hizoo-l-factoring", "powell-cycling"]))
        #expect(report.exitStatus == 0, "\(report.failures)")
        let dir = temporaryDirectory(), pages = dir.appendingPathComponent("pages")
        defer { try? FileManager.default.removeItem(at: dir) }
        try ReportWriter.write(report, to: dir, pages: pages)
        let back = try ReportWriter.read(dir.appendingPathComponent("report.json"))
        #expect(back.outcomes.map(\.check) == report.outcomes.map(\.check))
        #expect(back.outcomes.map(\.result.verdict) == report.outcomes.map(\.result.verdict))
        #expect(back.outcomes[0].result.numbers == report.outcomes[0].result.numbers)
        #expect(back.outcomes[0].result.subResults == report.outcomes[0].result.subResults)
        #expect(back.budget.count == report.budget.count && back.seed == report.seed)
        for name in ["hizoo-l-factoring", "powell-cycling"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("figures/\(name).png").path))
            #expect(FileManager.default.fileExists(atPath: pages.appendingPathComponent("figures/\(name).png").path))
            let page = try String(contentsOf: pages.appendingPathComponent("\(name).md"), encoding: .utf8)
            for heading in ["## Statement", "## Source", "## Derivation sketch", "## Protocol", "## Statistic and threshold",
                            "## Smallest detectable discrepancy", "## Latest result", "## Negative control"] {
                #expect(page.contains(heading), "\(name) page lacks \(heading)")
            }
            #expect(page.contains("test run"))
        }
        let md = try String(contentsOf: dir.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(md.contains("| check | claim | verdict |") && md.contains("α_total"))
    }

    @Test func nonFiniteNumbersSurviveTheJSON() throws {
        let report = try SuiteRunner.run(SuiteOptions(scale: .test), registry: [ScriptedCheck(name: "a", claimVerdict: .holds, controlVerdict: .refuted)])
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try ReportWriter.write(report, to: dir, pages: nil)
        let back = try ReportWriter.read(dir.appendingPathComponent("report.json"))
        #expect(back.outcomes[0].result.numbers["nan"]?.isNaN == true && back.outcomes[0].result.numbers["x"] == 1.5)
    }
}
