import ZOCore

extension GPTModel {
    /// L(θ) and ∇L(θ) of the trainable parameters on `batch`: training forward, then backward.
    /// `gradient` has ``trainable``.count elements and is overwritten. In LoRA/prefix modes the
    /// gradient flows through the frozen base but only adapter gradients are formed.
    public func lossAndGradient(_ batch: TokenBatch, into gradient: UnsafeMutableBufferPointer<Float>) throws -> Double {
        guard gradient.count == trainable.count else {
            throw ModelError.invalidBatch("gradient buffer has \(gradient.count) elements, the trainable set \(trainable.count)")
        }
        let (ws, loss) = try trainingForward(batch)
        gradient.update(repeating: 0)
        try backward(batch, workspace: ws, gradient: gradient.baseAddress!)
        return loss
    }

    /// Backward of the last training forward: accumulates (+=) ∂loss/∂θ into `gradient`.
    func backward(_ batch: TokenBatch, workspace ws: TrainingWorkspace, gradient: UnsafeMutablePointer<Float>) throws {
        guard ws.forwardDone else { throw ModelError.unavailable("backward needs a training forward first") }
        let d = ws.dims, buf = ws.buffers, act = ws.layers
        let BT = d.BT, C = d.C, L = config.depth
        let g: BasePointers? = adapters == nil ? BasePointers(gradient, tensors: base.tensors, depth: L) : nil
        let ga = AdapterPointers.layers(adapters == nil ? nil : gradient, tensors: adapters?.tensors ?? [], depth: L)

        // ∂loss/∂nll per position: w / Σw on unmasked positions.
        var total = 0.0
        for i in 0..<BT where batch.targets[i] >= 0 { total += Double(batch.weights?[i] ?? 1) }
        let rowWeights = buf(.rowWeights)
        for i in 0..<BT { rowWeights[i] = batch.targets[i] >= 0 ? Float(Double(batch.weights?[i] ?? 1) / total) : 0 }

        // LM head and ln_f.
        let dres = buf(.dresidual), dln = buf(.dnormed)
        dln.update(repeating: 0, count: BT * C)
        dres.update(repeating: 0, count: BT * C)
        batch.targets.withUnsafeBufferPointer { targets in
            CrossEntropyHead.backward(dinp: dln, dwte: g?.wte, inp: buf(.lnf), wte: basePointers.wte, targets: targets.baseAddress!,
                                      rowWeights: rowWeights, lse: buf(.lse), rows: BT, channels: C, vocabulary: d.V,
                                      scratch: ws.scratch(.logits, 0), chunkRows: d.R)
        }
        LayerNorm.backward(dinp: dres, dweight: g?.lnfw, dbias: g?.lnfb, dout: dln, inp: act(.residual3, L - 1),
                           weight: basePointers.lnfw, mean: buf(.lnfMean), rstd: buf(.lnfRstd), rows: BT, channels: C)

        for l in stride(from: L - 1, through: 0, by: -1) {
            blockBackward(layer: l, dres: dres, input: l == 0 ? buf(.encoded) : act(.residual3, l - 1),
                          grads: g?.layers[l], adapterGrads: ga[l], workspace: ws)
        }
        batch.tokens.withUnsafeBufferPointer { tokens in
            Encoder.backward(dwte: g?.wte, dwpe: g?.wpe, dout: dres, tokens: tokens.baseAddress!, B: d.B, T: d.T, C: C)
        }
    }

    /// Backward of block `l`: on entry `dres` is ∂loss/∂(block output), on exit ∂loss/∂(block input).
    private func blockBackward(layer l: Int, dres: UnsafeMutablePointer<Float>, input: UnsafeMutablePointer<Float>,
                               grads gw: LayerPointers?, adapterGrads ga: AdapterPointers, workspace ws: TrainingWorkspace) {
        let d = ws.dims, buf = ws.buffers, act = ws.layers
        let BT = d.BT, C = d.C
        let w = basePointers.layers[l], a = adapterPointers[l]
        let dln = buf(.dnormed), dfch = buf(.dfch), dfchGelu = buf(.dfchGelu), datty = buf(.datty), dqkv = buf(.dqkv)

        // MLP: residual3 = residual2 + gelu(ln2·W_fc + b_fc)·W_proj + b_proj
        dfchGelu.update(repeating: 0, count: BT * 4 * C)
        Matmul.backward(dinp: dfchGelu, dweight: gw?.fcprojw, dbias: gw?.fcprojb, dout: dres, inp: act(.fchGelu, l),
                        weight: w.fcprojw, rows: BT, inChannels: 4 * C, outChannels: C)
        GELU.backward(dinp: dfch, inp: act(.fch, l), dout: dfchGelu, count: BT * 4 * C, accumulate: false)
        dln.update(repeating: 0, count: BT * C)
        Matmul.backward(dinp: dln, dweight: gw?.fcw, dbias: gw?.fcb, dout: dfch, inp: act(.ln2, l), weight: w.fcw,
                        rows: BT, inChannels: C, outChannels: 4 * C)
        LayerNorm.backward(dinp: dres, dweight: gw?.ln2w, dbias: gw?.ln2b, dout: dln, inp: act(.residual2, l),
                           weight: w.ln2w, mean: act(.ln2Mean, l), rstd: act(.ln2Rstd, l), rows: BT, channels: C)

        // Attention: residual2 = input + attn(ln1)·W_proj + b_proj
        datty.update(repeating: 0, count: BT * C)
        Matmul.backward(dinp: datty, dweight: gw?.attprojw, dbias: gw?.attprojb, dout: dres, inp: act(.atty, l),
                        weight: w.attprojw, rows: BT, inChannels: C, outChannels: C)
        dqkv.update(repeating: 0, count: BT * 3 * C)
        Attention.backward(dqkv: dqkv, dprefixKey: ga.prefixKey, dprefixValue: ga.prefixValue, scratch: buf(.dscores),
                           dout: datty, qkv: act(.qkv, l), att: act(.att, l), prefixKey: a.prefixKey,
                           prefixValue: a.prefixValue, shape: d.attention)
        dln.update(repeating: 0, count: BT * C)
        Matmul.backward(dinp: dln, dweight: gw?.qkvw, dbias: gw?.qkvb, dout: dqkv, inp: act(.ln1, l), weight: w.qkvw,
                        rows: BT, inChannels: C, outChannels: 3 * C)
        if let qa = a.loraQA, let qb = a.loraQB, let va = a.loraVA, let vb = a.loraVB {
            let s = mode.loraScale
            LoRA.backward(dinp: dln, da: ga.loraQA, db: ga.loraQB, dout: dqkv, ldDout: 3 * C, inp: act(.ln1, l),
                          lowRank: act(.loraQuery, l), a: qa, b: qb, scale: s, scratch: buf(.dlora),
                          rows: BT, inChannels: C, rank: d.r, outChannels: C)
            LoRA.backward(dinp: dln, da: ga.loraVA, db: ga.loraVB, dout: dqkv + 2 * C, ldDout: 3 * C, inp: act(.ln1, l),
                          lowRank: act(.loraValue, l), a: va, b: vb, scale: s, scratch: buf(.dlora),
                          rows: BT, inChannels: C, rank: d.r, outChannels: C)
        }
        LayerNorm.backward(dinp: dres, dweight: gw?.ln1w, dbias: gw?.ln1b, dout: dln, inp: input,
                           weight: w.ln1w, mean: act(.ln1Mean, l), rstd: act(.ln1Rstd, l), rows: BT, channels: C)
    }
}
