import ZOCore

/// The dimensions of one forward pass (llm.c's names).
struct PassDims: Equatable {
    /// B, T, C, NH, V; P prefix slots; r LoRA rank; R LM-head chunk rows.
    let B: Int, T: Int, C: Int, NH: Int, V: Int, P: Int, r: Int, R: Int
    var BT: Int { B * T }
    var Tk: Int { P + T }
    var attention: Attention.Shape { Attention.Shape(B: B, T: T, C: C, NH: NH, P: P) }

    init(config: GPTConfig, mode: FineTuningMode, B: Int, T: Int) {
        self.B = B
        self.T = T
        C = config.width
        NH = config.heads
        V = config.vocabularySize
        P = mode.prefixTokens
        r = mode.loraRank
        R = CrossEntropyHead.chunkRows(rows: B * T, vocabulary: config.vocabularySize)
    }
}

/// Named Float32 buffers in one slab: `copies` copies of every `Key` (e.g. one per layer).
final class BufferSet<Key: CaseIterable & RawRepresentable> where Key.RawValue == Int {
    let slab: Slab<Float>
    let copies: Int
    private let offsets: [Int]
    private let stride: Int

    init(copies: Int = 1, elements: (Key) -> Int) {
        var layout = SlabLayout()
        let keys = Array(Key.allCases)
        var offsets = [Int](repeating: 0, count: copies * keys.count)
        for c in 0..<copies {
            for k in keys { offsets[c * keys.count + k.rawValue] = layout.add("\(k)#\(c)", Shape([elements(k)])) }
        }
        self.copies = copies
        self.offsets = offsets
        self.stride = keys.count
        slab = Slab(count: layout.count)
    }

    @inline(__always)
    func callAsFunction(_ key: Key, _ copy: Int = 0) -> UnsafeMutablePointer<Float> {
        slab.base + offsets[copy * stride + key.rawValue]
    }

    var byteCount: Int { slab.byteCount }
}

/// Row buffers of the inference forward, reused by every layer (nothing is kept for
/// backward). Data-parallel workers own disjoint sequence ranges of each.
enum InferenceBuffer: Int, CaseIterable {
    case residual       // [B,T,C]   the residual stream x
    case normed         // [B,T,C]   LayerNorm output (ln_1, ln_2, ln_f in turn)
    case qkv            // [B,T,3C]
    case attention      // [B,T,C]   attention output (heads concatenated)
    case mlp            // [B,T,4C]  c_fc output, GELU in place
    case lora           // [B,T,r]   x·A of a LoRA adapter (r = 0 outside LoRA)
    case nll            // [B,T]     per-position negative log-likelihood

    func elements(_ d: PassDims) -> Int {
        switch self {
        case .residual, .normed, .attention: return d.BT * d.C
        case .qkv: return d.BT * 3 * d.C
        case .mlp: return d.BT * 4 * d.C
        case .lora: return d.BT * d.r
        case .nll: return d.BT
        }
    }
}

/// Per-worker scratch of the inference forward (one copy per data-parallel worker).
enum InferenceScratch: Int, CaseIterable {
    case scores         // [NH,T,P+T] one sequence's attention probabilities
    case logits         // [R,V]      one chunk of LM-head logits (R for the largest worker)

    func elements(_ d: PassDims) -> Int {
        switch self {
        case .scores: return d.NH * d.T * d.Tk
        case .logits: return d.R * d.V
        }
    }
}

/// Activations one layer keeps for backward (one copy per layer).
enum LayerActivation: Int, CaseIterable {
    case ln1            // [B,T,C]
    case ln1Mean        // [B,T]
    case ln1Rstd        // [B,T]
    case qkv            // [B,T,3C]
    case loraQuery      // [B,T,r]  ln1·A_q
    case loraValue      // [B,T,r]  ln1·A_v
    case att            // [B,NH,T,P+T] attention probabilities
    case atty           // [B,T,C]  attention output before c_proj
    case residual2      // [B,T,C]  x + attn(x)
    case ln2            // [B,T,C]
    case ln2Mean        // [B,T]
    case ln2Rstd        // [B,T]
    case fch            // [B,T,4C] c_fc output (pre-GELU)
    case fchGelu        // [B,T,4C]
    case residual3      // [B,T,C]  the layer's output

