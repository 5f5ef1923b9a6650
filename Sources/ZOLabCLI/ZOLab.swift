import ArgumentParser

/// `zolab`: the ZOLab command-line tool.
@main
struct ZOLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zolab",
        abstract: "Study forward-only (zeroth-order) optimizers: visualise, verify, train.",
        version: "0.1.0",
        subcommands: [
            // Overview
            DemoCommand.self,
            EnvCommand.self,
            // Visualise: functions, optimizers, runs, figures
            FunctionsCommand.self,
            OptimizersCommand.self,
            RunCommand.self,
            PlotCommand.self,
            // Verify
            VerifyCommand.self,
            // Train
            DatasetsCommand.self,
            PretrainCommand.self,
            FinetuneCommand.self,
            CompareCommand.self,
            // Performance
            BenchCommand.self,
        ]
    )
}
