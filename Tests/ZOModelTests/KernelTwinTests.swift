import Foundation
import Testing
import ZOCore
@testable import ZOModel

/// Each optimised kernel against its naive twin, in Float32, on shapes that exercise the
/// optimisations (causal row blocks: T = 70 > ``Attention/rowBlock``; LM-head chunks: R < N;
/// threads: enough rows to split). Tolerances are relative to the largest magnitude.
@Suite("Optimised kernels vs naive twins (Float32)")
struct KernelTwinTests {
    @Test("attention forward/backward: sgemm + causal blocks vs loops", arguments: [0, 3])
    func attention(prefix P: Int) {
        let d = Attention.Shape(B: 2, T: 70, C: 8, NH: 2, P: P)
        var qkv = TestSupport.gaussian(Float.self, count: d.B * d.T * 3 * d.C, seed: 21)
        var pk = TestSupport.gaussian(Float.self, count: max(P, 1) * d.C, seed: 22)
        var pv = TestSupport.gaussian(Float.self, count: max(P, 1) * d.C, seed: 23)
        var dout = TestSupport.gaussian(Float.self, count: d.B * d.T * d.C, seed: 24)
        let attCount = d.B * d.NH * d.T * d.Tk
        var out1 = [Float](repeating: 0, count: d.B * d.T * d.C), out2 = out1
        var att1 = [Float](repeating: .nan, count: attCount), att2 = [Float](repeating: 0, count: attCount)
        out1.ptr { o in att1.ptr { a in qkv.ptr { q in pk.ptr { k in pv.ptr { v in
            Attention.forward(out: o, att: a, attStride: d.NH * d.T * d.Tk, qkv: q, prefixKey: P > 0 ? k : nil,
                              prefixValue: P > 0 ? v : nil, shape: d)
        } } } } }
        out2.ptr { o in att2.ptr { a in qkv.ptr { q in pk.ptr { k in pv.ptr { v in
            Attention.forwardReference(out: o, att: a, qkv: q, prefixKey: P > 0 ? k : nil, prefixValue: P > 0 ? v : nil, shape: d)
        } } } } }
        #expect(TestSupport.maxRelativeError(out1, out2) < 1e-5)
        #expect(TestSupport.maxRelativeError(att1, att2) < 1e-5)      // masked slots are exactly 0 in both (no NaN left)
        var dq1 = [Float](repeating: 0, count: qkv.count), dq2 = dq1
        var dk1 = [Float](repeating: 0, count: pk.count), dk2 = dk1, dv1 = dk1, dv2 = dk1
        var scratch = [Float](repeating: 0, count: d.T * d.Tk)
        dq1.ptr { dq in dk1.ptr { dk in dv1.ptr { dv in scratch.ptr { s in dout.ptr { g in qkv.ptr { q in att1.ptr { a in
            pk.ptr { k in pv.ptr { v in
                Attention.backward(dqkv: dq, dprefixKey: P > 0 ? dk : nil, dprefixValue: P > 0 ? dv : nil, scratch: s, dout: g,
                                   qkv: q, att: a, prefixKey: P > 0 ? k : nil, prefixValue: P > 0 ? v : nil, shape: d)
            } }
        } } } } } } }
        dq2.ptr { dq in dk2.ptr { dk in dv2.ptr { dv in dout.ptr { g in qkv.ptr { q in att2.ptr { a in pk.ptr { k in pv.ptr { v in
            Attention.backwardReference(dqkv: dq, dprefixKey: P > 0 ? dk : nil, dprefixValue: P > 0 ? dv : nil, dout: g,
                                        qkv: q, att: a, prefixKey: P > 0 ? k : nil, prefixValue: P > 0 ? v : nil, shape: d)
        } } } } } } } }
        #expect(TestSupport.maxRelativeError(dq1, dq2) < 1e-5)
        if P > 0 {
            #expect(TestSupport.maxRelativeError(dk1, dk2) < 1e-5)
            #expect(TestSupport.maxRelativeError(dv1, dv2) < 1e-5)
        }
    }

