import ZOCore

/// Where one block's forward reads and writes. Inference points several of these at the same
/// reused buffer (the residual stream is updated in place, GELU runs in place); training gives
/// every activation its own per-layer buffer.
struct BlockIO {
    var input: UnsafeMutablePointer<Float>       // [B,T,C] residual stream in
    var ln1: UnsafeMutablePointer<Float>         // [B,T,C]
    var ln1Mean: UnsafeMutablePointer<Float>?    // [B,T]
    var ln1Rstd: UnsafeMutablePointer<Float>?    // [B,T]
    var qkv: UnsafeMutablePointer<Float>         // [B,T,3C]
    var loraQuery: UnsafeMutablePointer<Float>   // [B,T,r]
    var loraValue: UnsafeMutablePointer<Float>   // [B,T,r]
    var att: UnsafeMutablePointer<Float>         // [B,NH,T,Tk] (training) or [NH,T,Tk] (inference)
    var attStride: Int                           // NH·T·Tk or 0
    var atty: UnsafeMutablePointer<Float>        // [B,T,C]
    var residual2: UnsafeMutablePointer<Float>   // [B,T,C] (may be `input`)
    var ln2: UnsafeMutablePointer<Float>         // [B,T,C]
    var ln2Mean: UnsafeMutablePointer<Float>?    // [B,T]
    var ln2Rstd: UnsafeMutablePointer<Float>?    // [B,T]
    var fch: UnsafeMutablePointer<Float>         // [B,T,4C]
    var fchGelu: UnsafeMutablePointer<Float>     // [B,T,4C] (may be `fch`)
    var residual3: UnsafeMutablePointer<Float>   // [B,T,C] (may be `residual2`)
}

extension GPTModel {
    /// One transformer block: x += attn(ln_1(x)); x += mlp(ln_2(x)).
    func blockForward(layer l: Int, io: BlockIO, dims d: PassDims, usePrefix: Bool = true) {
        let w = basePointers.layers[l], a = adapterPointers[l]
        let BT = d.BT, C = d.C, eps = config.layerNormEpsilon
        LayerNorm.forward(out: io.ln1, mean: io.ln1Mean, rstd: io.ln1Rstd, inp: io.input, weight: w.ln1w, bias: w.ln1b,
                          rows: BT, channels: C, epsilon: eps)
        Matmul.forward(out: io.qkv, inp: io.ln1, weight: w.qkvw, bias: w.qkvb, rows: BT, inChannels: C, outChannels: 3 * C)
        if let qa = a.loraQA, let qb = a.loraQB, let va = a.loraVA, let vb = a.loraVB {
            // q += s·(ln1·A_q)·B_q ; v += s·(ln1·A_v)·B_v   (views of qkv with row stride 3C)
            let s = mode.loraScale
            LoRA.forward(out: io.qkv, ldOut: 3 * C, lowRank: io.loraQuery, inp: io.ln1, a: qa, b: qb, scale: s,
                         rows: BT, inChannels: C, rank: d.r, outChannels: C)
            LoRA.forward(out: io.qkv + 2 * C, ldOut: 3 * C, lowRank: io.loraValue, inp: io.ln1, a: va, b: vb, scale: s,
                         rows: BT, inChannels: C, rank: d.r, outChannels: C)
        }
        let prefix = usePrefix && d.P > 0
        let shape = Attention.Shape(B: d.B, T: d.T, C: C, NH: d.NH, P: prefix ? d.P : 0)
        Attention.forward(out: io.atty, att: io.att, attStride: io.attStride, qkv: io.qkv,
                          prefixKey: prefix ? a.prefixKey : nil, prefixValue: prefix ? a.prefixValue : nil, shape: shape)
        if io.residual2 != io.input { io.residual2.update(from: io.input, count: BT * C) }
        Matmul.forward(out: io.residual2, inp: io.atty, weight: w.attprojw, bias: w.attprojb,
                       rows: BT, inChannels: C, outChannels: C, accumulate: true)
        LayerNorm.forward(out: io.ln2, mean: io.ln2Mean, rstd: io.ln2Rstd, inp: io.residual2, weight: w.ln2w, bias: w.ln2b,
                          rows: BT, channels: C, epsilon: eps)
        Matmul.forward(out: io.fch, inp: io.ln2, weight: w.fcw, bias: nil, rows: BT, inChannels: C, outChannels: 4 * C)
        GELU.biasForward(pre: io.fch, out: io.fchGelu, bias: w.fcb, rows: BT, cols: 4 * C)
        if io.residual3 != io.residual2 { io.residual3.update(from: io.residual2, count: BT * C) }
        Matmul.forward(out: io.residual3, inp: io.fchGelu, weight: w.fcprojw, bias: w.fcprojb,
                       rows: BT, inChannels: 4 * C, outChannels: C, accumulate: true)
    }

