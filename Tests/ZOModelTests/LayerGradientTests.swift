import Foundation
import Testing
@testable import ZOModel

/// Every layer's backward against central finite differences, in Float64 (the kernels are
/// generic; Float64 makes the check tight: step 1e-6, truncation and rounding errors ≈ 1e-9
/// relative). Tolerance: |numeric − analytic| ≤ 1e-6·(|numeric| + |analytic|) + tiny.
@Suite("Layer backward vs finite differences (Float64)")
struct LayerGradientTests {
    static let tolerance = 1e-6

    @Test func layerNorm() {
        let N = 3, C = 5
        let x0 = TestSupport.gaussian(Double.self, count: N * C, seed: 1)
        let w0 = TestSupport.gaussian(Double.self, count: C, seed: 2).map { 1 + 0.3 * $0 }
        let b0 = TestSupport.gaussian(Double.self, count: C, seed: 3)
        var dout = TestSupport.gaussian(Double.self, count: N * C, seed: 4)
        func f(_ x: [Double], _ w: [Double], _ b: [Double]) -> Double {
            var x = x, w = w, b = b, out = [Double](repeating: 0, count: N * C)
            out.ptr { o in x.ptr { xi in w.ptr { wi in b.ptr { bi in
                LayerNorm.forward(out: o, mean: nil, rstd: nil, inp: xi, weight: wi, bias: bi, rows: N, channels: C, epsilon: 1e-5)
            } } } }
            return zip(out, dout).map(*).reduce(0, +)
        }
        var x = x0, w = w0, b = b0
        var out = [Double](repeating: 0, count: N * C), mean = [Double](repeating: 0, count: N), rstd = mean
        out.ptr { o in mean.ptr { m in rstd.ptr { r in x.ptr { xi in w.ptr { wi in b.ptr { bi in
            LayerNorm.forward(out: o, mean: m, rstd: r, inp: xi, weight: wi, bias: bi, rows: N, channels: C, epsilon: 1e-5)
        } } } } } }
        var dx = [Double](repeating: 0, count: N * C), dw = [Double](repeating: 0, count: C), db = dw
        dx.ptr { dxi in dw.ptr { dwi in db.ptr { dbi in dout.ptr { g in x.ptr { xi in w.ptr { wi in mean.ptr { m in rstd.ptr { r in
            LayerNorm.backward(dinp: dxi, dweight: dwi, dbias: dbi, dout: g, inp: xi, weight: wi, mean: m, rstd: r, rows: N, channels: C)
        } } } } } } } }
        #expect(TestSupport.gradientMismatch(TestSupport.numericGradient(x0) { f($0, w0, b0) }, dx) < Self.tolerance)
        #expect(TestSupport.gradientMismatch(TestSupport.numericGradient(w0) { f(x0, $0, b0) }, dw) < Self.tolerance)
        #expect(TestSupport.gradientMismatch(TestSupport.numericGradient(b0) { f(x0, w0, $0) }, db) < Self.tolerance)
    }

    @Test func gelu() {
        let n = 40
        var x0 = TestSupport.gaussian(Double.self, count: n, seed: 5, std: 2)
        var dout = TestSupport.gaussian(Double.self, count: n, seed: 6)
        func f(_ x: [Double]) -> Double {
            var x = x, out = [Double](repeating: 0, count: n)
            out.ptr { o in x.ptr { GELU.forward(out: o, inp: $0, count: n) } }
            return zip(out, dout).map(*).reduce(0, +)
        }
        var dx = [Double](repeating: 0, count: n)
        dx.ptr { d in x0.ptr { xi in dout.ptr { GELU.backward(dinp: d, inp: xi, dout: $0, count: n) } } }
        #expect(TestSupport.gradientMismatch(TestSupport.numericGradient(x0, f), dx) < Self.tolerance)
    }

