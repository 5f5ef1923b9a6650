import Foundation
import Testing

@Suite("zolab env / bench / optimizers end to end")
struct CoreCommandTests {
    @Test func envReportsTheBLASCoreAndFeatures() throws {
        let r = try CLIRunner.run(["env", "--no-measure"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("BLAS core") && r.stdout.contains("BLAS threads") && r.stdout.contains("vector ISA"))
    }

    @Test func envJSONIsValid() throws {
        let r = try CLIRunner.run(["env", "--no-measure", "--json"])
        #expect(r.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(object?["blasActiveCore"] is String)
    }

    @Test func benchRejectsImpossibleOptions() throws {
        for args in [["bench", "blas", "--size", "0"], ["bench", "rng", "--count", "-5"], ["bench", "blas", "--repeats", "0"]] {
            let r = try CLIRunner.run(args)
            #expect(r.status != 0, "\(args) should fail")
            #expect(r.stderr.contains("Error"), "\(args): \(r.stderr)")
        }
    }

    @Test func optimizersListsMethodsAndRejectsUnknownNames() throws {
        let list = try CLIRunner.run(["optimizers"])
        #expect(list.status == 0 && list.stdout.contains("mezo") && list.stdout.contains("lr"))
        let bad = try CLIRunner.run(["optimizers", "no-such-method"])
        #expect(bad.status != 0 && bad.stderr.contains("unknown optimizer"))
    }

    @Test func unknownSubcommandFails() throws {
        let r = try CLIRunner.run(["frobnicate"])
        #expect(r.status != 0)
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

    @Test func sameSeedSameBytes() throws {
        let args = ["run", "--function", "beale", "--optimizer", "hizoo", "--steps", "30", "--seed", "11", "--format", "csv"]
        let a = try CLIRunner.run(args), b = try CLIRunner.run(args)
        #expect(a.status == 0 && a.stdout == b.stdout && !a.stdout.isEmpty)
    }

    @Test func badInputFailsWithAClearMessage() throws {
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
            (["functions", "show", "no-such-function"], "unknown test function"),
        ]
        for (args, message) in cases {
            let r = try CLIRunner.run(args)
            #expect(r.status != 0, "\(args) should fail")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
        }
    }

    @Test func divergedRunExitsWithStatus3AndKeepsItsRecord() throws {
        let r = try CLIRunner.run(["run", "--function", "rosenbrock", "--optimizer", "gd", "--set", "lr=1", "--steps", "50"])
        #expect(r.status == 3)
        #expect(r.stderr.contains("diverged") && r.stdout.contains("\"kind\":\"step\""))
    }
}