    /// The inference pass over sequences `0..<B`: embeddings, every block, ln_f, and — when
    /// `targets` is given — the LM-head NLL into `.nll`. On exit `.normed` holds ln_f's output
    /// [B,T,C]. Keeps nothing for backward. The sequences are split over
    /// min(cores, B) data-parallel workers (``Work/dataParallel``); `afterBlock` (a debugging /
    /// initialisation hook) forces a single worker.
    @discardableResult
    func inferencePass(tokens: UnsafePointer<Int32>, targets: UnsafePointer<Int32>?, B: Int, T: Int, usePrefix: Bool = true,
                       afterBlock: ((Int, InferenceWorkspace) -> Void)? = nil) -> InferenceWorkspace {
        let ws = inference(B: B, T: T)
        let parts = afterBlock == nil ? ws.workers : 1
        Work.dataParallel(count: B, parts: parts) { worker, sequences in
            inferenceSlice(ws, worker: worker, sequences: sequences, tokens: tokens, targets: targets,
                           usePrefix: usePrefix, afterBlock: afterBlock)
        }
        return ws
    }

    /// The inference pass of sequences `sequences` (rows sequences·T) in workspace `ws`.
    private func inferenceSlice(_ ws: InferenceWorkspace, worker: Int, sequences: Range<Int>, tokens: UnsafePointer<Int32>,
                                targets: UnsafePointer<Int32>?, usePrefix: Bool,
                                afterBlock: ((Int, InferenceWorkspace) -> Void)?) {
        let T = ws.dims.T, C = ws.dims.C
        let d = PassDims(config: config, mode: mode, B: sequences.count, T: T)
        let row0 = sequences.lowerBound * T
        let buf = ws.buffers
        func rows(_ b: InferenceBuffer, _ width: Int) -> UnsafeMutablePointer<Float> { buf(b) + row0 * width }
        let x = rows(.residual, C), normed = rows(.normed, C)
        Encoder.forward(out: x, tokens: tokens + row0, wte: basePointers.wte, wpe: basePointers.wpe, B: d.B, T: T, C: C)
        let io = BlockIO(input: x, ln1: normed, ln1Mean: nil, ln1Rstd: nil, qkv: rows(.qkv, 3 * C),
                         loraQuery: rows(.lora, d.r), loraValue: rows(.lora, d.r), att: ws.scratch(.scores, worker), attStride: 0,
                         atty: rows(.attention, C), residual2: x, ln2: normed, ln2Mean: nil, ln2Rstd: nil,
                         fch: rows(.mlp, 4 * C), fchGelu: rows(.mlp, 4 * C), residual3: x)
        for l in 0..<config.depth {
            blockForward(layer: l, io: io, dims: d, usePrefix: usePrefix)
            afterBlock?(l, ws)
        }
        LayerNorm.forward(out: normed, mean: nil, rstd: nil, inp: x, weight: basePointers.lnfw, bias: basePointers.lnfb,
                          rows: d.BT, channels: C, epsilon: config.layerNormEpsilon)
        if let targets {
            CrossEntropyHead.forward(nll: rows(.nll, 1), lse: nil, inp: normed, wte: basePointers.wte, targets: targets + row0,
                                     rows: d.BT, channels: C, vocabulary: d.V, scratch: ws.scratch(.logits, worker),
                                     chunkRows: d.R)
        }
    }

    /// Weighted mean loss from per-position NLLs (Float64 accumulation).
    static func reduceLoss(nll: UnsafePointer<Float>, batch: TokenBatch) throws -> Double {
        var total = 0.0, weight = 0.0
        for i in 0..<batch.positions where batch.targets[i] >= 0 {
            let w = Double(batch.weights?[i] ?? 1)
            total += w * Double(nll[i])
            weight += w
        }
        guard weight > 0 else { throw ModelError.invalidBatch("no position has a target with positive weight") }
        return total / weight
    }

