import ZOCore

extension GPTModel {
    /// log p(query.token | tokens[query.sequence, 0...query.position]) for each query, from one
    /// inference pass over `batch` (its targets and weights are ignored). Only the queried rows
    /// go through the LM head. Throws ``ModelError/invalidBatch(_:)`` for out-of-range queries.
    public func logProbabilities(of queries: [TargetQuery], in batch: TokenBatch) throws -> [Double] {
        try validate(batch)
        let V = config.vocabularySize
        for q in queries {
            guard q.sequence >= 0 && q.sequence < batch.batchSize, q.position >= 0 && q.position < batch.length,
                  q.token >= 0 && q.token < V else {
                throw ModelError.invalidBatch("query \(q) is outside the batch (B \(batch.batchSize), T \(batch.length), V \(V))")
            }
        }
        guard !queries.isEmpty else { return [] }
        let rows = gatherFinalRows(batch, rows: queries.map { $0.sequence * batch.length + $0.position })
        let C = config.width, Q = queries.count
        let targets = queries.map { Int32($0.token) }
        let nll = Slab<Float>(count: Q)
        let R = CrossEntropyHead.chunkRows(rows: Q, vocabulary: V)
        let scratch = Slab<Float>(count: R * V)
        targets.withUnsafeBufferPointer { t in
            CrossEntropyHead.forward(nll: nll.base, lse: nil, inp: rows.base, wte: basePointers.wte, targets: t.baseAddress!,
                                     rows: Q, channels: C, vocabulary: V, scratch: scratch.base, chunkRows: R)
        }
        return (0..<Q).map { -Double(nll[$0]) }
    }

    /// Per sequence: Σ_t w[b,t]·log p(targets[b,t] | tokens[b, 0...t]) over positions with a
    /// target ≥ 0 (weights default to 1) — e.g. the log-probability of a label word's tokens,
    /// or, with weights 1/length, its length-normalised log-probability. One inference pass.
    public func sequenceLogProbabilities(_ batch: TokenBatch) throws -> [Double] {
        let nll = try positionLossPointer(batch)
        return (0..<batch.batchSize).map { b in
            var sum = 0.0
            for t in 0..<batch.length {
                let i = b * batch.length + t
                if batch.targets[i] >= 0 { sum -= Double(batch.weights?[i] ?? 1) * Double(nll[i]) }
            }
            return sum
        }
    }

    /// logits[B,V] at `positions[b]` of each sequence (default: the last position T − 1).
    public func logits(_ batch: TokenBatch, at positions: [Int]? = nil) throws -> [Float] {
        try validate(batch)
        let positions = positions ?? Array(repeating: batch.length - 1, count: batch.batchSize)
        guard positions.count == batch.batchSize, positions.allSatisfy({ $0 >= 0 && $0 < batch.length }) else {
            throw ModelError.invalidBatch("need one position in 0..<\(batch.length) per sequence")
        }
        let rows = gatherFinalRows(batch, rows: positions.enumerated().map { $0.offset * batch.length + $0.element })
        let V = config.vocabularySize, C = config.width
        var out = [Float](repeating: 0, count: batch.batchSize * V)
        out.withUnsafeMutableBufferPointer { o in
            BLAS.gemm(transB: true, m: batch.batchSize, n: V, k: C, a: rows.base, b: basePointers.wte, c: o.baseAddress!)
        }
        return out
    }

    /// ln_f output rows [rows.count, C] of an inference pass, copied out of the workspace.
    private func gatherFinalRows(_ batch: TokenBatch, rows: [Int]) -> Slab<Float> {
        let ws = batch.tokens.withUnsafeBufferPointer {
            inferencePass(tokens: $0.baseAddress!, targets: nil, B: batch.batchSize, T: batch.length)
        }
        let C = config.width
        let out = Slab<Float>(count: rows.count * C)
        let src = ws.buffers(.normed)
        for (i, r) in rows.enumerated() { (out.base + i * C).update(from: src + r * C, count: C) }
        return out
    }

    /// MeZO's prefix initialisation: run the base model (without prefixes) on `tokens`
    /// (P ids, e.g. random vocabulary ids) and copy each layer's keys and values at those
    /// positions into the prefix. No-op outside prefix mode.
    public func initializePrefixFromActivations(tokens: [Int]) throws {
        let P = mode.prefixTokens
        guard P > 0 else { return }
        guard tokens.count == P else { throw ModelError.invalidBatch("need exactly \(P) tokens, got \(tokens.count)") }
        guard P <= config.contextLength else { throw ModelError.invalidBatch("\(P) prefix tokens exceed the context length") }
        guard tokens.allSatisfy({ $0 >= 0 && $0 < config.vocabularySize }) else {
            throw ModelError.invalidBatch("token ids must be in 0..<\(config.vocabularySize)")
        }
        let C = config.width
        let ids = tokens.map { Int32($0) }
        _ = ids.withUnsafeBufferPointer { t in
            inferencePass(tokens: t.baseAddress!, targets: nil, B: 1, T: P, usePrefix: false) { l, ws in
                let qkv = ws.buffers(.qkv), a = self.adapterPointers[l]
                for p in 0..<P {
                    (a.prefixKey! + p * C).update(from: qkv + p * 3 * C + C, count: C)
                    (a.prefixValue! + p * C).update(from: qkv + p * 3 * C + 2 * C, count: C)
                }
            }
        }
    }
}
