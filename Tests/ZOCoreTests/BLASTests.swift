import Foundation
import Testing
@testable import ZOCore

@Suite("BLAS wrappers against their naive twins")
struct BLASTests {
    static func random<S: ZOScalar>(_ n: Int, seed: UInt64) -> [S] {
        Noise.values(S.self, count: n, key: NoiseKey(seed: seed, stream: 0), kind: .uniform).map { $0 - 0.5 }
    }

    static func maxRelativeError<S: ZOScalar>(_ a: [S], _ b: [S]) -> Double {
        let scale = max(b.map { abs(Double($0)) }.max() ?? 1, 1e-30)
        return zip(a, b).map { abs(Double($0) - Double($1)) / scale }.max() ?? 0
    }

    func checkGemm<S: ZOScalar>(_ type: S.Type, tolerance: Double) {
        let (m, n, k) = (37, 29, 53)
        for transA in [false, true] {
            for transB in [false, true] {
                // Padded leading dimensions exercise lda/ldb/ldc.
                let lda = (transA ? m : k) + 3, ldb = (transB ? k : n) + 2, ldc = n + 5
                let a: [S] = Self.random((transA ? k : m) * lda, seed: 1)
                let b: [S] = Self.random((transB ? n : k) * ldb, seed: 2)
                var c1: [S] = Self.random(m * ldc, seed: 3)
                var c2 = c1
                BLAS.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.75, a: a, lda: lda,
                          b: b, ldb: ldb, beta: -0.5, c: &c1, ldc: ldc)
                BLASReference.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.75, a: a, lda: lda,
                                   b: b, ldb: ldb, beta: -0.5, c: &c2, ldc: ldc)
                #expect(Self.maxRelativeError(c1, c2) < tolerance, "transA \(transA) transB \(transB)")
            }
        }
    }

    @Test func gemmFloat() { checkGemm(Float.self, tolerance: 1e-5) }
    @Test func gemmDouble() { checkGemm(Double.self, tolerance: 1e-13) }

    @Test func gemmLargeEnoughToUseThreads() {
        let n = 256
        let a: [Float] = Self.random(n * n, seed: 4), b: [Float] = Self.random(n * n, seed: 5)
        var c1 = [Float](repeating: 0, count: n * n), c2 = c1
        BLAS.gemm(m: n, n: n, k: n, a: a, b: b, c: &c1)
        BLASReference.gemm(m: n, n: n, k: n, a: a, b: b, c: &c2)
        #expect(Self.maxRelativeError(c1, c2) < 1e-5)
    }

    func checkGemv<S: ZOScalar>(_ type: S.Type, tolerance: Double) {
        let (m, n) = (41, 23)
        let a: [S] = Self.random(m * n, seed: 6)
        for trans in [false, true] {
            let x: [S] = Self.random(trans ? m : n, seed: 7)
            var y1: [S] = Self.random(trans ? n : m, seed: 8)
            var y2 = y1
            BLAS.gemv(trans: trans, m: m, n: n, alpha: 1.5, a: a, x: x, beta: 0.25, y: &y1)
            BLASReference.gemv(trans: trans, m: m, n: n, alpha: 1.5, a: a, x: x, beta: 0.25, y: &y2)
            #expect(Self.maxRelativeError(y1, y2) < tolerance, "\(S.self) trans \(trans)")
        }
    }

    @Test func gemvFloat() { checkGemv(Float.self, tolerance: 1e-5) }
    @Test func gemvDouble() { checkGemv(Double.self, tolerance: 1e-13) }

    func checkAxpyAndDot<S: ZOScalar>(_ type: S.Type, axpyTolerance: Double, dotTolerance: Double) {
        let x: [S] = Self.random(1001, seed: 9)
        var y1: [S] = Self.random(1001, seed: 10)
        var y2 = y1
        BLAS.axpy(count: 1001, alpha: -2, x: x, y: &y1)
        BLASReference.axpy(count: 1001, alpha: -2, x: x, y: &y2)
        #expect(Self.maxRelativeError(y1, y2) < axpyTolerance, "\(S.self) axpy")
        let d1 = BLAS.dot(count: 1001, x: x, y: y1)
        let d2 = BLASReference.dot(count: 1001, x: x, y: y1)
        #expect(abs(Double(d1) - Double(d2)) < dotTolerance * max(1, abs(Double(d2))), "\(S.self) dot \(d1) vs \(d2)")
    }

    @Test func axpyAndDotFloat() { checkAxpyAndDot(Float.self, axpyTolerance: 1e-6, dotTolerance: 1e-4) }
    @Test func axpyAndDotDouble() { checkAxpyAndDot(Double.self, axpyTolerance: 1e-15, dotTolerance: 1e-12) }

    @Test func runtimeSelectsAFastCoreWhenTheCPUAllowsIt() {
        let status = BLASRuntime.status
        #expect(!status.activeCore.isEmpty)
        if let best = CPUInfo.current.bestOpenBLASCore, status.runtimeDispatchAvailable,
           ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
           ProcessInfo.processInfo.environment["ZOLAB_BLAS_CORE"] == nil {
            #expect(BLASRuntime.adequateCores(for: best).contains(status.activeCore.lowercased()),
                    "active \(status.activeCore), CPU supports \(best)")
        }
    }
}

