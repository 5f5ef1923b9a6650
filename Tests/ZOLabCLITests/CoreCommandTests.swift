import Foundation
import Testing

@Suite("zolab env / bench / optimizers end to end")
struct CoreCommandTests {
    @Test func envReportsTheBLASCoreAndFeatures() throws {
        let r = try CLIRunner.run(["env", "--no-measure"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("BLAS core") && r.stdout.contains("BLAS threads") && r.stdout.contains("vector ISA"))
    }

    /// The real switch, in its own process: `ZOLAB_BLAS_CORE=Prescott` installs Prescott's
    /// kernels at the first BLAS call (every x86-64 CPU runs them), `zolab env` says so, and its
    /// sgemm measurement runs on them; `keep` leaves OpenBLAS's own choice.
    @Test(.enabled(if: CPUInfoProbe.isX86))
    func forcedCoreIsInstalledAndReported() throws {
        let r = try CLIRunner.run(["env", "--json"], environment: ["ZOLAB_BLAS_CORE": "Prescott"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let detected = try #require(object["blasDetectedCore"] as? String)
        #expect(object["blasActiveCore"] as? String == "Prescott", "\(object)")
        #expect((object["blasDecision"] as? String)?.contains(detected == "Prescott" ? "detected core" : "ZOLAB_BLAS_CORE=Prescott") == true, "\(object)")
        #expect((object["sgemm1024GFLOPS"] as? Double).map { $0 > 0 } == true, "\(object)")
        let kept = try CLIRunner.run(["env", "--no-measure", "--json"], environment: ["ZOLAB_BLAS_CORE": "keep"])
        #expect(kept.status == 0, "\(kept.stderr)")
        let keptObject = try #require(try JSONSerialization.jsonObject(with: Data(kept.stdout.utf8)) as? [String: Any])
        let keptActive = try #require(keptObject["blasActiveCore"] as? String, "\(keptObject)")
        #expect(keptActive == keptObject["blasDetectedCore"] as? String, "\(keptObject)")
        #expect((keptObject["blasDecision"] as? String)?.contains("ZOLAB_BLAS_CORE=keep") == true, "\(keptObject)")
    }

    @Test func envJSONIsValid() throws {
        let r = try CLIRunner.run(["env", "--no-measure", "--json"])
        #expect(r.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(object?["blasActiveCore"] is String)
    }

    @Test func benchRejectsImpossibleOptionsWithStatus64() throws {
        for args in [["bench", "blas", "--size", "0"], ["bench", "rng", "--count", "-5"], ["bench", "blas", "--repeats", "0"],
                     ["bench", "blas", "--also-core", "Frobnicator"]] {
            let r = try CLIRunner.run(args)
            #expect(r.status == 64, "\(args): status \(r.status)")
            #expect(r.stderr.contains("Error"), "\(args): \(r.stderr)")
        }
    }

    /// `--also-core Prescott` times Debian's fallback core next to the selected one (the rates
    /// themselves are not asserted: the machine is shared).
    @Test func benchBLASTimesAnExtraCoreSideBySide() throws {
        let r = try CLIRunner.run(["bench", "blas", "--size", "32", "--repeats", "1", "--also-core", "prescott"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = r.stdout.split(separator: "\n").filter { $0.hasPrefix("Prescott ") }
        #expect(!rows.isEmpty, "\(r.stdout)")
        #expect(r.stdout.contains("/Prescott sgemm ratio at"), "\(r.stdout)")
    }

    @Test func optimizersListsMethodsAndRejectsUnknownNamesWithStatus64() throws {
        let list = try CLIRunner.run(["optimizers"])
        #expect(list.status == 0 && list.stdout.contains("mezo") && list.stdout.contains("lr"))
        let one = try CLIRunner.run(["optimizers", "bcd-adam"])
        #expect(one.status == 0 && one.stdout.contains("bcd-adam") && !one.stdout.contains("hizoo-l  ["))
        let bad = try CLIRunner.run(["optimizers", "no-such-method"])
        #expect(bad.status == 64 && bad.stderr.contains("unknown optimizer"), "status \(bad.status): \(bad.stderr)")
    }

    @Test func unknownSubcommandAndOptionExit64() throws {
        #expect(try CLIRunner.run(["frobnicate"]).status == 64)
        #expect(try CLIRunner.run(["env", "--frobnicate"]).status == 64)
    }
}

@Suite("zolab run / functions end to end")
struct RunCommandTests {
    @Test func runWritesAJSONLinesRecordAtomically() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zolab-run-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("r.jsonl")
        let r = try CLIRunner.run(["run", "--function", "rosenbrock", "--optimizer", "mezo", "--set", "lr=1e-4",
                                   "--steps", "20", "--seed", "3", "--out", file.path])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 22)   // header + θ_0 … θ_20
        #expect(lines[0].contains("\"optimizer\":\"mezo\"") && r.stderr.contains("40 forwards"))
    }

    /// The CSV record carries each step's losses and HiZOO's diagnostics, as JSON Lines does.
    @Test func csvRecordHasLossesAndDiagnostics() throws {
        let r = try CLIRunner.run(["run", "--function", "beale", "--optimizer", "hizoo", "--steps", "3", "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        let header = lines[0].split(separator: ",").map(String.init)
        #expect(header.contains("losses") && header.contains("diag.hessianClampedLow") && header.contains("diag.curvature"))
        let row = lines[1].split(separator: ",", omittingEmptySubsequences: false)
        #expect(row[header.firstIndex(of: "losses")!].split(separator: ";").count == 3)   // L₀, L₊, L₋
    }

    @Test func sameSeedSameBytes() throws {
        let args = ["run", "--function", "beale", "--optimizer", "hizoo", "--steps", "30", "--seed", "11", "--format", "csv"]
        let a = try CLIRunner.run(args), b = try CLIRunner.run(args)
        #expect(a.status == 0 && a.stdout == b.stdout && !a.stdout.isEmpty)
    }

    /// Every bad input — malformed options and unknown names or refused values alike — exits
    /// 64 before any work starts (nothing on standard output).
    @Test func badInputExits64WithAClearMessage() throws {
        let cases: [([String], String)] = [
            (["run", "--function", "nope", "--optimizer", "mezo"], "unknown test function"),
            (["run", "--function", "rosenbrock", "--optimizer", "nope"], "unknown optimizer"),
            (["run", "--function", "rosenbrock", "--optimizer", "mezo", "--set", "lr=-1"], "must be > 0"),
            (["run", "--function", "rosenbrock", "--optimizer", "mezo", "--set", "lr=nan"], "finite"),
            (["run", "--function", "rosenbrock", "--optimizer", "mezo", "--set", "frob=1"], "no option 'frob'"),
            (["run", "--function", "beale", "-d", "3", "--optimizer", "mezo"], "d = 3"),
            (["run", "--function", "rosenbrock", "--optimizer", "sparse-mezo", "--set", "sparsity=1"], "sparsity"),
            (["run", "--function", "rosenbrock", "--optimizer", "mezo", "--start", "1,nan"], "not finite"),
            (["run", "--function", "rosenbrock", "--optimizer", "mezo", "--steps", "0"], "--steps"),
            (["run", "--function", "rosenbrock", "--optimizer", "mezo", "--partition", "equal:0"], "--partition"),
            (["run", "--function", "rosenbrock", "--optimizer", "mezo", "--format", "xml"], "--format"),
            (["run", "--function", "rosenbrock", "--optimizer", "mezo", "--set", "lr"], "name=value"),
            (["functions", "show", "no-such-function"], "unknown test function"),
            (["functions", "show", "beale", "-d", "3"], "d = 3"),
            (["functions", "show", "rosenbrock", "--at", "1,x"], "not a number"),
            (["functions", "show", "rosenbrock", "--at", "1,2,3"], "the point has 3"),
        ]
        for (args, message) in cases {
            let r = try CLIRunner.run(args)
            #expect(r.status == 64, "\(args): status \(r.status), \(r.stderr)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(args) printed a record before failing")
        }
    }

    /// A failure while working (here: the output path is under a regular file) exits 1.
    @Test func unwritableOutputExits1() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("zolab-file-\(UUID())")
        try Data("x".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try CLIRunner.run(["run", "--function", "rosenbrock", "--optimizer", "mezo", "--steps", "2",
                                   "--out", file.appendingPathComponent("r.jsonl").path])
        #expect(r.status == 1, "status \(r.status): \(r.stderr)")
        #expect(r.stderr.contains("Error"))
    }

    @Test func functionsListsTheCatalog() throws {
        let r = try CLIRunner.run(["functions"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("name") == true)
        for name in ["diagonal-quadratic", "rosenbrock", "beale", "six-hump-camel", "hizoo-a", "noisy-least-squares"] {
            #expect(lines.contains { $0.hasPrefix(name + " ") }, "\(name) missing from the listing")
        }
        #expect(try CLIRunner.run(["functions", "list"]).stdout == r.stdout)
    }

    @Test func functionsShowRosenbrockGivesFormulaDomainMinimumAndStart() throws {
        let r = try CLIRunner.run(["functions", "show", "rosenbrock"])
        #expect(r.status == 0, "\(r.stderr)")
        let fields = Dictionary(r.stdout.split(separator: "\n").compactMap { line -> (String, String)? in
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            return (String(parts[0]), parts[1].trimmingCharacters(in: .whitespaces))
        }, uniquingKeysWith: { a, _ in a })
        #expect(fields["formula"]?.contains("100(x_{i+1} − xᵢ²)² + (1 − xᵢ)²") == true, "\(r.stdout)")
        #expect(fields["domain"] == "[−2, 2]^2")
        #expect(fields["minimum"] == "0 at (1, 1)")
        #expect(fields["start"]?.hasPrefix("(−1.2, 1)") == true)
        #expect(fields["curvature"]?.contains("condition number 2508") == true)
        let at = try CLIRunner.run(["functions", "show", "rosenbrock", "--at", "1,1"])
        #expect(at.status == 0 && at.stdout.contains("gradient      (0, 0)"), "\(at.stdout)")
    }

    /// Weight decay acts on a test function's coordinates with the default decay groups.
    @Test func weightDecayChangesATestFunctionRun() throws {
        let base = ["run", "--function", "rosenbrock", "--optimizer", "mezo", "--set", "lr=1e-4", "--steps", "5", "--format", "csv"]
        let plain = try CLIRunner.run(base)
        let decayed = try CLIRunner.run(base + ["--set", "weight-decay=0.5"])
        let none = try CLIRunner.run(base + ["--set", "weight-decay=0.5", "--set", "decay-groups=none"])
        #expect(plain.status == 0 && decayed.status == 0 && none.status == 0)
        #expect(decayed.stdout != plain.stdout)
        #expect(none.stdout == plain.stdout)
    }

    @Test func divergedRunExitsWithStatus3AndKeepsItsRecord() throws {
        let r = try CLIRunner.run(["run", "--function", "rosenbrock", "--optimizer", "gd", "--set", "lr=1", "--steps", "50"])
        #expect(r.status == 3)
        #expect(r.stderr.contains("diverged") && r.stdout.contains("\"kind\":\"step\""))
    }
}

enum CPUInfoProbe {
    static var isX86: Bool {
        #if arch(x86_64)
        return true
        #else
        return false
        #endif
    }
}
