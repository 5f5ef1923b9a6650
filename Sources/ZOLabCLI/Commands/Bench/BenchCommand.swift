import ArgumentParser

/// `zolab bench`: performance measurements. Build with `-c release` before trusting numbers.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (run a release build: swift run -c release zolab bench …).",
        subcommands: [BenchBLASCommand.self, BenchRNGCommand.self, BenchPlotCommand.self, BenchModelCommand.self]
    )
}
