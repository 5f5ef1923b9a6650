import ZOCore

/// The tensors of one transformer block, with GPT-2's names (`h.{i}.` + raw value) and
/// Conv1D layout: every weight is [in, out].
public enum GPTLayerTensor: String, CaseIterable, Sendable {
    case ln1Weight = "ln_1.weight"
    case ln1Bias = "ln_1.bias"
    case attentionWeight = "attn.c_attn.weight"
    case attentionBias = "attn.c_attn.bias"
    case attentionProjectionWeight = "attn.c_proj.weight"
    case attentionProjectionBias = "attn.c_proj.bias"
    case ln2Weight = "ln_2.weight"
    case ln2Bias = "ln_2.bias"
    case mlpWeight = "mlp.c_fc.weight"
    case mlpBias = "mlp.c_fc.bias"
    case mlpProjectionWeight = "mlp.c_proj.weight"
    case mlpProjectionBias = "mlp.c_proj.bias"

    /// Shape for width C.
    public func shape(width C: Int) -> [Int] {
        switch self {
        case .ln1Weight, .ln1Bias, .ln2Weight, .ln2Bias, .attentionProjectionBias, .mlpProjectionBias: return [C]
        case .attentionWeight: return [C, 3 * C]
        case .attentionBias: return [3 * C]
        case .attentionProjectionWeight: return [C, C]
        case .mlpWeight: return [C, 4 * C]
        case .mlpBias: return [4 * C]
        case .mlpProjectionWeight: return [4 * C, C]
        }
    }

    public var role: TensorRole {
        switch self {
        case .ln1Weight, .ln1Bias, .ln2Weight, .ln2Bias: return .norm
        case .attentionWeight, .attentionProjectionWeight, .mlpWeight, .mlpProjectionWeight: return .weight
        case .attentionBias, .attentionProjectionBias, .mlpBias, .mlpProjectionBias: return .bias
        }
    }

    /// Residual projections get GPT-2's scaled initialisation (std 0.02/√(2L)).
    var isResidualProjection: Bool { self == .attentionProjectionWeight || self == .mlpProjectionWeight }

    /// The full name in layer `layer`: `h.{layer}.{rawValue}`.
    public func name(layer: Int) -> String { "h.\(layer).\(rawValue)" }
}

/// The model-level tensors outside the blocks.
public enum GPTGlobalTensor: String, CaseIterable, Sendable {
    case tokenEmbedding = "wte.weight"
    case positionEmbedding = "wpe.weight"
    case finalNormWeight = "ln_f.weight"
    case finalNormBias = "ln_f.bias"

    public func shape(_ config: GPTConfig) -> [Int] {
        switch self {
        case .tokenEmbedding: return [config.vocabularySize, config.width]
        case .positionEmbedding: return [config.contextLength, config.width]
        case .finalNormWeight, .finalNormBias: return [config.width]
        }
    }

    public var role: TensorRole {
        switch self {
        case .tokenEmbedding: return .embedding
        case .positionEmbedding: return .position
        case .finalNormWeight, .finalNormBias: return .norm
        }
    }
}

/// Trainable adapter tensors per layer (`h.{i}.` + raw value).
public enum GPTAdapterTensor: String, CaseIterable, Sendable {
    /// LoRA on the query projection: A [C, r], B [r, C].
    case loraQueryA = "attn.lora_q.A"
    case loraQueryB = "attn.lora_q.B"
    /// LoRA on the value projection: A [C, r], B [r, C].
    case loraValueA = "attn.lora_v.A"
    case loraValueB = "attn.lora_v.B"
    /// Prefix-tuning keys and values: [P, C] (all heads).
    case prefixKey = "attn.prefix.key"
    case prefixValue = "attn.prefix.value"

    /// The tensors a mode trains, in slab order.
    public static func tensors(for mode: FineTuningMode) -> [GPTAdapterTensor] {
        switch mode {
        case .full: return []
        case .lora: return [.loraQueryA, .loraQueryB, .loraValueA, .loraValueB]
        case .prefix: return [.prefixKey, .prefixValue]
        }
    }

    public func shape(width C: Int, mode: FineTuningMode) -> [Int] {
        switch self {
        case .loraQueryA, .loraValueA: return [C, mode.loraRank]
        case .loraQueryB, .loraValueB: return [mode.loraRank, C]
        case .prefixKey, .prefixValue: return [mode.prefixTokens, C]
        }
    }

    public var role: TensorRole {
        switch self {
        case .loraQueryA, .loraQueryB, .loraValueA, .loraValueB: return .lora
        case .prefixKey, .prefixValue: return .prefix
        }
    }