    @Test func matmul() {
        let N = 3, C = 4, OC = 5
        let x0 = TestSupport.gaussian(Double.self, count: N * C, seed: 7)
        let w0 = TestSupport.gaussian(Double.self, count: C * OC, seed: 8)
        let b0 = TestSupport.gaussian(Double.self, count: OC, seed: 9)
        var dout = TestSupport.gaussian(Double.self, count: N * OC, seed: 10)
        func f(_ x: [Double], _ w: [Double], _ b: [Double]) -> Double {
            var x = x, w = w, b = b, out = [Double](repeating: 0, count: N * OC)
            out.ptr { o in x.ptr { xi in w.ptr { wi in b.ptr { bi in
                Matmul.forward(out: o, inp: xi, weight: wi, bias: bi, rows: N, inChannels: C, outChannels: OC)
            } } } }
            return zip(out, dout).map(*).reduce(0, +)
        }
        var x = x0, w = w0
        var dx = [Double](repeating: 0, count: N * C), dw = [Double](repeating: 0, count: C * OC), db = [Double](repeating: 0, count: OC)
        dx.ptr { dxi in dw.ptr { dwi in db.ptr { dbi in dout.ptr { g in x.ptr { xi in w.ptr { wi in
            Matmul.backward(dinp: dxi, dweight: dwi, dbias: dbi, dout: g, inp: xi, weight: wi, rows: N, inChannels: C, outChannels: OC)
        } } } } } }
        #expect(TestSupport.gradientMismatch(TestSupport.numericGradient(x0) { f($0, w0, b0) }, dx) < Self.tolerance)
        #expect(TestSupport.gradientMismatch(TestSupport.numericGradient(w0) { f(x0, $0, b0) }, dw) < Self.tolerance)
        #expect(TestSupport.gradientMismatch(TestSupport.numericGradient(b0) { f(x0, w0, $0) }, db) < Self.tolerance)
    }

    @Test("attention (causal softmax inside), with and without prefix", arguments: [0, 2])
    func attention(prefix P: Int) {
        let d = Attention.Shape(B: 2, T: 4, C: 6, NH: 2, P: P)
        let qkv0 = TestSupport.gaussian(Double.self, count: d.B * d.T * 3 * d.C, seed: 11)
        let pk0 = TestSupport.gaussian(Double.self, count: max(P, 1) * d.C, seed: 12)
        let pv0 = TestSupport.gaussian(Double.self, count: max(P, 1) * d.C, seed: 13)
        var dout = TestSupport.gaussian(Double.self, count: d.B * d.T * d.C, seed: 14)
        let attCount = d.B * d.NH * d.T * d.Tk
        func run(_ qkv: [Double], _ pk: [Double], _ pv: [Double], att: inout [Double]) -> [Double] {
            var qkv = qkv, pk = pk, pv = pv, out = [Double](repeating: 0, count: d.B * d.T * d.C)
            out.ptr { o in att.ptr { a in qkv.ptr { q in pk.ptr { k in pv.ptr { v in
                Attention.forward(out: o, att: a, attStride: d.NH * d.T * d.Tk, qkv: q,
                                  prefixKey: P > 0 ? k : nil, prefixValue: P > 0 ? v : nil, shape: d)
            } } } } }
            return out
        }
        func f(_ qkv: [Double], _ pk: [Double], _ pv: [Double]) -> Double {
            var att = [Double](repeating: 0, count: attCount)
            return zip(run(qkv, pk, pv, att: &att), dout).map(*).reduce(0, +)
        }
        var att = [Double](repeating: 0, count: attCount)
        _ = run(qkv0, pk0, pv0, att: &att)
        var qkv = qkv0, pk = pk0, pv = pv0
        var dqkv = [Double](repeating: 0, count: qkv0.count), dpk = [Double](repeating: 0, count: pk0.count), dpv = dpk
        var scratch = [Double](repeating: 0, count: d.T * d.Tk)
        dqkv.ptr { dq in dpk.ptr { dk in dpv.ptr { dv in scratch.ptr { s in dout.ptr { g in qkv.ptr { q in att.ptr { a in
            pk.ptr { k in pv.ptr { v in
                Attention.backward(dqkv: dq, dprefixKey: P > 0 ? dk : nil, dprefixValue: P > 0 ? dv : nil, scratch: s, dout: g,
                                   qkv: q, att: a, prefixKey: P > 0 ? k : nil, prefixValue: P > 0 ? v : nil, shape: d)
            } }
        } } } } } } }
        #expect(TestSupport.gradientMismatch(TestSupport.numericGradient(qkv0) { f($0, pk0, pv0) }, dqkv) < Self.tolerance)
        if P > 0 {
            #expect(TestSupport.gradientMismatch(TestSupport.numericGradient(pk0) { f(qkv0, $0, pv0) }, dpk) < Self.tolerance)
            #expect(TestSupport.gradientMismatch(TestSupport.numericGradient(pv0) { f(qkv0, pk0, $0) }, dpv) < Self.tolerance)
        }
        // Causality: the output at t must not depend on tokens after t.
        var perturbed = qkv0
        for i in (3 * d.C * (d.T - 1))..<(3 * d.C * d.T) { perturbed[i] += 1 }       // last token of sequence 0
        var a1 = att, a2 = att
        let o1 = run(qkv0, pk0, pv0, att: &a1), o2 = run(perturbed, pk0, pv0, att: &a2)
        #expect(Array(o1[0..<(d.C * (d.T - 1))]) == Array(o2[0..<(d.C * (d.T - 1))]))
    }

