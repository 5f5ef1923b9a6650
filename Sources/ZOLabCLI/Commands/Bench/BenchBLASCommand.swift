import ArgumentParser
import ZOCore

/// `zolab bench blas`: sgemm / dgemm rates on OpenBLAS's detected core, on the core ZOLab
/// selected, and on any further cores asked for with `--also-core`, side by side in one run,
/// at 1 and N threads.
struct BenchBLASCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blas",
        abstract: "GEMM GFLOP/s: OpenBLAS's detected core versus the selected core (and --also-core cores), 1 and N threads.",
        discussion: """
        --also-core times further OpenBLAS cores in the same process, e.g. `--also-core Prescott` \
        measures the kernels Debian's OpenBLAS falls back to when it misdetects a CPU (≈ 35 vs \
        194 GFLOP/s on 2 threads of a Xeon, docs/architecture.md) as a ratio on any x86-64 machine. \
        Cores the CPU cannot run are refused.
        """
    )

    @Option(help: "Matrix size n for n×n×n products.")
    var size = 1024

    @Option(help: "Timed repeats per configuration (median reported).")
    var repeats = 7

    @Option(help: "Target sgemm GFLOP/s at full thread count (the issue's acceptance figure).")
    var target = 150.0

    @Option(name: .customLong("also-core"),
            help: ArgumentHelp("Also time this OpenBLAS core (repeatable or comma-separated), e.g. Prescott, Haswell.",
                               valueName: "name"))
    var alsoCores: [String] = []

    func validate() throws {
        guard size >= 16 && size <= 8192 else { throw ValidationError("--size must be in 16…8192") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be ≥ 1") }
        _ = try extraCores()
    }

    /// The `--also-core` names, canonical spelling, in order, without duplicates. Refuses
    /// names OpenBLAS core selection does not know, cores this CPU cannot run, and any extra
    /// core when this OpenBLAS cannot switch at run time.
    func extraCores() throws -> [String] {
        let known = CPUInfo.openBLASCoreRequirements.map(\.name)
        var cores: [String] = []
        for item in alsoCores.flatMap({ $0.split(separator: ",") }).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let name = CPUInfo.openBLASCoreName(item) else {
                throw ValidationError("--also-core: unknown core '\(item)' (known: \(known.joined(separator: ", ")))")
            }
            let missing = CPUInfo.current.missingFlags(forOpenBLASCore: name) ?? []
            guard missing.isEmpty else {
                throw ValidationError("--also-core: this CPU cannot run \(name) (missing \(missing.joined(separator: ", ")))")
            }
            if !cores.contains(name) { cores.append(name) }
        }
        if !cores.isEmpty && !BLASRuntime.status.runtimeDispatchAvailable {
            throw ValidationError("--also-core: this OpenBLAS has no runtime core dispatch (not a DYNAMIC_ARCH build)")
        }
        return cores
    }

    func run() throws {
        let status = BLASRuntime.status
        let selected = status.activeCore
        let detected = status.detectedCore
        var cores = [detected]
        for core in [selected] + (try extraCores()) where !cores.contains(where: { $0.lowercased() == core.lowercased() }) {
            cores.append(core)
        }
        let fullThreads = BLASRuntime.threads
        let threadCounts = fullThreads > 1 ? [1, fullThreads] : [1]
        var rows: [[String]] = []
        var fullRate: [String: Double] = [:]   // sgemm at full threads, by the core asked for
        var active: [String: String] = [:]     // what OpenBLAS installed for each request
        for core in cores {
            let now = BLASRuntime.select(core: core)
            active[core] = now
            let label = now.lowercased() == core.lowercased() ? now : "\(now) (asked \(core))"
            for threads in threadCounts {
                BLASRuntime.threads = threads
                let s = KernelBenchmarks.gemmGFLOPS(Float.self, n: size, repeats: repeats)
                let d = KernelBenchmarks.gemmGFLOPS(Double.self, n: size, repeats: max(1, repeats / 2))
                rows.append([label, "\(threads)", Output.format(s, digits: 4), Output.format(d, digits: 4)])
                if threads == fullThreads { fullRate[core] = s }
            }
        }
        BLASRuntime.select(core: selected)
        BLASRuntime.threads = fullThreads
        print("GEMM \(size)³, median of \(repeats); BLAS: \(status)")
        print(Output.table(["core", "threads", "sgemm GFLOP/s", "dgemm GFLOP/s"], rows))
        let selectedRate = fullRate[selected] ?? fullRate[detected] ?? 0
        for core in cores where core.lowercased() != selected.lowercased() {
            let rate = fullRate[core] ?? .nan
            print("\(selected)/\(active[core] ?? core) sgemm ratio at \(fullThreads) threads: \(Output.format(selectedRate / rate, digits: 3))×")
        }
        let verdict = selectedRate >= target ? "meets" : "MISSES"
        print("sgemm at \(fullThreads) threads on \(selected): \(Output.format(selectedRate, digits: 4)) GFLOP/s — \(verdict) the \(Output.format(target, digits: 4)) GFLOP/s target")
    }
}