    public func name(layer: Int) -> String { "h.\(layer).\(rawValue)" }
}

/// Parameter layouts of a ``GPTModel``.
public enum GPTLayout {
    /// The base model: block "embeddings" (wte, wpe), blocks "h.{i}" (layer i), block "ln_f".
    public static func base(_ config: GPTConfig) -> ParameterLayout {
        var layout = ParameterLayout()
        layout.beginBlock("embeddings")
        for t in [GPTGlobalTensor.tokenEmbedding, .positionEmbedding] {
            layout.add(t.rawValue, Shape(t.shape(config)), role: t.role)
        }
        for l in 0..<config.depth {
            layout.beginBlock("h.\(l)", layer: l)
            for t in GPTLayerTensor.allCases {
                layout.add(t.name(layer: l), Shape(t.shape(width: config.width)), role: t.role)
            }
        }
        layout.beginBlock("ln_f")
        for t in [GPTGlobalTensor.finalNormWeight, .finalNormBias] {
            layout.add(t.rawValue, Shape(t.shape(config)), role: t.role)
        }
        return layout
    }

    /// The adapters of `mode` (nil for `full`): one block "h.{i}" per layer.
    public static func adapters(_ config: GPTConfig, mode: FineTuningMode) -> ParameterLayout? {
        let kinds = GPTAdapterTensor.tensors(for: mode)
        guard !kinds.isEmpty else { return nil }
        var layout = ParameterLayout()
        for l in 0..<config.depth {
            layout.beginBlock("h.\(l)", layer: l)
            for t in kinds { layout.add(t.name(layer: l), Shape(t.shape(width: config.width, mode: mode)), role: t.role) }
        }
        return layout
    }
}

/// Raw pointers to the tensors of one layer inside a slab with the base layout (weights or
/// their gradients). Valid while the slab lives.
struct LayerPointers {
    let ln1w, ln1b, qkvw, qkvb, attprojw, attprojb, ln2w, ln2b, fcw, fcb, fcprojw, fcprojb: UnsafeMutablePointer<Float>
}

/// Pointers to every base tensor in a slab with the base layout.
struct BasePointers {
    let wte, wpe, lnfw, lnfb: UnsafeMutablePointer<Float>
    let layers: [LayerPointers]

    init(_ base: UnsafeMutablePointer<Float>, tensors: [ParameterTensorInfo], depth: Int) {
        var offsets: [String: Int] = [:]
        for t in tensors { offsets[t.name] = t.offset }
        func p(_ name: String) -> UnsafeMutablePointer<Float> { base + offsets[name]! }
        wte = p(GPTGlobalTensor.tokenEmbedding.rawValue)
        wpe = p(GPTGlobalTensor.positionEmbedding.rawValue)
        lnfw = p(GPTGlobalTensor.finalNormWeight.rawValue)
        lnfb = p(GPTGlobalTensor.finalNormBias.rawValue)
        layers = (0..<depth).map { l in
            func q(_ t: GPTLayerTensor) -> UnsafeMutablePointer<Float> { p(t.name(layer: l)) }
            return LayerPointers(ln1w: q(.ln1Weight), ln1b: q(.ln1Bias), qkvw: q(.attentionWeight), qkvb: q(.attentionBias),
                                 attprojw: q(.attentionProjectionWeight), attprojb: q(.attentionProjectionBias),
                                 ln2w: q(.ln2Weight), ln2b: q(.ln2Bias), fcw: q(.mlpWeight), fcb: q(.mlpBias),
                                 fcprojw: q(.mlpProjectionWeight), fcprojb: q(.mlpProjectionBias))
        }
    }
}

/// Pointers to one layer's adapters (nil when the mode has none of that kind).
struct AdapterPointers {
    var loraQA, loraQB, loraVA, loraVB, prefixKey, prefixValue: UnsafeMutablePointer<Float>?

    static func layers(_ base: UnsafeMutablePointer<Float>?, tensors: [ParameterTensorInfo], depth: Int) -> [AdapterPointers] {
        guard let base else { return Array(repeating: AdapterPointers(), count: depth) }
        var offsets: [String: Int] = [:]
        for t in tensors { offsets[t.name] = t.offset }
        return (0..<depth).map { l in
            func p(_ t: GPTAdapterTensor) -> UnsafeMutablePointer<Float>? { offsets[t.name(layer: l)].map { base + $0 } }
            return AdapterPointers(loraQA: p(.loraQueryA), loraQB: p(.loraQueryB), loraVA: p(.loraValueA),
                                   loraVB: p(.loraValueB), prefixKey: p(.prefixKey), prefixValue: p(.prefixValue))
        }
    }
}
