import ZOCore

/// Token + position embedding: out[b,t,:] = wte[tokens[b,t], :] + wpe[t, :].
/// Shapes: tokens[B,T], wte[V,C], wpe[maxT,C], out[B,T,C]. The loops are the definition
/// (a gather; no separate naive twin).
enum Encoder {
    static func forward<S: ZOScalar>(
        out: UnsafeMutablePointer<S>, tokens: UnsafePointer<Int32>, wte: UnsafePointer<S>, wpe: UnsafePointer<S>,
        B: Int, T: Int, C: Int
    ) {
        Work.forChunks(count: B * T, minimumChunk: max(1, 16384 / max(C, 1))) { range in
            for bt in range {
                let t = bt % T
                let o = out + bt * C, e = wte + Int(tokens[bt]) * C, p = wpe + t * C
                for i in 0..<C { o[i] = e[i] + p[i] }
            }
        }
    }

    /// dwte[V,C] += scatter of dout by token, dwpe[maxT,C] += Σ_b dout[b,t] (each when non-nil).
    /// Threads own channel ranges, so repeated tokens never race.
    static func backward<S: ZOScalar>(
        dwte: UnsafeMutablePointer<S>?, dwpe: UnsafeMutablePointer<S>?, dout: UnsafePointer<S>,
        tokens: UnsafePointer<Int32>, B: Int, T: Int, C: Int
    ) {
        guard dwte != nil || dwpe != nil else { return }
        Work.forChunks(count: C, minimumChunk: max(16, C / 8), alignment: 16) { channels in
            for bt in 0..<(B * T) {
                let g = dout + bt * C
                if let dwte {
                    let e = dwte + Int(tokens[bt]) * C
                    for i in channels { e[i] += g[i] }
                }
                if let dwpe {
                    let p = dwpe + (bt % T) * C
                    for i in channels { p[i] += g[i] }
                }
            }
        }
    }
}
