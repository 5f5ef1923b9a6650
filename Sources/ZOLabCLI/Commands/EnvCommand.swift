import ArgumentParser
import CZOKernels
import Foundation
import ZOCore

/// `zolab env`: what this machine offers ZOLab and what ZOLab chose.
struct EnvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "Show CPU features, the BLAS core and threads in use, and a measured sgemm rate."
    )

    @Flag(help: "Skip the sgemm measurement (about 0.2 s).")
    var noMeasure = false

    @Flag(help: "Print JSON instead of text.")
    var json = false

    struct Report: Codable {
        var cpuModel: String
        var logicalCores: Int
        var vectorFeatures: [String]
        var blasDetectedCore: String
        var blasActiveCore: String
        var blasDecision: String
        var blasThreads: Int
        var blasConfig: String
        var noiseKernelISA: String
        var kernelThreads: Int
        var sgemm1024GFLOPS: Double?
    }

    func run() throws {
        let cpu = CPUInfo.current
        let status = BLASRuntime.status
        var report = Report(
            cpuModel: cpu.modelName, logicalCores: cpu.logicalCores, vectorFeatures: cpu.vectorFeatures,
            blasDetectedCore: status.detectedCore, blasActiveCore: status.activeCore, blasDecision: status.decision,
            blasThreads: BLASRuntime.threads, blasConfig: BLASRuntime.buildConfig,
            noiseKernelISA: String(cString: zo_noise_isa()), kernelThreads: Parallel.threadCount, sgemm1024GFLOPS: nil)
        if !noMeasure { report.sgemm1024GFLOPS = KernelBenchmarks.sgemmGFLOPS(n: 1024, repeats: 5) }
        if json {
            print(try Output.json(report))
            return
        }
        print("""
        CPU             \(report.cpuModel), \(report.logicalCores) logical cores
        vector ISA      \(report.vectorFeatures.joined(separator: " "))
        BLAS core       \(report.blasActiveCore) — \(report.blasDecision)
        BLAS detected   \(report.blasDetectedCore) (OpenBLAS's own choice at load)
        BLAS threads    \(report.blasThreads)
        BLAS build      \(report.blasConfig)
        noise kernels   \(report.noiseKernelISA), \(report.kernelThreads) threads
        """)
        if let rate = report.sgemm1024GFLOPS {
            print("sgemm 1024³     \(Output.format(rate, digits: 4)) GFLOP/s (median of 5)")
        }
    }
}
