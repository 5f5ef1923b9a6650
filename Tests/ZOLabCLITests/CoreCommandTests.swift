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
