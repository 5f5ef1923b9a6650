import Foundation
import Testing

@Suite("zolab verify end to end")
struct VerifyCommandTests {
    @Test func listShowsEveryCheckWithItsBudgetShare() throws {
        let r = try CLIRunner.run(["verify", "--list"])
        #expect(r.status == 0, "\(r.stderr)")
        for name in ["spsa-unbiased", "hizoo-hessian-ema", "cosine-similarity", "powell-cycling", "optimizer-memory"] {
            #expect(r.stdout.contains(name), "\(name) missing from --list")
        }
        #expect(r.stdout.contains("α_total = 0.001"))
    }

    @Test func unknownCheckFailsWithAClearMessage() throws {
        let r = try CLIRunner.run(["verify", "--check", "spsa-unbiasd", "--no-pages"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("unknown check 'spsa-unbiasd'") && r.stderr.contains("did you mean spsa-unbiased"), "\(r.stderr)")
    }

    @Test func impossibleRepetitionsAreRejected() throws {
        let zero = try CLIRunner.run(["verify", "--repeat", "0", "--vary-seed", "--no-pages"])
        #expect(zero.status != 0 && zero.stderr.contains("--repeat must be ≥ 1"), "\(zero.stderr)")
        let fixed = try CLIRunner.run(["verify", "--repeat", "3", "--no-pages"])
        #expect(fixed.status != 0 && fixed.stderr.contains("--vary-seed"), "\(fixed.stderr)")
        let scale = try CLIRunner.run(["verify", "--scale", "huge"])
        #expect(scale.status != 0)
    }

    @Test func aSmallRunWritesTheReportAndExitsZero() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zolab-verify-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLIRunner.run(["verify", "--scale", "test", "--check", "powell-cycling", "--check", "optimizer-memory",
                                   "--out", dir.path, "--pages", dir.appendingPathComponent("pages").path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("powell-cycling") && r.stdout.contains("refuted ✓"))
        #expect(r.stderr.contains("[1/2] powell-cycling"))
        for file in ["report.md", "report.json", "figures/powell-cycling.png", "pages/optimizer-memory.md"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(file).path), "\(file) missing")
        }
    }

    @Test func aQuickCheckWritesItsReportAndPage() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zolab-verify-quick-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let pages = dir.appendingPathComponent("pages")
        let r = try CLIRunner.run(["verify", "--check", "spsa-unbiased", "--quick", "--out", dir.path, "--pages", pages.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("quick run of 1 check(s)"), "\(r.stderr)")
        #expect(r.stdout.contains("spsa-unbiased") && r.stdout.contains("refuted ✓"), "\(r.stdout)")
        for file in ["report.md", "report.json", "figures/spsa-unbiased.png", "pages/spsa-unbiased.md", "pages/figures/spsa-unbiased.png"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(file).path), "\(file) missing")
        }
        let page = try String(contentsOf: pages.appendingPathComponent("spsa-unbiased.md"), encoding: .utf8)
        #expect(page.contains("quick run") && page.contains("False-fail share: αᵢ ="), "page lacks the run or budget line")
        #expect(page.contains("The negative control injects an error of") && page.contains("that is the detectable size"), "page lacks the control's size")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("report.json"))) as? [String: Any]
        #expect((json?["scale"] as? String) == "quick")
        #expect((json?["outcomes"] as? [[String: Any]])?.count == 1)
    }

    @Test func varySeedRepeatsAndReportsTheFalseFailCount() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zolab-verify-vary-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLIRunner.run(["verify", "--quick", "--vary-seed", "--repeat", "2", "--check", "spsa-unbiased", "--no-pages", "--out", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("repetition 1/2") && r.stderr.contains("repetition 2/2"), "\(r.stderr)")
        #expect(r.stdout.contains("false fails: 0 of 2 run(s)"), "\(r.stdout)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("report.json"))) as? [String: Any]
        let study = json?["falseFailStudy"] as? [String: Any]
        #expect((study?["repetitions"] as? Int) == 2 && (study?["seeds"] as? [Any])?.count == 2, "\(String(describing: study))")
        let report = try String(contentsOf: dir.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("Measured false-fail rate (--vary-seed)"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("pages").path))
    }
}
