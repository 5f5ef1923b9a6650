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

    @Test func gemvBothOrientations() {
        let (m, n) = (41, 23)
        let a: [Double] = Self.random(m * n, seed: 6)
        for trans in [false, true] {
            let x: [Double] = Self.random(trans ? m : n, seed: 7)
            var y1: [Double] = Self.random(trans ? n : m, seed: 8)
            var y2 = y1
            BLAS.gemv(trans: trans, m: m, n: n, alpha: 1.5, a: a, x: x, beta: 0.25, y: &y1)
            BLASReference.gemv(trans: trans, m: m, n: n, alpha: 1.5, a: a, x: x, beta: 0.25, y: &y2)
            #expect(Self.maxRelativeError(y1, y2) < 1e-13)
        }
    }

    @Test func axpyAndDot() {
        let x: [Float] = Self.random(1001, seed: 9)
        var y1: [Float] = Self.random(1001, seed: 10)
        var y2 = y1
        BLAS.axpy(count: 1001, alpha: -2, x: x, y: &y1)
        BLASReference.axpy(count: 1001, alpha: -2, x: x, y: &y2)
        #expect(Self.maxRelativeError(y1, y2) < 1e-6)
        let d1 = BLAS.dot(count: 1001, x: x, y: y1)
        let d2 = BLASReference.dot(count: 1001, x: x, y: y1)
        #expect(abs(Double(d1 - d2)) < 1e-4 * max(1, abs(Double(d2))))
    }

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

import Foundation
