/// Which parameters a ``GPTModel`` trains (seed 004 §4, MeZO).
///
/// - `full`: every base weight is trainable; ``GPTModel/trainable`` *is* the base set.
/// - `lora`: LoRA adapters on the query and value projections of every layer
///   (Hu et al. 2021): q += (α/r)·(x·A_q)·B_q and v += (α/r)·(x·A_v)·B_v with
///   A: [C, r] Kaiming-uniform (bound 1/√C, PyTorch's `kaiming_uniform_(a=√5)`), B: [r, C] zero,
///   so a fresh adapter leaves the model unchanged. The base weights are frozen, in their own slab.
/// - `prefix`: prefix-tuning (Li & Liang 2021) with P trainable key and value vectors per layer,
///   [P, C] each (all heads), prepended to every sequence's keys and values; every query attends
///   to all P prefix slots plus the causal past. No reparametrisation MLP (as in MeZO's code).
public enum FineTuningMode: Hashable, Codable, Sendable, CustomStringConvertible {
    case full
    case lora(rank: Int, alpha: Float)
    case prefix(tokens: Int)

    /// MeZO's LoRA defaults: r = 8, α = 16.
    public static let loraDefault = FineTuningMode.lora(rank: 8, alpha: 16)
    /// MeZO's prefix default: 5 tokens.
    public static let prefixDefault = FineTuningMode.prefix(tokens: 5)

    /// P: prefix tokens (0 unless `prefix`).
    public var prefixTokens: Int {
        if case .prefix(let k) = self { return k }
        return 0
    }

    /// r (0 unless `lora`).
    public var loraRank: Int {
        if case .lora(let r, _) = self { return r }
        return 0
    }

    /// α / r (0 unless `lora`).
    public var loraScale: Float {
        if case .lora(let r, let alpha) = self { return alpha / Float(r) }
        return 0
    }

    func validate(width: Int) throws {
        switch self {
        case .full: return
        case .lora(let r, let alpha):
            guard r > 0 && r <= width else { throw ModelError.invalidConfiguration("LoRA rank must be in 1…\(width) (got \(r))") }
            guard alpha.isFinite else { throw ModelError.invalidConfiguration("LoRA alpha must be finite") }
        case .prefix(let k):
            guard k > 0 && k <= 4096 else { throw ModelError.invalidConfiguration("prefix tokens must be in 1…4096 (got \(k))") }
        }
    }

    public var description: String {
        switch self {
        case .full: return "full"
        case .lora(let r, let alpha): return "LoRA(r \(r), α \(alpha))"
        case .prefix(let k): return "prefix(\(k) tokens)"
        }
    }
}