    @Test("softmax cross-entropy LM head (chunked, weighted, masked)")
    func crossEntropyHead() {
        let N = 5, C = 4, V = 7, R = 2
        let x0 = TestSupport.gaussian(Double.self, count: N * C, seed: 15)
        let wte0 = TestSupport.gaussian(Double.self, count: V * C, seed: 16)
        var targets: [Int32] = [3, -1, 0, 6, 3]
        var rowWeights: [Double] = [0.5, 0, 1.25, 0.75, 1]
        func f(_ x: [Double], _ wte: [Double]) -> Double {
            var x = x, wte = wte, nll = [Double](repeating: 0, count: N), scratch = [Double](repeating: 0, count: R * V)
            nll.ptr { n in x.ptr { xi in wte.ptr { w in targets.ptr { t in scratch.ptr { s in
                CrossEntropyHead.forward(nll: n, lse: nil, inp: xi, wte: w, targets: t, rows: N, channels: C, vocabulary: V,
                                         scratch: s, chunkRows: R)
            } } } } }
            return zip(nll, rowWeights).map(*).reduce(0, +)
        }
        var x = x0, wte = wte0
        var nll = [Double](repeating: 0, count: N), lse = nll, scratch = [Double](repeating: 0, count: R * V)
        nll.ptr { n in lse.ptr { l in x.ptr { xi in wte.ptr { w in targets.ptr { t in scratch.ptr { s in
            CrossEntropyHead.forward(nll: n, lse: l, inp: xi, wte: w, targets: t, rows: N, channels: C, vocabulary: V,
                                     scratch: s, chunkRows: R)
        } } } } } }
        #expect(nll[1] == 0)
        var dx = [Double](repeating: 0, count: N * C), dwte = [Double](repeating: 0, count: V * C)
        dx.ptr { dxi in dwte.ptr { dw in x.ptr { xi in wte.ptr { w in targets.ptr { t in rowWeights.ptr { rw in lse.ptr { l in
            scratch.ptr { s in
                CrossEntropyHead.backward(dinp: dxi, dwte: dw, inp: xi, wte: w, targets: t, rowWeights: rw, lse: l,
                                          rows: N, channels: C, vocabulary: V, scratch: s, chunkRows: R)
            }
        } } } } } } }
        #expect(TestSupport.gradientMismatch(TestSupport.numericGradient(x0) { f($0, wte0) }, dx) < Self.tolerance)
        #expect(TestSupport.gradientMismatch(TestSupport.numericGradient(wte0) { f(x0, $0) }, dwte) < Self.tolerance)
    }

    @Test("embeddings (repeated tokens accumulate)")
    func encoder() {
        let B = 2, T = 3, C = 4, V = 5
        let wte0 = TestSupport.gaussian(Double.self, count: V * C, seed: 17)
        let wpe0 = TestSupport.gaussian(Double.self, count: T * C, seed: 18)
        var tokens: [Int32] = [1, 4, 1, 1, 0, 2]
        var dout = TestSupport.gaussian(Double.self, count: B * T * C, seed: 19)
        func f(_ wte: [Double], _ wpe: [Double]) -> Double {
            var wte = wte, wpe = wpe, out = [Double](repeating: 0, count: B * T * C)
            out.ptr { o in tokens.ptr { t in wte.ptr { e in wpe.ptr { p in Encoder.forward(out: o, tokens: t, wte: e, wpe: p, B: B, T: T, C: C) } } } }
            return zip(out, dout).map(*).reduce(0, +)
        }
        var dwte = [Double](repeating: 0, count: V * C), dwpe = [Double](repeating: 0, count: T * C)
        dwte.ptr { de in dwpe.ptr { dp in dout.ptr { g in tokens.ptr { t in
            Encoder.backward(dwte: de, dwpe: dp, dout: g, tokens: t, B: B, T: T, C: C)
        } } } }
        #expect(TestSupport.gradientMismatch(TestSupport.numericGradient(wte0) { f($0, wpe0) }, dwte) < Self.tolerance)
        #expect(TestSupport.gradientMismatch(TestSupport.numericGradient(wpe0) { f(wte0, $0) }, dwpe) < Self.tolerance)
    }
}
