import CZOModelKernels
import ZOCore

/// GELU with GPT-2's tanh approximation: gelu(x) = ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
///
/// `forward`/`backward` are the optimised kernels (Float32: the C kernels of CZOModelKernels —
/// polynomial `exp`, AVX-512/AVX2/baseline chosen at load — split over cores);
/// `forwardReference`/`backwardReference` are the naive twins with libm `tanh` (Float64 too).
/// Float32 accuracy of the fast path: the forward is x/(1 + e^{−2u}) (= ½x(1 + tanh u)), the
/// backward uses tanh(u) = 1 − 2/(e^{2u} + 1) (absolute error ≲ 3e-7); |gelu − gelu_ref| ≲
/// 2e-7·(1 + |x|) (tested). For x ≪ 0 the exp saturates to +∞ and the result is −0, as the
/// twin's ½x(1 − 1) rounds to.
enum GELU {
    static let scale: Double = (2.0 / Double.pi).squareRoot()
    static let cubic: Double = 0.044715

    /// out[N] = gelu(inp[N]). `out` may alias `inp`.
    static func forward<S: ZOScalar>(out: UnsafeMutablePointer<S>, inp: UnsafePointer<S>, count N: Int) {
        if S.self == Float.self {
            let o = UnsafeMutableRawPointer(out).assumingMemoryBound(to: Float.self)
            let x = UnsafeRawPointer(inp).assumingMemoryBound(to: Float.self)
            Work.forChunks(count: N, minimumChunk: 1 << 14, alignment: 16) { range in
                zo_gelu_forward_f32(o + range.lowerBound, x + range.lowerBound, Int64(range.count))
            }
            return
        }
        forwardReference(out: out, inp: inp, count: N)
    }

    /// pre[rows,cols] += bias (row-wise), then out = gelu(pre): the c_fc bias fused with the
    /// activation. `out` may alias `pre` (inference: GELU in place).
    static func biasForward<S: ZOScalar>(pre: UnsafeMutablePointer<S>, out: UnsafeMutablePointer<S>, bias: UnsafePointer<S>,
                                         rows: Int, cols: Int) {
        if S.self == Float.self {
            let p = UnsafeMutableRawPointer(pre).assumingMemoryBound(to: Float.self)
            let o = UnsafeMutableRawPointer(out).assumingMemoryBound(to: Float.self)
            let b = UnsafeRawPointer(bias).assumingMemoryBound(to: Float.self)
            Work.forChunks(count: rows, minimumChunk: max(1, (1 << 14) / max(cols, 1))) { range in
                zo_bias_gelu_forward_f32(p + range.lowerBound * cols, o + range.lowerBound * cols, b,
                                         Int64(range.count), Int64(cols))
            }
            return
        }
        for r in 0..<rows { for i in 0..<cols { pre[r * cols + i] += bias[i] } }
        forwardReference(out: out, inp: pre, count: rows * cols)
    }

    /// dinp[N] += gelu'(inp) ⊙ dout[N]. `dinp` may alias `dout` only if `accumulate` is false.
    static func backward<S: ZOScalar>(dinp: UnsafeMutablePointer<S>, inp: UnsafePointer<S>, dout: UnsafePointer<S>,
                                      count N: Int, accumulate: Bool = true) {
        if S.self == Float.self {
            let d = UnsafeMutableRawPointer(dinp).assumingMemoryBound(to: Float.self)
            let x = UnsafeRawPointer(inp).assumingMemoryBound(to: Float.self)
            let g = UnsafeRawPointer(dout).assumingMemoryBound(to: Float.self)
            Work.forChunks(count: N, minimumChunk: 1 << 14, alignment: 16) { range in
                let r = range.lowerBound
                zo_gelu_backward_f32(d + r, x + r, g + r, Int64(range.count), accumulate ? 1 : 0)
            }
            return
        }
        backwardReference(dinp: dinp, inp: inp, dout: dout, count: N, accumulate: accumulate)
    }

    // MARK: Naive twins (libm tanh; the definition)

    static func forwardReference<S: ZOScalar>(out: UnsafeMutablePointer<S>, inp: UnsafePointer<S>, count N: Int) {
        let s = S(scale), c = S(cubic)
        for i in 0..<N {
            let x = inp[i]
            out[i] = S(0.5) * x * (1 + S.tanh(s * (x + c * x * x * x)))
        }
    }

    static func backwardReference<S: ZOScalar>(dinp: UnsafeMutablePointer<S>, inp: UnsafePointer<S>, dout: UnsafePointer<S>,
                                               count N: Int, accumulate: Bool = true) {
        let s = S(scale), c = S(cubic)
        for i in 0..<N {
            let x = inp[i]
            let t = S.tanh(s * (x + c * x * x * x))
            let local = S(0.5) * (1 + t) + S(0.5) * x * (1 - t * t) * s * (1 + 3 * c * x * x)
            dinp[i] = (accumulate ? dinp[i] : 0) + local * dout[i]
        }
    }
}
