import ArgumentParser
import Foundation
import ZOCore
import ZOModel
import ZOOptim
import ZOTrain

/// Shared by pretrain / finetune / compare: error mapping and the run-directory options.
enum TrainCLI {
    /// Runs `body`, turning the trainer's typed errors into messages and exit codes:
    /// 1 bad input or state, 3 divergence (README convention), 130 interrupted.
    static func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as TrainError {
            switch e {
            case .diverged:
                Output.progress("Error: \(e)")
                throw ExitCode(3)
            case .interrupted:
                Output.progress("Error: \(e)")
                throw ExitCode(130)
            default:
                throw CLIError.input(e.description)
            }
        } catch let e as DatasetError {
            throw CLIError.input(e.description)
        } catch let e as OptimizerError {
            throw CLIError.input(e.description)
        } catch let e as ModelError {
            throw CLIError.input(e.description)
        } catch let e as SafetensorsError {
            throw CLIError.input(e.description)
        } catch let e as CoreError {
            throw CLIError.input(e.description)
        } catch let e as BatchEncodingError {
            throw CLIError.input(e.description)
        }
    }

    /// Prepares `directory` for a new run: refuses an existing checkpoint unless `force`
    /// (then removes the run's files).
    static func prepare(_ directory: URL, resume: Bool, force: Bool) throws {
        let checkpoint = directory.appendingPathComponent("checkpoint.safetensors")
        guard !resume else { return }
        if FileManager.default.fileExists(atPath: checkpoint.path) {
            guard force else { throw TrainError.runExists(path: directory.path) }
            for name in ["checkpoint.safetensors", "metrics.jsonl", "summary.json", "final.safetensors", "best.safetensors", "model.safetensors"] {
                try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
            }
        }
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }

    static func bytes(_ n: Int?) -> String {
        guard let n else { return "n/a" }
        return String(format: "%.1f MiB", Double(n) / 1_048_576)
    }
}
