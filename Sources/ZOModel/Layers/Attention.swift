import ZOCore

/// Causal multi-head self-attention over a fused qkv buffer, with optional prefix keys/values.
///
/// Shapes: qkv[B,T,3C] (per token: q | k | v, head h at channels h·hs ..< (h+1)·hs of each),
/// prefixKey/prefixValue[P,C] (shared by all sequences), out[B,T,C], att[B,NH,T,Tk] with
/// Tk = P + T: key slot j < P is prefix j, slot P + s is token s, allowed iff s ≤ t. `att` holds
/// the softmax probabilities, 0 on masked slots. Scores are scaled by 1/√hs.
///
/// The optimised path does, per sequence and head, QKᵀ and A·V as sgemms on strided views
/// (no copies), skipping the upper-right blocks of the causal mask (row blocks of
/// ``rowBlock``), and the softmax rows in parallel with the vector `exp`. The naive twins loop.
enum Attention {
    /// Query rows per causal block: a block of rows [r0, r1) needs keys [0, P + r1) only.
    static let rowBlock = 64

    struct Shape {
        let B: Int, T: Int, C: Int, NH: Int, P: Int
        var hs: Int { C / NH }
        var Tk: Int { P + T }
        var C3: Int { 3 * C }
    }

    /// out[B,T,C] = attention(qkv). `att` must hold B·NH·T·Tk elements when `attStride` is
    /// NH·T·Tk (training: every sequence kept), or NH·T·Tk when `attStride` is 0 (inference: one
    /// sequence at a time, the buffer reused).
    static func forward<S: ZOScalar>(
        out: UnsafeMutablePointer<S>, att: UnsafeMutablePointer<S>, attStride: Int, qkv: UnsafePointer<S>,
        prefixKey: UnsafePointer<S>?, prefixValue: UnsafePointer<S>?, shape d: Shape
    ) {
        let hs = d.hs, Tk = d.Tk, P = d.P, C3 = d.C3, T = d.T, C = d.C
        let scale = 1 / S(hs).squareRoot()
        for b in 0..<d.B {
            let attB = att + b * attStride
            let q0 = qkv + b * T * C3
            for h in 0..<d.NH {
                let q = q0 + h * hs, k = q0 + C + h * hs
                let s = attB + h * T * Tk
                var r0 = 0
                while r0 < T {
                    let r1 = min(T, r0 + rowBlock)
                    if P > 0, let pk = prefixKey {
                        BLAS.gemm(transB: true, m: r1 - r0, n: P, k: hs, alpha: scale, a: q + r0 * C3, lda: C3,
                                  b: pk + h * hs, ldb: C, c: s + r0 * Tk, ldc: Tk)
                    }
                    BLAS.gemm(transB: true, m: r1 - r0, n: r1, k: hs, alpha: scale, a: q + r0 * C3, lda: C3,
                              b: k, ldb: C3, c: s + r0 * Tk + P, ldc: Tk)
                    r0 = r1
                }
            }
            softmaxRows(attB, rows: d.NH * T, T: T, P: P)
            for h in 0..<d.NH {
                let v = q0 + 2 * C + h * hs
                let s = attB + h * T * Tk
                let o = out + b * T * C + h * hs
                var r0 = 0
                while r0 < T {
                    let r1 = min(T, r0 + rowBlock)
                    var beta: S = 0
                    if P > 0, let pv = prefixValue {
                        BLAS.gemm(m: r1 - r0, n: hs, k: P, a: s + r0 * Tk, lda: Tk, b: pv + h * hs, ldb: C,
                                  c: o + r0 * C, ldc: C)
                        beta = 1
                    }
                    BLAS.gemm(m: r1 - r0, n: hs, k: r1, a: s + r0 * Tk + P, lda: Tk, b: v, ldb: C3,
                              beta: beta, c: o + r0 * C, ldc: C)
                    r0 = r1
                }
            }
        }
    }

    /// In-place causal softmax of `rows` rows of length P + T (row r is query t = r mod T):
    /// slots beyond P + t are set to 0.
    static func softmaxRows<S: ZOScalar>(_ att: UnsafeMutablePointer<S>, rows: Int, T: Int, P: Int) {
        let Tk = P + T
        Work.forChunks(count: rows, minimumChunk: 32) { range in
            for r in range {
                let t = r % T
                let row = att + r * Tk
                let valid = P + t + 1
                let m = VectorMath.maximum(row, count: valid)
                let sum = VectorMath.expShiftedSum(row, count: valid, shift: m)
                let inv = 1 / sum
                for j in 0..<valid { row[j] *= inv }
                for j in valid..<Tk { row[j] = 0 }
            }
        }
    }

