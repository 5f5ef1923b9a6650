import ZOCore

/// GELU with GPT-2's tanh approximation: gelu(x) = ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
///
/// `forward`/`backward` are the optimised kernels (Float32: SIMD `exp`-based tanh, split over
/// cores); `forwardReference`/`backwardReference` are the naive twins with libm `tanh`.
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
            Work.forChunks(count: N, minimumChunk: 1 << 14, alignment: 8) { range in
                forwardFloat(o + range.lowerBound, x + range.lowerBound, range.count)
            }
            return
        }
        forwardReference(out: out, inp: inp, count: N)
    }

    /// dinp[N] += gelu'(inp) ⊙ dout[N]. `dinp` may alias `dout` only if `accumulate` is false.
    static func backward<S: ZOScalar>(dinp: UnsafeMutablePointer<S>, inp: UnsafePointer<S>, dout: UnsafePointer<S>,
                                      count N: Int, accumulate: Bool = true) {
        if S.self == Float.self {
            let d = UnsafeMutableRawPointer(dinp).assumingMemoryBound(to: Float.self)
            let x = UnsafeRawPointer(inp).assumingMemoryBound(to: Float.self)
            let g = UnsafeRawPointer(dout).assumingMemoryBound(to: Float.self)
            Work.forChunks(count: N, minimumChunk: 1 << 14, alignment: 8) { range in
                let r = range.lowerBound
                backwardFloat(d + r, x + r, g + r, range.count, accumulate)
            }
            return
        }
        backwardReference(dinp: dinp, inp: inp, dout: dout, count: N, accumulate: accumulate)
    }

    // MARK: Float32 fast path

    @inline(__always)
    private static func tanh8(_ u: SIMD8<Float>) -> SIMD8<Float> {
        let e = VectorMath.exp8(2 * u)
        return 1 - 2 / (e + 1)
    }

    /// gelu(x) = ½x(1 + tanh u) = x·σ(2u) = x / (1 + e^{−2u}): one exp and one division.
    private static func forwardFloat(_ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, _ n: Int) {
        let s2 = Float(-2 * scale), c = Float(cubic)
        var i = 0
        while i + 8 <= n {
            let x = UnsafeRawPointer(inp + i).loadUnaligned(as: SIMD8<Float>.self)
            let e = VectorMath.exp8(s2 * (x + c * x * x * x))
            UnsafeMutableRawPointer(out + i).storeBytes(of: x / (1 + e), as: SIMD8<Float>.self)
            i += 8
        }
        if i < n {
            var x = SIMD8<Float>(repeating: 0)
            for j in i..<n { x[j - i] = inp[j] }
            let y = x / (1 + VectorMath.exp8(s2 * (x + c * x * x * x)))
            for j in i..<n { out[j] = y[j - i] }
        }
    }

    private static func backwardFloat(_ dinp: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>,
                                      _ dout: UnsafePointer<Float>, _ n: Int, _ accumulate: Bool) {
        let s = Float(scale), c = Float(cubic)
        @inline(__always) func local(_ x: SIMD8<Float>) -> SIMD8<Float> {
            let u = s * (x + c * x * x * x)
            let t = tanh8(u)
            let sech2 = 1 - t * t
            return 0.5 * (1 + t) + 0.5 * x * sech2 * s * (1 + 3 * c * x * x)
        }
        var i = 0
        while i + 8 <= n {
            let x = UnsafeRawPointer(inp + i).loadUnaligned(as: SIMD8<Float>.self)
            let g = UnsafeRawPointer(dout + i).loadUnaligned(as: SIMD8<Float>.self)
            var d = local(x) * g
            if accumulate { d += UnsafeRawPointer(dinp + i).loadUnaligned(as: SIMD8<Float>.self) }
            UnsafeMutableRawPointer(dinp + i).storeBytes(of: d, as: SIMD8<Float>.self)
            i += 8
        }
        while i < n {
            let d = local(SIMD8(repeating: inp[i]))[0] * dout[i]
            dinp[i] = accumulate ? dinp[i] + d : d
            i += 1
        }
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
