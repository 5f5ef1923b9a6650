import CZOModelKernels
import ZOCore

/// LayerNorm over the last axis: out = (x − μ)·rstd·w + b with rstd = 1/√(σ² + ε)
/// (σ² the biased variance, as PyTorch).
///
/// `forward`/`backward` split rows (and, for the parameter gradients, channels) over cores; the
/// Float32 forward runs the C kernel of CZOModelKernels (16-lane sums, any ISA bit-identical);
/// every output element is computed by one thread in a fixed order, so results do not depend
/// on the thread count. Mean and variance are two-pass (no E[x²] − E[x]² cancellation).
/// `forwardReference`/`backwardReference` are the sequential naive twins.
enum LayerNorm {
    /// out[N,C] = layernorm(inp[N,C]); mean[N], rstd[N] are saved for backward when non-nil.
    static func forward<S: ZOScalar>(
        out: UnsafeMutablePointer<S>, mean: UnsafeMutablePointer<S>?, rstd: UnsafeMutablePointer<S>?,
        inp: UnsafePointer<S>, weight: UnsafePointer<S>, bias: UnsafePointer<S>, rows N: Int, channels C: Int, epsilon: S
    ) {
        Work.forChunks(count: N, minimumChunk: max(1, 4096 / max(C, 1))) { range in
            if S.self == Float.self {
                let r0 = range.lowerBound
                func f(_ p: UnsafePointer<S>) -> UnsafePointer<Float> { UnsafeRawPointer(p).assumingMemoryBound(to: Float.self) }
                func m(_ p: UnsafeMutablePointer<S>) -> UnsafeMutablePointer<Float> {
                    UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
                }
                zo_layernorm_forward_f32(m(out) + r0 * C, mean.map { m($0) + r0 }, rstd.map { m($0) + r0 },
                                         f(inp) + r0 * C, f(weight), f(bias), Int64(range.count), Int64(C), Float(epsilon))
            } else {
                forwardRows(range, out: out, mean: mean, rstd: rstd, inp: inp, weight: weight, bias: bias, C: C, epsilon: epsilon)
            }
        }
    }

    @inline(__always)
    private static func forwardRows<S: ZOScalar>(
        _ rows: Range<Int>, out: UnsafeMutablePointer<S>, mean: UnsafeMutablePointer<S>?, rstd: UnsafeMutablePointer<S>?,
        inp: UnsafePointer<S>, weight: UnsafePointer<S>, bias: UnsafePointer<S>, C: Int, epsilon: S
    ) {
        for n in rows {
            let x = inp + n * C
            var sum: S = 0
            for i in 0..<C { sum += x[i] }
            let m = sum / S(C)
            var v: S = 0
            for i in 0..<C { let d = x[i] - m; v += d * d }
            let s = 1 / (v / S(C) + epsilon).squareRoot()
            let o = out + n * C
            for i in 0..<C { o[i] = (x[i] - m) * s * weight[i] + bias[i] }
            mean?[n] = m
            rstd?[n] = s
        }
    }

    /// dinp[N,C] += ∂L/∂inp; dweight[C], dbias[C] += (when non-nil); from dout[N,C] and the
    /// saved mean/rstd. `dinp` must not alias `dout`.
    static func backward<S: ZOScalar>(
        dinp: UnsafeMutablePointer<S>, dweight: UnsafeMutablePointer<S>?, dbias: UnsafeMutablePointer<S>?,
        dout: UnsafePointer<S>, inp: UnsafePointer<S>, weight: UnsafePointer<S>,
        mean: UnsafePointer<S>, rstd: UnsafePointer<S>, rows N: Int, channels C: Int
    ) {
        Work.forChunks(count: N, minimumChunk: max(1, 2048 / max(C, 1))) { range in
            for n in range {
                let x = inp + n * C, g = dout + n * C, d = dinp + n * C
                let m = mean[n], s = rstd[n]
                var dnormMean: S = 0, dnormNormMean: S = 0
                for i in 0..<C {
                    let norm = (x[i] - m) * s
                    let dnorm = weight[i] * g[i]
                    dnormMean += dnorm
                    dnormNormMean += dnorm * norm
                }
                dnormMean /= S(C)
                dnormNormMean /= S(C)
                for i in 0..<C {
                    let norm = (x[i] - m) * s
                    let dnorm = weight[i] * g[i]
                    d[i] += (dnorm - dnormMean - norm * dnormNormMean) * s
                }
            }
        }
        guard dweight != nil || dbias != nil else { return }
        // Parameter gradients: each thread owns a channel range and walks all rows.
        Work.forChunks(count: C, minimumChunk: max(16, C / 8), alignment: 16) { channels in
            for n in 0..<N {
                let x = inp + n * C, g = dout + n * C
                let m = mean[n], s = rstd[n]
                for i in channels {
                    dbias?[i] += g[i]
                    dweight?[i] += (x[i] - m) * s * g[i]
                }
            }
        }
    }

    // MARK: Naive twins

    static func forwardReference<S: ZOScalar>(
        out: UnsafeMutablePointer<S>, mean: UnsafeMutablePointer<S>?, rstd: UnsafeMutablePointer<S>?,
        inp: UnsafePointer<S>, weight: UnsafePointer<S>, bias: UnsafePointer<S>, rows N: Int, channels C: Int, epsilon: S
    ) {
        for n in 0..<N {
            var m: S = 0
            for i in 0..<C { m += inp[n * C + i] }
            m /= S(C)
            var v: S = 0
            for i in 0..<C { v += (inp[n * C + i] - m) * (inp[n * C + i] - m) }
            v /= S(C)
            let s = 1 / (v + epsilon).squareRoot()
            for i in 0..<C { out[n * C + i] = (inp[n * C + i] - m) * s * weight[i] + bias[i] }
            mean?[n] = m
            rstd?[n] = s
        }
    }

    static func backwardReference<S: ZOScalar>(
        dinp: UnsafeMutablePointer<S>, dweight: UnsafeMutablePointer<S>?, dbias: UnsafeMutablePointer<S>?,
        dout: UnsafePointer<S>, inp: UnsafePointer<S>, weight: UnsafePointer<S>,
        mean: UnsafePointer<S>, rstd: UnsafePointer<S>, rows N: Int, channels C: Int
    ) {
        for n in 0..<N {
            let m = mean[n], s = rstd[n]
            var a: S = 0, b: S = 0
            for i in 0..<C {
                let norm = (inp[n * C + i] - m) * s
                let dnorm = weight[i] * dout[n * C + i]
                a += dnorm
                b += dnorm * norm
                dbias?[i] += dout[n * C + i]
                dweight?[i] += norm * dout[n * C + i]
            }
            a /= S(C)
            b /= S(C)
            for i in 0..<C {
                let norm = (inp[n * C + i] - m) * s
                dinp[n * C + i] += (weight[i] * dout[n * C + i] - a - norm * b) * s
            }
        }
    }
}