    /// dqkv[B,T,3C] +=, dprefixKey/dprefixValue[P,C] += (when non-nil), from dout[B,T,C] and the
    /// saved probabilities att[B,NH,T,Tk]. `scratch` holds T·Tk elements.
    static func backward<S: ZOScalar>(
        dqkv: UnsafeMutablePointer<S>, dprefixKey: UnsafeMutablePointer<S>?, dprefixValue: UnsafeMutablePointer<S>?,
        scratch: UnsafeMutablePointer<S>, dout: UnsafePointer<S>, qkv: UnsafePointer<S>, att: UnsafePointer<S>,
        prefixKey: UnsafePointer<S>?, prefixValue: UnsafePointer<S>?, shape d: Shape
    ) {
        let hs = d.hs, Tk = d.Tk, P = d.P, C3 = d.C3, T = d.T, C = d.C
        let scale = 1 / S(hs).squareRoot()
        for b in 0..<d.B {
            let q0 = qkv + b * T * C3, dq0 = dqkv + b * T * C3
            for h in 0..<d.NH {
                let q = q0 + h * hs, k = q0 + C + h * hs, v = q0 + 2 * C + h * hs
                let dq = dq0 + h * hs, dk = dq0 + C + h * hs, dv = dq0 + 2 * C + h * hs
                let a = att + (b * d.NH + h) * T * Tk
                let dy = dout + b * T * C + h * hs
                let dp = scratch
                // dP[T,Tk] = dY · [Pv; V]ᵀ
                if P > 0, let pv = prefixValue {
                    BLAS.gemm(transB: true, m: T, n: P, k: hs, a: dy, lda: C, b: pv + h * hs, ldb: C, c: dp, ldc: Tk)
                }
                BLAS.gemm(transB: true, m: T, n: T, k: hs, a: dy, lda: C, b: v, ldb: C3, c: dp + P, ldc: Tk)
                // dV += A[:, P:]ᵀ · dY ; dPv += A[:, :P]ᵀ · dY
                BLAS.gemm(transA: true, m: T, n: hs, k: T, a: a + P, lda: Tk, b: dy, ldb: C, beta: 1, c: dv, ldc: C3)
                if P > 0, let dpv = dprefixValue {
                    BLAS.gemm(transA: true, m: P, n: hs, k: T, a: a, lda: Tk, b: dy, ldb: C, beta: 1, c: dpv + h * hs, ldc: C)
                }
                // dS = A ⊙ (dP − Σⱼ dP·A), in place in dp.
                Work.forChunks(count: T, minimumChunk: 32) { range in
                    for t in range {
                        let ar = a + t * Tk, g = dp + t * Tk
                        var dot: S = 0
                        for j in 0..<Tk { dot += ar[j] * g[j] }
                        for j in 0..<Tk { g[j] = ar[j] * (g[j] - dot) }
                    }
                }
                // dQ += scale·dS·[Pk; K] ; dK += scale·dS[:, P:]ᵀ·Q ; dPk += scale·dS[:, :P]ᵀ·Q
                if P > 0, let pk = prefixKey {
                    BLAS.gemm(m: T, n: hs, k: P, alpha: scale, a: dp, lda: Tk, b: pk + h * hs, ldb: C, beta: 1, c: dq, ldc: C3)
                    if let dpk = dprefixKey {
                        BLAS.gemm(transA: true, m: P, n: hs, k: T, alpha: scale, a: dp, lda: Tk, b: q, ldb: C3,
                                  beta: 1, c: dpk + h * hs, ldc: C)
                    }
                }
                BLAS.gemm(m: T, n: hs, k: T, alpha: scale, a: dp + P, lda: Tk, b: k, ldb: C3, beta: 1, c: dq, ldc: C3)
                BLAS.gemm(transA: true, m: T, n: hs, k: T, alpha: scale, a: dp + P, lda: Tk, b: q, ldb: C3, beta: 1, c: dk, ldc: C3)
            }
        }
    }

    // MARK: Naive twins

