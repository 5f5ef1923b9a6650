import Foundation
import Testing

/// End to end: `zolab datasets`, `zolab pretrain`, `zolab finetune` (kill -9 and resume).
@Suite("zolab datasets / pretrain / finetune end to end", .serialized)
struct TrainCommandTests {
    /// A small workspace: generated datasets and a tiny pre-trained base (2 Adam steps).
    static let workspace: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zolab-train-\(UUID())")
        let data = dir.appendingPathComponent("data")
        _ = try! CLIRunner.run(["datasets", "generate", "--out", data.path, "--seed", "4"])
        let r = try! CLIRunner.run(["pretrain", "--out", dir.appendingPathComponent("pre").path, "--data", data.path,
                                    "--set", "corpus=\(data.path)/corpus", "--set", "width=16", "--set", "depth=2",
                                    "--set", "heads=2", "--set", "steps=2", "--set", "batch_size=2", "--set", "eval_batches=1",
                                    "--zero-shot-examples", "16"])
        precondition(r.status == 0, r.stderr)
        return dir
    }()

    func finetuneArguments(_ out: URL, steps: Int, data: String? = nil, extra: [String] = []) -> [String] {
        let w = Self.workspace
        return ["finetune", "--optimizer", "mezo", "--task", "sst2", "--steps", "\(steps)", "--quiet", "--out", out.path,
                "--set", "data=\(data ?? w.appendingPathComponent("data").path)",
                "--set", "base=\(w.appendingPathComponent("pre/model.safetensors").path)",
                "--set", "k_shot=16", "--set", "batch_size=4", "--set", "dev_examples=16", "--set", "test_examples=16",
                "--set", "eval_every=100", "--set", "checkpoint_every=20"] + extra
    }

    @Test func pretrainWritesACheckpointAndReportsZeroShot() throws {
        let pre = Self.workspace.appendingPathComponent("pre")
        #expect(FileManager.default.fileExists(atPath: pre.appendingPathComponent("model.safetensors").path))
        #expect(FileManager.default.fileExists(atPath: pre.appendingPathComponent("metrics.jsonl").path))
        let summary = try String(contentsOf: pre.appendingPathComponent("summary.json"), encoding: .utf8)
        #expect(summary.contains("validationLoss"))
    }

    /// The process state letter of `pid` from /proc (R, S, D, T = stopped, Z, …), nil once it is gone.
    static func processState(_ pid: Int32) -> Character? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].first { $0 != " " }
    }

    /// SIGKILL at a known point, without racing a running process: the run stops itself
    /// (SIGSTOP, the `ZOLAB_STOP_AFTER_STEP` hook) after step 30 — ten steps past its checkpoint
    /// at step 20, so metrics.jsonl holds lines the checkpoint does not cover — and is killed
    /// while stopped. The resumed run must equal an uninterrupted one byte for byte.
    @Test func killMinusNineThenResumeEqualsAnUninterruptedRun() throws {
        let steps = 60, stopAfter = 30
        let straight = Self.workspace.appendingPathComponent("straight")
        let a = try CLIRunner.run(finetuneArguments(straight, steps: steps))
        #expect(a.status == 0, "\(a.stderr)")

        let killed = Self.workspace.appendingPathComponent("killed")
        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = finetuneArguments(killed, steps: steps)
        process.environment = ProcessInfo.processInfo.environment.merging(["ZOLAB_STOP_AFTER_STEP": "\(stopAfter)"]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        // Waits for a state, not for a time: the deadline only guards against a hang.
        let deadline = Date().addingTimeInterval(600)
        while process.isRunning && Self.processState(pid) != "T" && Date() < deadline { usleep(5000) }
        let stopped = Self.processState(pid) == "T"
        kill(pid, SIGKILL)
        process.waitUntilExit()
        try #require(stopped, "the run did not stop itself after step \(stopAfter) (exit status \(process.terminationStatus))")
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)
        let metrics = try String(contentsOf: killed.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        #expect(metrics.split(separator: "\n").filter { $0.contains("\"loss\"") }.count == stopAfter)
        #expect(FileManager.default.fileExists(atPath: killed.appendingPathComponent("checkpoint.safetensors").path))
        #expect(!FileManager.default.fileExists(atPath: killed.appendingPathComponent("final.safetensors").path))

        let b = try CLIRunner.run(finetuneArguments(killed, steps: steps, extra: ["--resume"]))
        #expect(b.status == 0, "\(b.stderr)")
        for file in ["final.safetensors", "metrics.jsonl"] {
            let x = try Data(contentsOf: straight.appendingPathComponent(file)), y = try Data(contentsOf: killed.appendingPathComponent(file))
            #expect(x == y, "\(file) differs between the uninterrupted and the killed-and-resumed run")
        }
    }

    @Test func sigintSavesACheckpointAndExits130() throws {
        let out = Self.workspace.appendingPathComponent("sigint")
        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = finetuneArguments(out, steps: 5000)
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let metrics = out.appendingPathComponent("metrics.jsonl")
        let deadline = Date().addingTimeInterval(120)
        // Wait until a few steps have run, then interrupt.
        while process.isRunning && Date() < deadline {
            if let text = try? String(contentsOf: metrics, encoding: .utf8), text.split(separator: "\n").count > 5 { break }
            usleep(2000)
        }
        kill(process.processIdentifier, SIGINT)
        let watchdog = process.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + 60) { kill(watchdog, SIGKILL) }
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "\(message)")
        #expect(message.contains("interrupted (signal 2): checkpoint saved at step") && message.contains("--resume"), "\(message)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("checkpoint.safetensors").path))
    }

    @Test func resumeWithAnotherConfigurationIsRefused() throws {
        let out = Self.workspace.appendingPathComponent("mismatch")
        #expect(try CLIRunner.run(finetuneArguments(out, steps: 20)).status == 0)
        let r = try CLIRunner.run(finetuneArguments(out, steps: 20, extra: ["--resume", "--set", "seed=9"]))
        #expect(r.status != 0 && r.stderr.contains("different configuration") && r.stderr.contains("seed"), "\(r.stderr)")
        let again = try CLIRunner.run(finetuneArguments(out, steps: 20))
        #expect(again.status != 0 && again.stderr.contains("--resume"), "\(again.stderr)")
    }

    @Test func badDatasetLinesFailWithTheirLineNumbers() throws {
        let dir = Self.workspace.appendingPathComponent("bad")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sst2"), withIntermediateDirectories: true)
        let good = try String(contentsOf: Self.workspace.appendingPathComponent("data/sst2/train.jsonl"), encoding: .utf8)
        var lines = good.split(separator: "\n").map(String.init)
        lines[2] = "{\"sentence\": \"oops\""
        lines[4] = "{\"sentence\": \"a film .\", \"label\": \"meh\"}"
        lines[6] = "{\"label\": \"positive\"}"
        let bad = dir.appendingPathComponent("sst2/train.jsonl")
        try lines.joined(separator: "\n").write(to: bad, atomically: true, encoding: .utf8)
        for split in ["dev", "test"] {
            try FileManager.default.copyItem(at: Self.workspace.appendingPathComponent("data/sst2/\(split).jsonl"),
                                             to: dir.appendingPathComponent("sst2/\(split).jsonl"))
        }
        let check = try CLIRunner.run(["datasets", "check", bad.path, "--task", "sst2"])
        #expect(check.status != 0)
        for needle in ["3 malformed lines", "line 3: bad JSON", "line 5: unknown label \"meh\"", "line 7: missing field \"sentence\""] {
            #expect(check.stderr.contains(needle), "\(needle) not in: \(check.stderr)")
        }
        let run = try CLIRunner.run(finetuneArguments(Self.workspace.appendingPathComponent("badrun"), steps: 5, data: dir.path))
        #expect(run.status != 0 && run.stderr.contains("line 3: bad JSON"), "\(run.stderr)")
    }

    @Test func unknownSettingsAreRefusedBeforeAnythingRuns() throws {
        let r = try CLIRunner.run(["finetune", "--set", "setps=10"])
        #expect(r.status == 64 && r.stderr.contains("did you mean 'steps'"), "\(r.stderr)")
        let p = try CLIRunner.run(["pretrain", "--set", "depth=0"])
        #expect(p.status == 64 && p.stderr.contains("depth"), "\(p.stderr)")
        // Optimizer names, options and objective/method combinations are bad input too (exit 64),
        // found before the model loads — and by compare before it spawns any run.
        let cases: [([String], String)] = [
            (["finetune", "--optimizer", "mezzo"], "unknown optimizer 'mezzo'"),
            (["finetune", "--optimizer", "mezo", "--opt", "frob=1"], "no option 'frob'"),
            (["finetune", "--optimizer", "mezo", "--opt", "lr=-1"], "must be > 0"),
            (["finetune", "--optimizer", "adam", "--set", "objective=f1"], "not differentiable"),
            (["finetune", "--optimizer", "newton"], "exact Hessian"),
            (["compare", "--methods", "mezo,mezzo"], "unknown optimizer 'mezzo'"),
            (["compare", "--methods", "mezo", "--opt", "mezo:lr=nan"], "finite"),
            (["compare", "--methods", "sgd", "--set", "objective=accuracy"], "not differentiable"),
        ]
        for (args, message) in cases {
            let bad = try CLIRunner.run(args + ["--out", NSTemporaryDirectory() + "zolab-never-written"])
            #expect(bad.status == 64 && bad.stderr.contains(message) && bad.stdout.isEmpty, "\(args): \(bad.status) \(bad.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: NSTemporaryDirectory() + "zolab-never-written"))
        let list = try CLIRunner.run(["finetune", "--list"])
        #expect(list.status == 0 && list.stdout.contains("checkpoint_every = 100"))
    }
}
