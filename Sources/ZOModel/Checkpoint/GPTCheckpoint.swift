import Foundation
import ZOCore

/// How a checkpoint stores the projection weights.
public enum CheckpointWeightLayout: String, CaseIterable, Sendable {
    /// Decide from `h.0.attn.c_attn.weight`: [C, 3C] is Conv1D, [3C, C] is Linear.
    case automatic
    /// Hugging Face GPT-2 (`Conv1D`): [in, out] — ZOLab's own layout, copied as is.
    case conv1D
    /// PyTorch `nn.Linear` (nanoGPT exports): [out, in], transposed on load.
    case linear
}

/// GPT-2 checkpoints in safetensors, with GPT-2's tensor names: `wte.weight`, `wpe.weight`,
/// `h.{i}.ln_1.weight|bias`, `h.{i}.attn.c_attn.weight|bias`, `h.{i}.attn.c_proj.weight|bias`,
/// `h.{i}.ln_2.*`, `h.{i}.mlp.c_fc.*`, `h.{i}.mlp.c_proj.*`, `ln_f.*`, optionally all under
/// `transformer.` (GPT2LMHeadModel). F32, F16, BF16 (and F64) tensors are converted to Float32.
/// `lm_head.weight` may be absent; if present it must equal wte (GPT-2 ties them; an untied head
/// is refused with ``ModelError/incompatibleCheckpoint(_:)``). The causal-mask buffers
/// `h.{i}.attn.bias` [1, 1, ctx, ctx] and `h.{i}.attn.masked_bias` [] that Hugging Face exports
/// carry are ignored in any dtype ``SafetensorsDType`` reads (F32 … U8, BOOL; other dtypes fail at
/// parsing); any other unknown tensor is an error.
/// Adapters (LoRA, prefix) are saved and loaded under `h.{i}.attn.lora_q.A` … names.
public enum GPTCheckpoint {
    /// The configuration a checkpoint implies. V, context and C come from wte/wpe, L from the
    /// `h.{i}` names; the head count from `heads`, else metadata `n_head`, else C/64 (GPT-2's
    /// head size) when 64 divides C.
    public static func configuration(of file: SafetensorsFile, heads: Int? = nil) throws -> GPTConfig {
        let (names, _) = try canonicalNames(file)
        guard let wte = names["wte.weight"].flatMap({ file.tensors[$0] }), wte.shape.count == 2 else {
            throw ModelError.missingTensor("wte.weight")
        }
        guard let wpe = names["wpe.weight"].flatMap({ file.tensors[$0] }), wpe.shape.count == 2 else {
            throw ModelError.missingTensor("wpe.weight")
        }
        var depth = 0
        for key in names.keys where key.hasPrefix("h.") {
            let parts = key.split(separator: ".")
            if parts.count > 1, let i = Int(parts[1]), i >= 0, i < 4096 { depth = max(depth, i + 1) }
        }
        guard depth > 0 else { throw ModelError.missingTensor("h.0.ln_1.weight") }
        let C = wte.shape[1]
        let nh: Int
        if let heads { nh = heads }
        else if let s = file.metadata["n_head"], let n = Int(s) { nh = n }
        else if C % 64 == 0 { nh = C / 64 }
        else { throw ModelError.incompatibleCheckpoint("cannot tell the number of heads: pass heads (C = \(C) is not a multiple of 64)") }
        let config = GPTConfig(vocabularySize: wte.shape[0], contextLength: wpe.shape[0], width: C, depth: depth, heads: nh)
        try config.validate()
        return config
    }

    /// Base weights from `file` in ZOLab's layout (``GPTLayout/base(_:)``).
    public static func loadBase(_ file: SafetensorsFile, config: GPTConfig,
                                layout: CheckpointWeightLayout = .automatic) throws -> ParameterSet<Float> {
        try config.validate()
        let (names, unknown) = try canonicalNames(file)
        if let name = unknown.first { throw ModelError.incompatibleCheckpoint("unexpected tensor \"\(name)\"") }
        let transposed = try resolveLayout(layout, file: file, names: names, config: config)
        // Check every tensor before allocating: the allocation is then bounded by the file's size.
        let baseLayout = GPTLayout.base(config)
        var sources: [SafetensorsTensorInfo] = []
        for t in baseLayout.tensors {
            guard let stored = names[t.name], let info = file.tensors[stored] else { throw ModelError.missingTensor(t.name) }
            let isMatrix = t.shape.rank == 2 && t.role == .weight
            let expected = (isMatrix && transposed) ? [t.shape[1], t.shape[0]] : t.shape.dimensions
            guard info.shape == expected else { throw ModelError.shapeMismatch(name: t.name, expected: expected, found: info.shape) }
            sources.append(info)
        }
        let set = ParameterSet<Float>(layout: baseLayout)
        for (index, t) in set.tensors.enumerated() {
            let info = sources[index]
            let isMatrix = t.shape.rank == 2 && t.role == .weight
            let view = set.view(index)
            if isMatrix && transposed {
                var tmp = [Float](repeating: 0, count: info.count)
                tmp.withUnsafeMutableBufferPointer { file.read(info, into: $0.baseAddress!) }
                let rows = t.shape[0], cols = t.shape[1]     // destination [in, out]; source [out, in]
                for i in 0..<rows { for j in 0..<cols { view.pointer[i * cols + j] = tmp[j * rows + i] } }
            } else {
                file.read(info, into: view.pointer)
            }
        }
        // The LM head is tied to wte: a checkpoint with a different lm_head.weight is refused.
        for name in ["lm_head.weight", "transformer.lm_head.weight"] {
            guard let info = file.tensors[name] else { continue }
            let wte = set.view(named: GPTGlobalTensor.tokenEmbedding.rawValue)!
            guard info.shape == wte.shape.dimensions else {
                throw ModelError.shapeMismatch(name: name, expected: wte.shape.dimensions, found: info.shape)
            }
            var head = [Float](repeating: 0, count: info.count)
            head.withUnsafeMutableBufferPointer { file.read(info, into: $0.baseAddress!) }
            guard head.elementsEqual(wte.buffer) else {
                throw ModelError.incompatibleCheckpoint("lm_head.weight differs from wte.weight: untied heads are not supported")
            }
        }
        return set
    }