    func elements(_ d: PassDims) -> Int {
        switch self {
        case .ln1, .atty, .residual2, .ln2, .residual3: return d.BT * d.C
        case .ln1Mean, .ln1Rstd, .ln2Mean, .ln2Rstd: return d.BT
        case .qkv: return d.BT * 3 * d.C
        case .loraQuery, .loraValue: return d.BT * d.r
        case .att: return d.B * d.NH * d.T * d.Tk
        case .fch, .fchGelu: return d.BT * 4 * d.C
        }
    }
}

/// Model-level activations and backward scratch of a training pass.
enum TrainingBuffer: Int, CaseIterable {
    case encoded        // [B,T,C]  wte[tokens] + wpe
    case lnf            // [B,T,C]
    case lnfMean        // [B,T]
    case lnfRstd        // [B,T]
    case lse            // [B,T]    log-sum-exp of each logits row
    case nll            // [B,T]
    case rowWeights     // [B,T]    ∂loss/∂nll per position
    case dresidual      // [B,T,C]  ∂loss/∂(residual stream), walked backwards
    case dnormed        // [B,T,C]
    case dqkv           // [B,T,3C]
    case datty          // [B,T,C]
    case dfch           // [B,T,4C]
    case dfchGelu       // [B,T,4C]
    case dlora          // [B,T,r]
    case dscores        // [T,P+T]  one head's ∂/∂scores

    func elements(_ d: PassDims) -> Int {
        switch self {
        case .encoded, .lnf, .dresidual, .dnormed, .datty: return d.BT * d.C
        case .lnfMean, .lnfRstd, .lse, .nll, .rowWeights: return d.BT
        case .dqkv: return d.BT * 3 * d.C
        case .dfch, .dfchGelu: return d.BT * 4 * d.C
        case .dlora: return d.BT * d.r
        case .dscores: return d.T * d.Tk
        }
    }
}

/// The buffers of one inference pass shape: row buffers for the whole batch, scratch per
/// worker (workers = min(cores, B); each runs whole sequences, see ``Work/dataParallel``).
final class InferenceWorkspace {
    let dims: PassDims
    let workers: Int
    /// Dimensions of the largest worker's slice (B = ⌈B/workers⌉).
    let workerDims: PassDims
    let buffers: BufferSet<InferenceBuffer>
    let scratch: BufferSet<InferenceScratch>
    init(_ d: PassDims, config: GPTConfig, mode: FineTuningMode, workers: Int) {
        dims = d
        self.workers = max(1, min(workers, d.B))
        workerDims = PassDims(config: config, mode: mode, B: (d.B + self.workers - 1) / self.workers, T: d.T)
        buffers = BufferSet { $0.elements(d) }
        let wd = workerDims
        scratch = BufferSet(copies: self.workers) { $0.elements(wd) }
    }
    var byteCount: Int { buffers.byteCount + scratch.byteCount }
}

/// LM-head logits chunks of a training pass: one [R,V] per data-parallel worker in the forward;
/// backward (not data-parallel) uses copy 0. R is the chunk for all B·T rows, enough for any worker.
enum TrainingScratch: Int, CaseIterable {
    case logits         // [R,V]

    func elements(_ d: PassDims) -> Int { d.R * d.V }
}

/// The activations and scratch of one training pass shape.
final class TrainingWorkspace {
    let dims: PassDims
    let workers: Int
    let layers: BufferSet<LayerActivation>
    let buffers: BufferSet<TrainingBuffer>
    let scratch: BufferSet<TrainingScratch>
    /// Whether `layers`/`buffers` hold a completed forward for the current parameters.
    var forwardDone = false
    init(_ d: PassDims, depth: Int, workers: Int) {
        dims = d
        self.workers = max(1, min(workers, d.B))
        layers = BufferSet(copies: depth) { $0.elements(d) }
        buffers = BufferSet { $0.elements(d) }
        scratch = BufferSet(copies: self.workers) { $0.elements(d) }
    }
    var byteCount: Int { layers.byteCount + buffers.byteCount + scratch.byteCount }
}
