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
}