    @Test("LayerNorm: parallel rows/channels vs sequential twin")
    func layerNorm() {
        let N = 300, C = 48
        var x = TestSupport.gaussian(Float.self, count: N * C, seed: 31, std: 3)
        var w = TestSupport.gaussian(Float.self, count: C, seed: 32)
        var b = TestSupport.gaussian(Float.self, count: C, seed: 33)
        var g = TestSupport.gaussian(Float.self, count: N * C, seed: 34)
        var o1 = [Float](repeating: 0, count: N * C), o2 = o1, m1 = [Float](repeating: 0, count: N), m2 = m1, r1 = m1, r2 = m1
        o1.ptr { o in m1.ptr { m in r1.ptr { r in x.ptr { xi in w.ptr { wi in b.ptr { bi in
            LayerNorm.forward(out: o, mean: m, rstd: r, inp: xi, weight: wi, bias: bi, rows: N, channels: C, epsilon: 1e-5)
        } } } } } }
        o2.ptr { o in m2.ptr { m in r2.ptr { r in x.ptr { xi in w.ptr { wi in b.ptr { bi in
            LayerNorm.forwardReference(out: o, mean: m, rstd: r, inp: xi, weight: wi, bias: bi, rows: N, channels: C, epsilon: 1e-5)
        } } } } } }
        #expect(TestSupport.maxRelativeError(o1, o2) < 1e-5)
        var dx1 = [Float](repeating: 0, count: N * C), dx2 = dx1, dw1 = [Float](repeating: 0, count: C), dw2 = dw1, db1 = dw1, db2 = dw1
        dx1.ptr { dx in dw1.ptr { dw in db1.ptr { db in g.ptr { gi in x.ptr { xi in w.ptr { wi in m1.ptr { m in r1.ptr { r in
            LayerNorm.backward(dinp: dx, dweight: dw, dbias: db, dout: gi, inp: xi, weight: wi, mean: m, rstd: r, rows: N, channels: C)
        } } } } } } } }
        dx2.ptr { dx in dw2.ptr { dw in db2.ptr { db in g.ptr { gi in x.ptr { xi in w.ptr { wi in m1.ptr { m in r1.ptr { r in
            LayerNorm.backwardReference(dinp: dx, dweight: dw, dbias: db, dout: gi, inp: xi, weight: wi, mean: m, rstd: r, rows: N, channels: C)
        } } } } } } } }
        #expect(TestSupport.maxRelativeError(dx1, dx2) < 1e-5)
        #expect(TestSupport.maxRelativeError(dw1, dw2) < 1e-5)
        #expect(TestSupport.maxRelativeError(db1, db2) < 1e-5)
    }

    @Test("LM-head loss: row chunks + vector exp vs full logits + libm")
    func crossEntropyHead() {
        let N = 37, C = 16, V = 300, R = 8
        var x = TestSupport.gaussian(Float.self, count: N * C, seed: 41)
        var wte = TestSupport.gaussian(Float.self, count: V * C, seed: 42)
        var targets = (0..<N).map { Int32(($0 * 37) % V) }
        targets[5] = -1
        var rw = (0..<N).map { Float($0 % 3) / 7 }
        var n1 = [Float](repeating: 0, count: N), n2 = n1, l1 = n1, l2 = n1, scratch = [Float](repeating: 0, count: R * V)
        n1.ptr { n in l1.ptr { l in x.ptr { xi in wte.ptr { w in targets.ptr { t in scratch.ptr { s in
            CrossEntropyHead.forward(nll: n, lse: l, inp: xi, wte: w, targets: t, rows: N, channels: C, vocabulary: V, scratch: s, chunkRows: R)
        } } } } } }
        n2.ptr { n in l2.ptr { l in x.ptr { xi in wte.ptr { w in targets.ptr { t in
            CrossEntropyHead.forwardReference(nll: n, lse: l, inp: xi, wte: w, targets: t, rows: N, channels: C, vocabulary: V)
        } } } } }
        #expect(TestSupport.maxRelativeError(n1, n2) < 1e-5)
        #expect(TestSupport.maxRelativeError(l1, l2) < 1e-5)
        var dx1 = [Float](repeating: 0, count: N * C), dx2 = dx1, dw1 = [Float](repeating: 0, count: V * C), dw2 = dw1
        dx1.ptr { dx in dw1.ptr { dw in x.ptr { xi in wte.ptr { w in targets.ptr { t in rw.ptr { r in l1.ptr { l in scratch.ptr { s in
            CrossEntropyHead.backward(dinp: dx, dwte: dw, inp: xi, wte: w, targets: t, rowWeights: r, lse: l, rows: N, channels: C,
                                      vocabulary: V, scratch: s, chunkRows: R)
        } } } } } } } }
        dx2.ptr { dx in dw2.ptr { dw in x.ptr { xi in wte.ptr { w in targets.ptr { t in rw.ptr { r in
            CrossEntropyHead.backwardReference(dinp: dx, dwte: dw, inp: xi, wte: w, targets: t, rowWeights: r, rows: N, channels: C, vocabulary: V)
        } } } } } }
        #expect(TestSupport.maxRelativeError(dx1, dx2) < 1e-5)
        #expect(TestSupport.maxRelativeError(dw1, dw2) < 1e-5)
    }

