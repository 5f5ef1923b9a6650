import ArgumentParser
import ZOCore

/// `zolab bench blas`: sgemm / dgemm rates on OpenBLAS's detected core and on the core ZOLab
/// selected, side by side in one run, at 1 and N threads.
struct BenchBLASCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blas",
        abstract: "GEMM GFLOP/s: OpenBLAS's detected core versus the selected core, 1 and N threads."
    )

    @Option(help: "Matrix size n for n×n×n products.")
    var size = 1024

    @Option(help: "Timed repeats per configuration (median reported).")
    var repeats = 7

    @Option(help: "Target sgemm GFLOP/s at full thread count (the issue's acceptance figure).")
    var target = 150.0

    func validate() throws {
        guard size >= 16 && size <= 8192 else { throw ValidationError("--size must be in 16…8192") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be ≥ 1") }
    }

    func run() throws {
        let status = BLASRuntime.status
        let selected = status.activeCore
        let detected = status.detectedCore
        let cores = [detected] + (selected.lowercased() == detected.lowercased() ? [] : [selected])
        let fullThreads = BLASRuntime.threads
        let threadCounts = fullThreads > 1 ? [1, fullThreads] : [1]
        var rows: [[String]] = []
        var selectedRate = 0.0, detectedRate = 0.0
        for core in cores {
            let active = BLASRuntime.select(core: core)
            for threads in threadCounts {
                BLASRuntime.threads = threads
                let s = KernelBenchmarks.gemmGFLOPS(Float.self, n: size, repeats: repeats)
                let d = KernelBenchmarks.gemmGFLOPS(Double.self, n: size, repeats: max(1, repeats / 2))
                rows.append([active, "\(threads)", Output.format(s, digits: 4), Output.format(d, digits: 4)])
                if threads == fullThreads {
                    if core == selected { selectedRate = s }
                    if core == detected { detectedRate = s }
                }
            }
        }
        BLASRuntime.select(core: selected)
        BLASRuntime.threads = fullThreads
        print("GEMM \(size)³, median of \(repeats); BLAS: \(status)")
        print(Output.table(["core", "threads", "sgemm GFLOP/s", "dgemm GFLOP/s"], rows))
        if selected.lowercased() != detected.lowercased() {
            print("selected/detected sgemm ratio at \(fullThreads) threads: \(Output.format(selectedRate / detectedRate, digits: 3))×")
        }
        let verdict = selectedRate >= target ? "meets" : "MISSES"
        print("sgemm at \(fullThreads) threads on \(selected): \(Output.format(selectedRate, digits: 4)) GFLOP/s — \(verdict) the \(Output.format(target, digits: 4)) GFLOP/s target")
    }
}
