import ZOCore

/// A fully connected layer in GPT-2's Conv1D layout: out[N,OC] = inp[N,C] · weight[C,OC] + bias[OC].
///
/// The weight is stored in×out (as Hugging Face's GPT-2 `Conv1D` stores it), so the forward is
/// one plain sgemm over all N = B·T rows. The naive twins use ``BLASReference``.
/// Leading dimensions (`ld…`) allow strided row views, e.g. the query slice of a qkv buffer.
enum Matmul {
    /// out = inp·W + b, or out += inp·W + b when `accumulate` (the residual add, fused).
    static func forward<S: ZOScalar>(
        out: UnsafeMutablePointer<S>, inp: UnsafePointer<S>, weight: UnsafePointer<S>, bias: UnsafePointer<S>?,
        rows N: Int, inChannels C: Int, outChannels OC: Int, accumulate: Bool = false,
        ldOut: Int? = nil, ldInp: Int? = nil, reference: Bool = false
    ) {
        let ldo = ldOut ?? OC, ldi = ldInp ?? C
        if let bias {
            Work.forChunks(count: N, minimumChunk: max(1, 8192 / max(OC, 1))) { range in
                for n in range {
                    let o = out + n * ldo
                    if accumulate { for j in 0..<OC { o[j] += bias[j] } } else { o.update(from: bias, count: OC) }
                }
            }
        }
        let beta: S = (bias != nil || accumulate) ? 1 : 0
        if reference {
            BLASReference.gemm(m: N, n: OC, k: C, a: inp, lda: ldi, b: weight, ldb: OC, beta: beta, c: out, ldc: ldo)
        } else {
            BLAS.gemm(m: N, n: OC, k: C, a: inp, lda: ldi, b: weight, ldb: OC, beta: beta, c: out, ldc: ldo)
        }
    }

    /// dinp[N,C] += dout·Wᵀ, dweight[C,OC] += inpᵀ·dout, dbias[OC] += Σₙ dout (each when non-nil).
    static func backward<S: ZOScalar>(
        dinp: UnsafeMutablePointer<S>?, dweight: UnsafeMutablePointer<S>?, dbias: UnsafeMutablePointer<S>?,
        dout: UnsafePointer<S>, inp: UnsafePointer<S>, weight: UnsafePointer<S>,
        rows N: Int, inChannels C: Int, outChannels OC: Int,
        ldDout: Int? = nil, ldInp: Int? = nil, ldDinp: Int? = nil, reference: Bool = false
    ) {
        let ldg = ldDout ?? OC, ldi = ldInp ?? C, ldd = ldDinp ?? C
        if let dinp {
            if reference {
                BLASReference.gemm(transB: true, m: N, n: C, k: OC, a: dout, lda: ldg, b: weight, ldb: OC, beta: 1, c: dinp, ldc: ldd)
            } else {
                BLAS.gemm(transB: true, m: N, n: C, k: OC, a: dout, lda: ldg, b: weight, ldb: OC, beta: 1, c: dinp, ldc: ldd)
            }
        }
        if let dweight {
            if reference {
                BLASReference.gemm(transA: true, m: C, n: OC, k: N, a: inp, lda: ldi, b: dout, ldb: ldg, beta: 1, c: dweight, ldc: OC)
            } else {
                BLAS.gemm(transA: true, m: C, n: OC, k: N, a: inp, lda: ldi, b: dout, ldb: ldg, beta: 1, c: dweight, ldc: OC)
            }
        }
        if let dbias {
            Work.forChunks(count: OC, minimumChunk: max(16, OC / 8), alignment: 16) { cols in
                for n in 0..<N {
                    let g = dout + n * ldg
                    for j in cols { dbias[j] += g[j] }
                }
            }
        }
    }
}
