import ArgumentParser
import ZOCore

/// `zolab bench rng`: the fused perturbation θ += ε·z (generate + axpy in place), against its
/// parts and its naive twin, in one run.
struct BenchRNGCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rng",
        abstract: "Noise throughput: fused Gaussian perturbation on 1 and N threads, fill only, naive twin."
    )

    @Option(help: "Elements per buffer (default 2^25 ≈ 33.5 M, a 134 MB Float32 buffer).")
    var count = 1 << 25

    @Option(help: "Timed repeats per configuration (median reported).")
    var repeats = 5

    @Option(help: "Target M elements/s for the fused Gaussian perturbation on all threads.")
    var target = 400.0

    func validate() throws {
        guard count >= 1024 && count <= 1 << 30 else { throw ValidationError("--count must be in 1024…2^30") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be ≥ 1") }
    }

    func run() throws {
        let threads = Parallel.threadCount
        var rows: [[String]] = []
        func add(_ name: String, _ rate: Double) { rows.append([name, Output.format(rate, digits: 4)]) }

        let fused1 = KernelBenchmarks.fusedPerturbationRate(count: count, threads: 1, repeats: repeats)
        let fusedN = KernelBenchmarks.fusedPerturbationRate(count: count, threads: threads, repeats: repeats)
        add("fused gaussian x += εz, Float32, 1 thread", fused1)
        add("fused gaussian x += εz, Float32, \(threads) threads", fusedN)
        add("fused rademacher x += εz, Float32, \(threads) threads",
            KernelBenchmarks.fusedPerturbationRate(count: count, threads: threads, repeats: repeats, kind: .rademacher))

        let fillBuffer = Slab<Float>(count: count)
        let fill = Stopwatch.measure(repeats: repeats) {
            Noise.fill(fillBuffer.buffer, key: NoiseKey(seed: 3, stream: 1))
        }
        add("fill gaussian z, Float32, \(threads) threads", Double(count) / fill.median / 1e6)

        let doubleCount = count / 4
        let doubleBuffer = Slab<Double>(count: doubleCount)
        let fused64 = Stopwatch.measure(repeats: repeats) {
            Noise.addScaled(doubleBuffer.buffer, scale: 1e-3, key: NoiseKey(seed: 3, stream: 2))
        }
        add("fused gaussian x += εz, Float64, \(threads) threads", Double(doubleCount) / fused64.median / 1e6)

        // Naive twin: per-element Philox + libm Box–Muller in Swift (1 thread), on a slice.
        let naiveCount = min(count, 1 << 18)
        let naiveBuffer = Slab<Float>(count: naiveCount)
        let naive = Stopwatch.measure(repeats: 3) {
            let key = NoiseKey(seed: 3, stream: 3)
            for i in 0..<naiveCount {
                naiveBuffer.base[i] += 1e-3 * Float(PhiloxReference.elementFloat(key: key, kind: .gaussian, index: i))
            }
        }
        let naiveRate = Double(naiveCount) / naive.median / 1e6
        add("naive twin (Swift Philox + libm), 1 thread", naiveRate)

        print("Noise throughput, M elements/s, \(count) elements, median of \(repeats)")
        print(Output.table(["kernel", "M elem/s"], rows))
        print("fused speed-up \(threads) threads / 1 thread: \(Output.format(fusedN / fused1, digits: 3))×; fused / naive twin: \(Output.format(fusedN / naiveRate, digits: 3))×")
        let verdict = fusedN >= target ? "meets" : "MISSES"
        print("fused Gaussian perturbation: \(Output.format(fusedN, digits: 4)) M elem/s — \(verdict) the \(Output.format(target, digits: 4)) M/s target")
    }
}