    /// The definition, in loops: scores, causal softmax (exact `exp`), weighted values.
    static func forwardReference<S: ZOScalar>(
        out: UnsafeMutablePointer<S>, att: UnsafeMutablePointer<S>, qkv: UnsafePointer<S>,
        prefixKey: UnsafePointer<S>?, prefixValue: UnsafePointer<S>?, shape d: Shape
    ) {
        let hs = d.hs, Tk = d.Tk, P = d.P, C3 = d.C3, T = d.T, C = d.C
        let scale = 1 / S(hs).squareRoot()
        func key(_ b: Int, _ j: Int) -> UnsafePointer<S> { j < P ? prefixKey! : qkv + (b * T + j - P) * C3 + C }
        func keyOffset(_ j: Int) -> Int { j < P ? j * C : 0 }
        func value(_ b: Int, _ j: Int) -> UnsafePointer<S> { j < P ? prefixValue! + j * C : qkv + (b * T + j - P) * C3 + 2 * C }
        for b in 0..<d.B {
            for h in 0..<d.NH {
                for t in 0..<T {
                    let q = qkv + (b * T + t) * C3 + h * hs
                    let row = att + ((b * d.NH + h) * T + t) * Tk
                    var m = -S.infinity
                    for j in 0..<Tk {
                        guard j < P + t + 1 else { row[j] = 0; continue }
                        let kp = key(b, j) + keyOffset(j) + h * hs
                        var dot: S = 0
                        for i in 0..<hs { dot += q[i] * kp[i] }
                        row[j] = dot * scale
                        m = Swift.max(m, row[j])
                    }
                    var sum: S = 0
                    for j in 0..<(P + t + 1) { row[j] = S.exp(row[j] - m); sum += row[j] }
                    for j in 0..<(P + t + 1) { row[j] /= sum }
                    let o = out + (b * T + t) * C + h * hs
                    for i in 0..<hs {
                        var acc: S = 0
                        for j in 0..<(P + t + 1) { acc += row[j] * value(b, j)[h * hs + i] }
                        o[i] = acc
                    }
                }
            }
        }
    }

    /// Backward of ``forwardReference`` in loops (accumulates like ``backward``).
    static func backwardReference<S: ZOScalar>(
        dqkv: UnsafeMutablePointer<S>, dprefixKey: UnsafeMutablePointer<S>?, dprefixValue: UnsafeMutablePointer<S>?,
        dout: UnsafePointer<S>, qkv: UnsafePointer<S>, att: UnsafePointer<S>,
        prefixKey: UnsafePointer<S>?, prefixValue: UnsafePointer<S>?, shape d: Shape
    ) {
        let hs = d.hs, Tk = d.Tk, P = d.P, C3 = d.C3, T = d.T, C = d.C
        let scale = 1 / S(hs).squareRoot()
        var datt = [S](repeating: 0, count: Tk)
        for b in 0..<d.B {
            for h in 0..<d.NH {
                for t in 0..<T {
                    let row = att + ((b * d.NH + h) * T + t) * Tk
                    let dy = dout + (b * T + t) * C + h * hs
                    let valid = P + t + 1
                    for j in 0..<valid {
                        let v = j < P ? prefixValue! + j * C + h * hs : qkv + (b * T + j - P) * C3 + 2 * C + h * hs
                        var dot: S = 0
                        for i in 0..<hs { dot += dy[i] * v[i] }
                        datt[j] = dot
                        if j < P {
                            if let dpv = dprefixValue { for i in 0..<hs { dpv[j * C + h * hs + i] += row[j] * dy[i] } }
                        } else {
                            let dv = dqkv + (b * T + j - P) * C3 + 2 * C + h * hs
                            for i in 0..<hs { dv[i] += row[j] * dy[i] }
                        }
                    }
                    var s: S = 0
                    for j in 0..<valid { s += row[j] * datt[j] }
                    let q = qkv + (b * T + t) * C3 + h * hs
                    let dq = dqkv + (b * T + t) * C3 + h * hs
                    for j in 0..<valid {
                        let ds = row[j] * (datt[j] - s) * scale
                        if j < P {
                            let k = prefixKey! + j * C + h * hs
                            for i in 0..<hs { dq[i] += ds * k[i] }
                            if let dpk = dprefixKey { for i in 0..<hs { dpk[j * C + h * hs + i] += ds * q[i] } }
                        } else {
                            let k = qkv + (b * T + j - P) * C3 + C + h * hs
                            let dk = dqkv + (b * T + j - P) * C3 + C + h * hs
                            for i in 0..<hs { dq[i] += ds * k[i]; dk[i] += ds * q[i] }
                        }
                    }
                }
            }
        }
    }
}
