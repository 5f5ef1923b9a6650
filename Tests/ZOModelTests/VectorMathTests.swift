import Foundation
import CZOModelKernels
import Testing
@testable import ZOModel

@Suite("Vector math and GELU: fast kernels against libm")
struct VectorMathTests {
    @Test("fast exp: ≤ 4 ulp relative on [-87, 88]")
    func fastExpAccuracy() {
        var worst = 0.0
        var x: Float = -87
        while x < 88 {
            let fast = Double(VectorMath.exp(x))
            let exact = Foundation.exp(Double(x))
            let ulp = Double(Float(exact).ulp)
            worst = max(worst, abs(fast - exact) / ulp)
            x += 0.0137
        }
        #expect(worst <= 4, "worst error \(worst) ulp")
        #expect(VectorMath.exp(-Float.infinity) == 0)
        #expect(VectorMath.exp(-200) == 0)
        #expect(VectorMath.exp(0) == 1)
    }

    @Test("expShiftedSum: values and sum match libm, tails included")
    func expShiftedSum() {
        for n in [1, 7, 8, 13, 100] {
            var v = TestSupport.gaussian(Float.self, count: n, seed: UInt64(n), std: 3)
            let expected = v.map { Foundation.exp(Double($0) - 1.5) }
            let sum = v.ptr { VectorMath.expShiftedSum($0, count: n, shift: Float(1.5)) }
            #expect(TestSupport.maxRelativeError(v.map(Double.init), expected) < 1e-6)
            #expect(abs(Double(sum) - expected.reduce(0, +)) / expected.reduce(0, +) < 1e-6)
        }
    }

