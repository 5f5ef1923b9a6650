import ArgumentParser

/// `zolab`: the ZOLab command-line tool.
@main
struct ZOLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zolab",
        abstract: "Study forward-only (zeroth-order) optimizers: visualise, verify, train.",
        version: "0.1.0",
        subcommands: [
            DemoCommand.self,
            EnvCommand.self,
            OptimizersCommand.self,
            RunCommand.self,
            PlotCommand.self,
            BenchCommand.self,
            FunctionsCommand.self,
            DatasetsCommand.self,
            PretrainCommand.self,
            FinetuneCommand.self,
            CompareCommand.self,
            VerifyCommand.self,
        ]
    )
}
