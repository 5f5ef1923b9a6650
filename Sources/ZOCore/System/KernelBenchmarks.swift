/// Timed runs of the core kernels, shared by `zolab env` and `zolab bench`.
/// Rates use the median of the timed repeats.
public enum KernelBenchmarks {
    /// GFLOP/s of C ← A·B for n×n×n Float32 (2n³ flops per call) on the current BLAS core and
    /// thread count. Inputs are deterministic, non-trivial values.
    public static func sgemmGFLOPS(n: Int = 1024, repeats: Int = 5) -> Double {
        gemmGFLOPS(Float.self, n: n, repeats: repeats)
    }

    public static func gemmGFLOPS<S: ZOScalar>(_ type: S.Type, n: Int, repeats: Int) -> Double {
        let a = Slab<S>(count: n * n), b = Slab<S>(count: n * n), c = Slab<S>(count: n * n)
        Noise.fill(a.buffer, key: NoiseKey(seed: 1, stream: 0), kind: .uniform)
        Noise.fill(b.buffer, key: NoiseKey(seed: 1, stream: 1), kind: .uniform)
        let sample = Stopwatch.measure(repeats: repeats, warmup: 1) {
            BLAS.gemm(m: n, n: n, k: n, a: a.base, b: b.base, c: c.base)
        }
        return 2 * Double(n) * Double(n) * Double(n) / sample.median / 1e9
    }

    /// Million elements per second of the fused Gaussian perturbation x += 1e-3·z over `count`
    /// Float32 elements, on `threads` threads.
    public static func fusedPerturbationRate(count: Int, threads: Int, repeats: Int = 5, kind: NoiseKind = .gaussian) -> Double {
        let x = Slab<Float>(count: count)
        var step: UInt64 = 0
        let sample = Parallel.withThreads(threads) {
            Stopwatch.measure(repeats: repeats, warmup: 1) {
                step += 1
                Noise.addScaled(x.buffer, scale: 1e-3, key: NoiseKey(seed: 7, stream: step), kind: kind)
            }
        }
        return Double(count) / sample.median / 1e6
    }
}