    @Test("matmul: OpenBLAS vs naive gemm, with bias, accumulation and strided output")
    func matmul() {
        let N = 33, C = 20, OC = 12, ld = 30
        var x = TestSupport.gaussian(Float.self, count: N * C, seed: 51)
        var w = TestSupport.gaussian(Float.self, count: C * OC, seed: 52)
        var b = TestSupport.gaussian(Float.self, count: OC, seed: 53)
        var o1 = TestSupport.gaussian(Float.self, count: N * ld, seed: 54), o2 = o1
        o1.ptr { o in x.ptr { xi in w.ptr { wi in b.ptr { bi in
            Matmul.forward(out: o, inp: xi, weight: wi, bias: bi, rows: N, inChannels: C, outChannels: OC, accumulate: true, ldOut: ld)
        } } } }
        o2.ptr { o in x.ptr { xi in w.ptr { wi in b.ptr { bi in
            Matmul.forward(out: o, inp: xi, weight: wi, bias: bi, rows: N, inChannels: C, outChannels: OC, accumulate: true, ldOut: ld,
                           reference: true)
        } } } }
        #expect(TestSupport.maxRelativeError(o1, o2) < 1e-5)
        var g = TestSupport.gaussian(Float.self, count: N * OC, seed: 55)
        var dx1 = [Float](repeating: 0, count: N * C), dx2 = dx1, dw1 = [Float](repeating: 0, count: C * OC), dw2 = dw1
        var db1 = [Float](repeating: 0, count: OC), db2 = db1
        for reference in [false, true] {
            reference ? dx2.ptr { dx in dw2.ptr { dw in db2.ptr { db in g.ptr { gi in x.ptr { xi in w.ptr { wi in
                Matmul.backward(dinp: dx, dweight: dw, dbias: db, dout: gi, inp: xi, weight: wi, rows: N, inChannels: C, outChannels: OC, reference: true)
            } } } } } }
            : dx1.ptr { dx in dw1.ptr { dw in db1.ptr { db in g.ptr { gi in x.ptr { xi in w.ptr { wi in
                Matmul.backward(dinp: dx, dweight: dw, dbias: db, dout: gi, inp: xi, weight: wi, rows: N, inChannels: C, outChannels: OC)
            } } } } } }
        }
        #expect(TestSupport.maxRelativeError(dx1, dx2) < 1e-5)
        #expect(TestSupport.maxRelativeError(dw1, dw2) < 1e-5)
        #expect(TestSupport.maxRelativeError(db1, db2) < 1e-5)
    }
}