    @Test("GELU fast path: |fast − libm twin| ≤ 2e-7·(1 + |x|), forward and backward")
    func geluFastMatchesReference() {
        let n = 1003
        var x = TestSupport.gaussian(Float.self, count: n, seed: 3, std: 4)
        x[0] = 0; x[1] = -20; x[2] = 20; x[3] = 1e-8
        var fast = [Float](repeating: 0, count: n), ref = [Float](repeating: 0, count: n)
        fast.ptr { o in x.ptr { GELU.forward(out: o, inp: $0, count: n) } }
        ref.ptr { o in x.ptr { GELU.forwardReference(out: o, inp: $0, count: n) } }
        for i in 0..<n { #expect(abs(fast[i] - ref[i]) <= 2e-7 * (1 + abs(x[i])), "x = \(x[i])") }
        var g = TestSupport.gaussian(Float.self, count: n, seed: 4)
        var dFast = [Float](repeating: 0.5, count: n), dRef = [Float](repeating: 0.5, count: n)
        dFast.ptr { d in x.ptr { xi in g.ptr { GELU.backward(dinp: d, inp: xi, dout: $0, count: n) } } }
        dRef.ptr { d in x.ptr { xi in g.ptr { GELU.backwardReference(dinp: d, inp: xi, dout: $0, count: n) } } }
        for i in 0..<n { #expect(abs(dFast[i] - dRef[i]) <= 1e-6 * (1 + abs(g[i]) * (1 + abs(x[i]))), "x = \(x[i])") }
    }
}

@Suite("C kernels vs their Swift twins")
struct CKernelTests {
    @Test("C exp (via exp-shift-sum) is bit-identical to the Swift exp8 twin")
    func cExpMatchesSwiftTwin() {
        var x: Float = -90
        while x < 90 {
            var one: [Float] = [x]
            _ = one.ptr { VectorMath.expShiftedSum($0, count: 1, shift: Float(0)) }
            #expect(one[0].bitPattern == VectorMath.exp(x).bitPattern, "x = \(x)")
            x += 0.37
        }
    }

    @Test("LayerNorm Float32 C kernel vs the generic Swift rows, max over lanes")
    func layerNormAndMax() {
        for C in [1, 15, 16, 17, 100] {
            let N = 3
            var x = TestSupport.gaussian(Float.self, count: N * C, seed: UInt64(C), std: 2)
            var w = TestSupport.gaussian(Float.self, count: C, seed: 2), b = TestSupport.gaussian(Float.self, count: C, seed: 3)
            var o1 = [Float](repeating: 0, count: N * C), o2 = o1
            o1.ptr { o in x.ptr { xi in w.ptr { wi in b.ptr { bi in
                LayerNorm.forward(out: o, mean: nil, rstd: nil, inp: xi, weight: wi, bias: bi, rows: N, channels: C, epsilon: 1e-5)
            } } } }
            o2.ptr { o in x.ptr { xi in w.ptr { wi in b.ptr { bi in
                LayerNorm.forwardReference(out: o, mean: nil, rstd: nil, inp: xi, weight: wi, bias: bi, rows: N, channels: C, epsilon: 1e-5)
            } } } }
            #expect(TestSupport.maxRelativeError(o1, o2) < 1e-5, "C = \(C)")
            #expect(x.withUnsafeBufferPointer { VectorMath.maximum($0.baseAddress!, count: N * C) } == x.max())
        }
    }
}

@Suite("C kernels: every ISA path bit-identical", .serialized)
struct KernelISATests {
    @Test func pathsAgreeBitForBit() {
        let n = 1037, C = 77
        let x = TestSupport.gaussian(Float.self, count: n, seed: 91, std: 5)
        let g = TestSupport.gaussian(Float.self, count: n, seed: 92)
        let w = TestSupport.gaussian(Float.self, count: C, seed: 93), b = TestSupport.gaussian(Float.self, count: C, seed: 94)
        func run() -> [UInt32] {
            var out = [Float](repeating: 0, count: n), d = [Float](repeating: 0.25, count: n), e = x
            x.withUnsafeBufferPointer { xi in
                zo_gelu_forward_f32(&out, xi.baseAddress!, Int64(n))
                g.withUnsafeBufferPointer { zo_gelu_backward_f32(&d, xi.baseAddress!, $0.baseAddress!, Int64(n), 1) }
            }
            let sum = zo_exp_shift_sum_f32(&e, Int64(n), 2)
            let mx = zo_max_f32(x, Int64(n))
            var ln = [Float](repeating: 0, count: 13 * C), mean = [Float](repeating: 0, count: 13), rstd = mean
            zo_layernorm_forward_f32(&ln, &mean, &rstd, x, w, b, 13, Int64(C), 1e-5)
            var pre = Array(x[0..<(13 * C)]), post = [Float](repeating: 0, count: 13 * C)
            zo_bias_gelu_forward_f32(&pre, &post, w, 13, Int64(C))
            return (out + d + e + [sum, mx] + ln + mean + rstd + pre + post).map(\.bitPattern)
        }
        var results: [String: [UInt32]] = [:]
        for level: Int32 in [0, 1, 2] {
            zo_model_kernels_force_isa(level)
            results[String(cString: zo_model_kernels_isa())] = run()
        }
        zo_model_kernels_force_isa(-1)
        #expect(results["baseline"] != nil)
        // bias + GELU equals GELU of (x + b) through the libm twin
        var pre = Array(x[0..<(3 * C)]), post = [Float](repeating: 0, count: 3 * C), ref = post
        zo_bias_gelu_forward_f32(&pre, &post, w, 3, Int64(C))
        let shifted = (0..<(3 * C)).map { x[$0] + w[$0 % C] }
        #expect(pre == shifted)
        shifted.withUnsafeBufferPointer { s in ref.withUnsafeMutableBufferPointer { GELU.forwardReference(out: $0.baseAddress!, inp: s.baseAddress!, count: 3 * C) } }
        for i in 0..<(3 * C) { #expect(abs(post[i] - ref[i]) <= 2e-7 * (1 + abs(shifted[i]))) }
        for (isa, r) in results { #expect(r == results["baseline"]!, "\(isa) differs from baseline") }
    }
}
