import ZOCore

extension GPTModel {
    /// GPT-2's initialisation, deterministic in `seed` (bit-identical for the same seed on any
    /// machine and thread count): weights and embeddings N(0, 0.02²), the residual projections
    /// (attn.c_proj, mlp.c_proj) N(0, (0.02/√(2L))²), biases 0, LayerNorm gains 1 and biases 0.
    /// Tensor `i` of the base layout draws from the Philox stream `NoiseKey(seed, 0).derived(i)`.
    public func initializeWeights(seed: UInt64) {
        let key = NoiseKey(seed: seed, stream: 0)
        let residualStd = Float(0.02 / (2.0 * Double(config.depth)).squareRoot())
        for (i, t) in base.tensors.enumerated() {
            let view = base.view(i)
            switch t.role {
            case .norm:
                view.buffer.update(repeating: t.name.hasSuffix(".weight") ? 1 : 0)
            case .bias:
                view.buffer.update(repeating: 0)
            default:
                let isResidual = GPTLayerTensor.allCases.contains { $0.isResidualProjection && t.name.hasSuffix("." + $0.rawValue) }
                let std: Float = isResidual ? residualStd : 0.02
                view.buffer.update(repeating: 0)
                Noise.addScaled(view.buffer, scale: std, key: key.derived(UInt64(i)))
            }
        }
    }

    /// Fresh adapters, deterministic in `seed`: LoRA A ~ U(−1/√C, 1/√C) (PyTorch's
    /// `kaiming_uniform_(a=√5)` bound for fan-in C), LoRA B = 0 (the adapted model equals the
    /// base); prefix keys and values N(0, 0.02²) — see ``initializePrefixFromActivations(tokens:)``
    /// for MeZO's initialisation from real activations.
    public func initializeAdapters(seed: UInt64) {
        guard let adapters else { return }
        let key = NoiseKey(seed: seed, stream: 1)
        let bound = 1 / Float(config.width).squareRoot()
        for (i, t) in adapters.tensors.enumerated() {
            let view = adapters.view(i)
            if t.name.hasSuffix(GPTAdapterTensor.loraQueryB.rawValue) || t.name.hasSuffix(GPTAdapterTensor.loraValueB.rawValue) {
                view.buffer.update(repeating: 0)
            } else if t.role == .lora {
                Noise.fill(view.buffer, key: key.derived(UInt64(i)), kind: .uniform)
                for j in 0..<view.count { view.pointer[j] = (2 * view.pointer[j] - 1) * bound }
            } else {
                view.buffer.update(repeating: 0)
                Noise.addScaled(view.buffer, scale: 0.02, key: key.derived(UInt64(i)))
            }
        }
    }
}