@Suite("Kernel claims: GPT-2 vocabulary, thread-count independence", .serialized)
struct KernelClaimTests {
    @Test("LM-head NLL at V = 50257: the chunked Float32 path is within 2e-6·(1 + nll) of a Float64 evaluation")
    func gpt2Vocabulary() {
        let N = 3, C = 8, V = 50257, R = 2
        var x = TestSupport.gaussian(Float.self, count: N * C, seed: 61, std: 2)
        var wte = TestSupport.gaussian(Float.self, count: V * C, seed: 62)
        var targets: [Int32] = [0, 50256, 12345]
        var n1 = [Float](repeating: 0, count: N), scratch = [Float](repeating: 0, count: R * V)
        n1.ptr { n in x.ptr { xi in wte.ptr { w in targets.ptr { t in scratch.ptr { s in
            CrossEntropyHead.forward(nll: n, lse: nil, inp: xi, wte: w, targets: t, rows: N, channels: C, vocabulary: V, scratch: s, chunkRows: R)
        } } } } }
        // Float64 evaluation of the same Float32 inputs (the naive twin in Float64).
        var xd = x.map(Double.init), wd = wte.map(Double.init), nd = [Double](repeating: 0, count: N)
        nd.ptr { n in xd.ptr { xi in wd.ptr { w in targets.ptr { t in
            CrossEntropyHead.forwardReference(nll: n, lse: nil, inp: xi, wte: w, targets: t, rows: N, channels: C, vocabulary: V)
        } } } }
        for i in 0..<N { #expect(abs(Double(n1[i]) - nd[i]) <= 2e-6 * (1 + nd[i]), "row \(i): \(n1[i]) vs \(nd[i])") }
    }

    @Test("LayerNorm, GELU and the LM head give bit-identical results serially and split over cores")
    func threadCountIndependence() {
        let N = 512, C = 64, V = 100
        var x = TestSupport.gaussian(Float.self, count: N * C, seed: 71)
        var w = TestSupport.gaussian(Float.self, count: C, seed: 72), b = TestSupport.gaussian(Float.self, count: C, seed: 73)
        var g = TestSupport.gaussian(Float.self, count: N * C, seed: 74)
        var wte = TestSupport.gaussian(Float.self, count: V * C, seed: 75)
        var targets = (0..<N).map { Int32($0 % V) }
        func run() -> [UInt32] {
            var out = [Float](repeating: 0, count: N * C), mean = [Float](repeating: 0, count: N), rstd = mean
            out.ptr { o in mean.ptr { m in rstd.ptr { r in x.ptr { xi in w.ptr { wi in b.ptr { bi in
                LayerNorm.forward(out: o, mean: m, rstd: r, inp: xi, weight: wi, bias: bi, rows: N, channels: C, epsilon: 1e-5)
            } } } } } }
            var dx = [Float](repeating: 0, count: N * C), dw = [Float](repeating: 0, count: C), db = dw
            dx.ptr { d in dw.ptr { dwp in db.ptr { dbp in g.ptr { gi in x.ptr { xi in w.ptr { wi in mean.ptr { m in rstd.ptr { r in
                LayerNorm.backward(dinp: d, dweight: dwp, dbias: dbp, dout: gi, inp: xi, weight: wi, mean: m, rstd: r, rows: N, channels: C)
            } } } } } } } }
            var gelu = [Float](repeating: 0, count: N * C)
            gelu.ptr { o in x.ptr { GELU.forward(out: o, inp: $0, count: N * C) } }
            var nll = [Float](repeating: 0, count: N), scratch = [Float](repeating: 0, count: 64 * V)
            nll.ptr { n in out.ptr { xi in wte.ptr { e in targets.ptr { t in scratch.ptr { s in
                CrossEntropyHead.forward(nll: n, lse: nil, inp: xi, wte: e, targets: t, rows: N, channels: C, vocabulary: V, scratch: s, chunkRows: 64)
            } } } } }
            return (out + mean + rstd + dx + dw + db + gelu + nll).map(\.bitPattern)
        }
        // One thread: every kernel serial on this thread (no process-wide setting changes, so
        // concurrently running tests are unaffected); then split over Parallel.threadCount.
        let one = Work.serially { run() }
        let many = run()
        #expect(one == many)
    }
}
