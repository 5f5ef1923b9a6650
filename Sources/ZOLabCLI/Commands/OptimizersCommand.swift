import ArgumentParser
import ZOOptim

/// `zolab optimizers`: the registered methods with their options and defaults.
struct OptimizersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimizers",
        abstract: "List the optimizers with their options and defaults."
    )

    @Argument(help: "Show only this optimizer.")
    var name: String?

    func validate() throws {
        if let name { try CLIError.checkInput { _ = try OptimizerRegistry.factory(named: name) } }
    }

    func run() throws {
        let factories = try name.map { [try OptimizerRegistry.factory(named: $0)] } ?? OptimizerRegistry.factories
        for (i, f) in factories.enumerated() {
            if i > 0 { print("") }
            print("\(f.name)  [\(f.family.rawValue)]")
            print("  \(f.summary)")
            let rows = f.options.map { [$0.name, $0.defaultValue, $0.typeDescription, $0.help] }
            if !rows.isEmpty { print(Output.table(["option", "default", "values", "meaning"], rows)) }
        }
        if name == nil {
            print("\nSet options with --set name=value (zolab run) ; see docs/optimizers.md for the update rules.")
        }
    }
}