    /// A model whose base weights come from the checkpoint at `url` (configuration inferred,
    /// see ``configuration(of:heads:)``); adapters of `mode` are loaded from the file when it
    /// has them, else freshly initialised from `adapterSeed`.
    public static func loadModel(from url: URL, mode: FineTuningMode = .full, heads: Int? = nil,
                                 layout: CheckpointWeightLayout = .automatic, adapterSeed: UInt64 = 0) throws -> GPTModel {
        let file = try SafetensorsFile(contentsOf: url)
        let config = try configuration(of: file, heads: heads)
        let base = try loadBase(file, config: config, layout: layout)
        let model = try GPTModel(config: config, mode: mode, base: base, adapterSeed: adapterSeed)
        try loadAdapters(file, into: model, required: false)
        return model
    }

    /// Copies the adapters of `model`'s mode from `file`. With `required`, every adapter
    /// tensor must be present; otherwise absent adapters are left as they are.
    public static func loadAdapters(_ file: SafetensorsFile, into model: GPTModel, required: Bool = true) throws {
        guard let adapters = model.adapters else { return }
        for (index, t) in adapters.tensors.enumerated() {
            guard let info = file.tensors[t.name] else {
                if required { throw ModelError.missingTensor(t.name) }
                continue
            }
            guard info.shape == t.shape.dimensions else {
                throw ModelError.shapeMismatch(name: t.name, expected: t.shape.dimensions, found: info.shape)
            }
            file.read(info, into: adapters.view(index).pointer)
        }
    }

    /// Writes `model` atomically: base weights under GPT-2 names in Conv1D layout (a Hugging Face
    /// GPT-2 loader reads them), adapters under their own names, configuration in the metadata.
    public static func save(_ model: GPTModel, to url: URL, dtype: SafetensorsDType = .f32,
                            includeBase: Bool = true, includeAdapters: Bool = true) throws {
        var writer = SafetensorsWriter()
        let c = model.config
        writer.metadata = ["format": "pt", "n_head": "\(c.heads)", "n_layer": "\(c.depth)", "n_embd": "\(c.width)",
                           "n_positions": "\(c.contextLength)", "vocab_size": "\(c.vocabularySize)",
                           "zolab.mode": model.mode.description]
        var sets: [ParameterSet<Float>] = []
        if includeBase { sets.append(model.base) }
        if includeAdapters, let a = model.adapters { sets.append(a) }
        for set in sets {
            for (i, t) in set.tensors.enumerated() {
                try writer.add(t.name, shape: t.shape.dimensions, values: UnsafeBufferPointer(set.view(i).buffer), dtype: dtype)
            }
        }
        try writer.write(to: url)
    }

    // MARK: Names and layout

    /// Maps canonical names (no `transformer.` prefix) to stored names; returns unknown names.
    static func canonicalNames(_ file: SafetensorsFile) throws -> ([String: String], [String]) {
        var map: [String: String] = [:]
        var unknown: [String] = []
        for stored in file.names {
            let name = stored.hasPrefix("transformer.") ? String(stored.dropFirst("transformer.".count)) : stored
            if name == "lm_head.weight" || name.hasSuffix(".attn.bias") || name.hasSuffix(".attn.masked_bias") { continue }
            if isKnown(name) {
                if map[name] != nil { throw ModelError.incompatibleCheckpoint("tensor \"\(name)\" appears with and without the transformer. prefix") }
                map[name] = stored
            } else {
                unknown.append(stored)
            }
        }
        return (map, unknown)
    }

    static func isKnown(_ name: String) -> Bool {
        if GPTGlobalTensor.allCases.contains(where: { $0.rawValue == name }) { return true }
        let parts = name.split(separator: ".", maxSplits: 2)
        guard parts.count == 3, parts[0] == "h", Int(parts[1]) != nil else { return false }
        let rest = String(parts[2])
        return GPTLayerTensor(rawValue: rest) != nil || GPTAdapterTensor(rawValue: rest) != nil
    }

    /// Whether the projection weights must be transposed (stored [out, in]).
    static func resolveLayout(_ layout: CheckpointWeightLayout, file: SafetensorsFile, names: [String: String],
                              config: GPTConfig) throws -> Bool {
        switch layout {
        case .conv1D: return false
        case .linear: return true
        case .automatic:
            let name = GPTLayerTensor.attentionWeight.name(layer: 0)
            guard let info = names[name].flatMap({ file.tensors[$0] }) else { throw ModelError.missingTensor(name) }
            let C = config.width
            if info.shape == [C, 3 * C] { return false }
            if info.shape == [3 * C, C] { return true }
            throw ModelError.shapeMismatch(name: name, expected: [C, 3 * C], found: info.shape)
        }
    }
}
