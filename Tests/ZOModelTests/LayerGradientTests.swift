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

    @Test("fused c_fc bias + GELU (GELU.biasForward): pre += b in place, out = gelu(pre); separate and in-place output",
          arguments: [false, true])
    func biasGELU(inPlace: Bool) {
        let rows = 3, cols = 7
        let pre0 = TestSupport.gaussian(Double.self, count: rows * cols, seed: 71, std: 2)
        let b0 = TestSupport.gaussian(Double.self, count: cols, seed: 72)
        var dout = TestSupport.gaussian(Double.self, count: rows * cols, seed: 73)
        /// (pre after the call, out).
        func run(_ pre: [Double], _ b: [Double]) -> ([Double], [Double]) {
            var pre = pre, b = b, out = [Double](repeating: 0, count: rows * cols)
            if inPlace {
                pre.ptr { p in b.ptr { GELU.biasForward(pre: p, out: p, bias: $0, rows: rows, cols: cols) } }
                return (pre, pre)
            }
            out.ptr { o in pre.ptr { p in b.ptr { GELU.biasForward(pre: p, out: o, bias: $0, rows: rows, cols: cols) } } }
            return (pre, out)
        }
        func f(_ pre: [Double], _ b: [Double]) -> Double { zip(run(pre, b).1, dout).map(*).reduce(0, +) }
        var biased = (0..<(rows * cols)).map { pre0[$0] + b0[$0 % cols] }
        let (preAfter, out) = run(pre0, b0)
        if !inPlace { #expect(preAfter == biased) }          // the training pass keeps pre + b for backward
        var expected = [Double](repeating: 0, count: rows * cols)
        expected.ptr { o in biased.ptr { GELU.forwardReference(out: o, inp: $0, count: rows * cols) } }
        #expect(out == expected)
        // The model's backward of this path: dpre = gelu'(pre + b)·dout; db = Σ_rows dpre (Matmul's dbias).
        var dpre = [Double](repeating: 0, count: rows * cols)
        dpre.ptr { d in biased.ptr { x in dout.ptr { GELU.backward(dinp: d, inp: x, dout: $0, count: rows * cols, accumulate: false) } } }
        let db = (0..<cols).map { j in (0..<rows).map { dpre[$0 * cols + j] }.reduce(0, +) }
        #expect(TestSupport.gradientMismatch(TestSupport.numericGradient(pre0) { f($0, b0) }, dpre) < Self.tolerance)
        #expect(TestSupport.gradientMismatch(TestSupport.numericGradient(b0) { f(pre0, $0) }, db) < Self.tolerance)

        // The Float32 path the model runs (C kernel) computes the same function: pre + b exactly
        // as Float32 adds, gelu within 3e-7·(1 + |x|) of the Float64 definition at that x.
        let n = 5 * 40
        var pre32 = TestSupport.gaussian(Float.self, count: n, seed: 74, std: 3)
        var b32 = TestSupport.gaussian(Float.self, count: 40, seed: 75)
        let sum32 = (0..<n).map { pre32[$0] + b32[$0 % 40] }
        var out32 = [Float](repeating: 0, count: n)
        if inPlace {
            pre32.ptr { p in b32.ptr { GELU.biasForward(pre: p, out: p, bias: $0, rows: 5, cols: 40) } }
            out32 = pre32
        } else {
            out32.ptr { o in pre32.ptr { p in b32.ptr { GELU.biasForward(pre: p, out: o, bias: $0, rows: 5, cols: 40) } } }
            #expect(pre32 == sum32)
        }
        for (x, y) in zip(sum32, out32) {
            let d = Double(x), exact = 0.5 * d * (1 + tanh(GELU.scale * (d + GELU.cubic * d * d * d)))
            #expect(abs(Double(y) - exact) <= 3e-7 * (1 + abs(d)), "gelu(\(x)) = \(y), exact \(exact)")
        }
    }

    @Test("LoRA adapter y += s·(x·A)·B on a strided output view; accumulating gradients")
    func lora() {
        let N = 3, C = 5, r = 2, OC = 4, ld = 11, column = 3, s = 1.7     // y: columns 3..<7 of rows with stride 11
        let x0 = TestSupport.gaussian(Double.self, count: N * C, seed: 61)
        let a0 = TestSupport.gaussian(Double.self, count: C * r, seed: 62)
        let b0 = TestSupport.gaussian(Double.self, count: r * OC, seed: 63)
        let y0 = TestSupport.gaussian(Double.self, count: N * ld, seed: 64)
        var dout = TestSupport.gaussian(Double.self, count: N * ld, seed: 65)   // nonzero outside the view too: must be ignored
        func run(_ x: [Double], _ a: [Double], _ b: [Double], xa: inout [Double]) -> [Double] {
            var x = x, a = a, b = b, y = y0
            y.ptr { yp in xa.ptr { xap in x.ptr { xp in a.ptr { ap in b.ptr { bp in
                LoRA.forward(out: yp + column, ldOut: ld, lowRank: xap, inp: xp, a: ap, b: bp, scale: s,
                             rows: N, inChannels: C, rank: r, outChannels: OC)
            } } } } }
            return y
        }
        func f(_ x: [Double], _ a: [Double], _ b: [Double]) -> Double {
            var xa = [Double](repeating: 0, count: N * r)
            return zip(run(x, a, b, xa: &xa), dout).map(*).reduce(0, +)
        }
        var xa = [Double](repeating: 0, count: N * r)
        let y = run(x0, a0, b0, xa: &xa)
        for i in 0..<(N * ld) where !(column..<(column + OC)).contains(i % ld) { #expect(y[i] == y0[i]) }   // outside the view: untouched
        // Gradients accumulate (+=) onto what the buffers held.
        let dx0 = TestSupport.gaussian(Double.self, count: N * C, seed: 66)
        let da0 = TestSupport.gaussian(Double.self, count: C * r, seed: 67)
        let db0 = TestSupport.gaussian(Double.self, count: r * OC, seed: 68)
        var dx = dx0, da = da0, db = db0, scratch = [Double](repeating: 0, count: N * r)
        var x = x0, a = a0, b = b0
        dx.ptr { dxp in da.ptr { dap in db.ptr { dbp in dout.ptr { g in x.ptr { xp in xa.ptr { xap in a.ptr { ap in b.ptr { bp in
            scratch.ptr { sp in
                LoRA.backward(dinp: dxp, da: dap, db: dbp, dout: g + column, ldDout: ld, inp: xp, lowRank: xap, a: ap, b: bp,
                              scale: s, scratch: sp, rows: N, inChannels: C, rank: r, outChannels: OC)
            }
        } } } } } } } }
        #expect(TestSupport.gradientMismatch(TestSupport.numericGradient(x0) { f($0, a0, b0) }, zip(dx, dx0).map(-)) < Self.tolerance)
        #expect(TestSupport.gradientMismatch(TestSupport.numericGradient(a0) { f(x0, $0, b0) }, zip(da, da0).map(-)) < Self.tolerance)
        #expect(TestSupport.gradientMismatch(TestSupport.numericGradient(b0) { f(x0, a0, $0) }, zip(db, db0).map(-)) < Self.tolerance)
        // Without dA/dB (nothing formed) dx is the same.
        var dxOnly = dx0
        dxOnly.ptr { dxp in dout.ptr { g in x.ptr { xp in xa.ptr { xap in a.ptr { ap in b.ptr { bp in scratch.ptr { sp in
            LoRA.backward(dinp: dxp, da: nil, db: nil, dout: g + column, ldDout: ld, inp: xp, lowRank: xap, a: ap, b: bp,
                          scale: s, scratch: sp, rows: N, inChannels: C, rank: r, outChannels: OC)
        } } } } } } }
        #expect(dxOnly == dx)
    }
}