@Suite("BLAS core selection")
struct BLASCoreSelectionTests {
    /// `/proc/cpuinfo` flag sets: an AVX-512 Xeon (Sapphire Rapids subset), an AVX2 desktop,
    /// an SSE-only machine.
    static let avx512: Set<String> = ["sse2", "pni", "ssse3", "sse4_1", "sse4_2", "avx", "avx2", "fma",
                                      "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd", "avx512_bf16"]
    static let avx2: Set<String> = ["sse2", "pni", "ssse3", "sse4_1", "sse4_2", "avx", "avx2", "fma"]
    static let sseOnly: Set<String> = ["sse2", "pni", "ssse3"]

    static func decide(_ detected: String, _ flags: Set<String>, env: [String: String] = [:],
                       dispatch: Bool = true) -> BLASRuntime.Decision {
        BLASRuntime.decide(detected: detected, environment: env, cpuFlags: flags, runtimeDispatchAvailable: dispatch)
    }

    @Test func prescottDetectedOnAnAVX512CPUSwitchesToSkylakeX() {
        #expect(Self.decide("Prescott", Self.avx512).target == "SkylakeX")
    }

    @Test func prescottDetectedOnAnAVX2CPUSwitchesToHaswell() {
        #expect(Self.decide("Prescott", Self.avx2).target == "Haswell")
        #expect(Self.decide("Sandybridge", Self.avx2).target == "Haswell")
    }

    @Test func adequateDetectedCoresAreKept() {
        for core in ["SkylakeX", "Cooperlake", "SapphireRapids"] {
            #expect(Self.decide(core, Self.avx512) == .keep("kept (matches the CPU)"), "\(core)")
        }
        #expect(Self.decide("Zen", Self.avx2).target == nil)
        #expect(Self.decide("Haswell", Self.avx2).target == nil)
        // A weaker detection on an AVX-512 CPU is upgraded.
        #expect(Self.decide("Haswell", Self.avx512).target == "SkylakeX")
        #expect(Self.decide("Prescott", Self.sseOnly) == .keep("kept (no AVX2/AVX-512 core applies)"))
    }

    @Test func environmentOverridesTheRule() {
        #expect(Self.decide("Prescott", Self.avx512, env: ["OPENBLAS_CORETYPE": "Prescott"])
                == .keep("OPENBLAS_CORETYPE=Prescott set by the user"))
        #expect(Self.decide("Prescott", Self.avx512, env: ["ZOLAB_BLAS_CORE": "keep"]).target == nil)
        #expect(Self.decide("Cooperlake", Self.avx512, env: ["ZOLAB_BLAS_CORE": "Haswell"]).target == "Haswell")
        #expect(Self.decide("Haswell", Self.avx512, env: ["ZOLAB_BLAS_CORE": "haswell"]).target == nil)
        #expect(Self.decide("Prescott", Self.avx512, env: ["OPENBLAS_CORETYPE": ""]).target == "SkylakeX")
        // A forced core the CPU cannot run, or one ZOLab does not know, is refused (kept), not crashed on.
        let tooNew = Self.decide("Haswell", Self.avx2, env: ["ZOLAB_BLAS_CORE": "SkylakeX"])
        #expect(tooNew.target == nil && tooNew.reason.contains("avx512f"), "\(tooNew)")
        #expect(Self.decide("Haswell", Self.avx2, env: ["ZOLAB_BLAS_CORE": "Frobnicator"]).target == nil)
        #expect(Self.decide("Haswell", Self.avx512, env: ["ZOLAB_BLAS_CORE": "skylakex"]).target == "SkylakeX")
    }

    @Test func withoutRuntimeDispatchTheDecisionNamesTheCoreToSet() {
        let d = Self.decide("Prescott", Self.avx512, dispatch: false)
        #expect(d.target == nil && d.reason.contains("OPENBLAS_CORETYPE=SkylakeX"))
    }

    @Test func coreRequirementsFollowTheFlags() {
        let cpu = CPUInfo(modelName: "test", flags: Self.avx2, logicalCores: 2)
        #expect(cpu.canRun(openBLASCore: "Prescott") && cpu.canRun(openBLASCore: "haswell"))
        #expect(!cpu.canRun(openBLASCore: "SkylakeX"))
        #expect(cpu.missingFlags(forOpenBLASCore: "SkylakeX")?.contains("avx512f") == true)
        #expect(cpu.missingFlags(forOpenBLASCore: "Frobnicator") == nil)
        #expect(CPUInfo.openBLASCoreName("skylakex") == "SkylakeX")
    }
}