    /// The batch loss Σ w·nll / Σ w (inference pass, forward only).
    public func loss(_ batch: TokenBatch) throws -> Double {
        let nll = try positionLossPointer(batch)
        return try Self.reduceLoss(nll: nll, batch: batch)
    }

    /// nll[B,T]: −log p(target | prefix) per position (0 where the target is masked); the
    /// weights are not applied. Inference pass.
    public func positionLosses(_ batch: TokenBatch) throws -> [Float] {
        let nll = try positionLossPointer(batch)
        return Array(UnsafeBufferPointer(start: nll, count: batch.positions))
    }

    func positionLossPointer(_ batch: TokenBatch) throws -> UnsafeMutablePointer<Float> {
        try validate(batch)
        let ws = batch.tokens.withUnsafeBufferPointer { tokens in
            batch.targets.withUnsafeBufferPointer { targets in
                inferencePass(tokens: tokens.baseAddress!, targets: targets.baseAddress!, B: batch.batchSize, T: batch.length)
            }
        }
        return ws.buffers(.nll)
    }

    /// Training forward: like ``loss(_:)`` but keeps every activation for ``backward``. Data-
    /// parallel over sequences like the inference pass (activations are row-indexed, so workers
    /// write disjoint slices; attention probabilities by sequence).
    func trainingForward(_ batch: TokenBatch) throws -> (TrainingWorkspace, Double) {
        try validate(batch)
        let B = batch.batchSize, T = batch.length
        let ws = training(B: B, T: T)
        let buf = ws.buffers, act = ws.layers, C = ws.dims.C
        ws.forwardDone = false
        batch.tokens.withUnsafeBufferPointer { tokens in
            batch.targets.withUnsafeBufferPointer { targets in
                Work.dataParallel(count: B, parts: ws.workers) { worker, sequences in
                    let d = PassDims(config: config, mode: mode, B: sequences.count, T: T)
                    let row0 = sequences.lowerBound * T
                    func layer(_ a: LayerActivation, _ l: Int, _ width: Int) -> UnsafeMutablePointer<Float> { act(a, l) + row0 * width }
                    func rows(_ b: TrainingBuffer, _ width: Int) -> UnsafeMutablePointer<Float> { buf(b) + row0 * width }
                    Encoder.forward(out: rows(.encoded, C), tokens: tokens.baseAddress! + row0, wte: basePointers.wte,
                                    wpe: basePointers.wpe, B: d.B, T: T, C: C)
                    let attStride = d.NH * T * d.Tk
                    for l in 0..<config.depth {
                        let io = BlockIO(input: l == 0 ? rows(.encoded, C) : layer(.residual3, l - 1, C),
                                         ln1: layer(.ln1, l, C), ln1Mean: layer(.ln1Mean, l, 1), ln1Rstd: layer(.ln1Rstd, l, 1),
                                         qkv: layer(.qkv, l, 3 * C), loraQuery: layer(.loraQuery, l, d.r),
                                         loraValue: layer(.loraValue, l, d.r),
                                         att: act(.att, l) + sequences.lowerBound * attStride, attStride: attStride,
                                         atty: layer(.atty, l, C), residual2: layer(.residual2, l, C), ln2: layer(.ln2, l, C),
                                         ln2Mean: layer(.ln2Mean, l, 1), ln2Rstd: layer(.ln2Rstd, l, 1), fch: layer(.fch, l, 4 * C),
                                         fchGelu: layer(.fchGelu, l, 4 * C), residual3: layer(.residual3, l, C))
                        blockForward(layer: l, io: io, dims: d)
                    }
                    LayerNorm.forward(out: rows(.lnf, C), mean: rows(.lnfMean, 1), rstd: rows(.lnfRstd, 1),
                                      inp: layer(.residual3, config.depth - 1, C), weight: basePointers.lnfw,
                                      bias: basePointers.lnfb, rows: d.BT, channels: C, epsilon: config.layerNormEpsilon)
                    CrossEntropyHead.forward(nll: rows(.nll, 1), lse: rows(.lse, 1), inp: rows(.lnf, C), wte: basePointers.wte,
                                             targets: targets.baseAddress! + row0, rows: d.BT, channels: C, vocabulary: d.V,
                                             scratch: ws.scratch(.logits, worker), chunkRows: d.R)
                }
            }
        }
        let loss = try Self.reduceLoss(nll: buf(.nll), batch: batch)
        ws.forwardDone = true
        return (ws, loss)
    }
}
