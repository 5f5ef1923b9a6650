/// The documented per-method fine-tuning settings on the synthetic tasks with the committed
/// pre-trained model, per mode. Full mode: learning rates chosen by the grid of
/// `scripts/lr_grid.sh` on the sst2 dev split (seed 0), halved where the best was the largest
/// value tried (the grid's 250-step horizon is shorter than the 600-step runs: MeZO at the
/// grid's best 2e-4 fell to chance by step 600). LoRA: see ``lora``. Prefix: see ``prefix``. Other options as stated in docs/comparison.md. `zolab finetune`
/// starts from these; `--opt` overrides them.
public enum MethodDefaults {
    /// Optimizer options of `method` in `mode`.
    public static func options(for method: String, mode: String) -> [String: String] {
        switch mode {
        case "full": return full[method] ?? [:]
        case "lora": return lora[method] ?? [:]
        default: return prefix[method] ?? [:]
        }
    }

    /// The step budget of `method` in `mode` (zeroth-order methods take more, cheaper steps;
    /// in the adapter modes they get more of them, since their steps are no slower there).
    public static func steps(for method: String, mode: String = "full") -> Int? {
        if firstOrder.contains(method) { return firstOrderSteps }
        return mode == "full" ? zerothOrderSteps : zerothOrderAdapterSteps
    }

    /// Prefix-tuning: learning rates not tuned (the optimizers' own defaults). The only entry
    /// makes SubZero run at all: each layer's prefix K/V is [P, C] with P = 5 slots, smaller than
    /// SubZero's default rank 8, so its rank is capped at the matrix's smaller side.
    public static let prefix: [String: [String: String]] = [
        "subzero": ["cap-rank": "true"],
    ]

    public static let zerothOrderSteps = 600
    public static let zerothOrderAdapterSteps = 1500
    public static let firstOrderSteps = 200
    public static let firstOrder: Set<String> = ["sgd", "adam", "adamw", "bcd-adam"]

    /// Full-parameter fine-tuning (`scripts/lr_grid.sh`; docs/comparison.md, "Settings").
    public static let full: [String: [String: String]] = [
        "mezo": ["lr": "1e-4", "eps": "1e-3"],
        "hizoo": ["lr": "1e-4", "mu": "1e-3", "alpha": "1e-4"],
        "hizoo-l": ["lr": "1e-4", "mu": "1e-3", "alpha": "1e-4"],
        "sparse-mezo": ["lr": "2e-4", "eps": "1e-3", "sparsity": "0.75"],
        "subzero": ["lr": "1e-4", "eps": "1e-3", "rank": "8", "period": "100", "z-scale": "reference"],
        "b-pdf": ["lr": "2e-4", "mu": "1e-3", "alpha": "1e-4", "active-blocks": "2", "switch-interval": "50"],
        "zo-adam": ["lr": "1e-4", "eps": "1e-3"],
        "sgd": ["lr": "1e-3", "momentum": "0.9"],
        "adam": ["lr": "1e-4"],
    ]
    /// LoRA (rank 8 on the query and value projections, 16 384 trainable parameters): the seeded
    /// grid of `scripts/lr_grid_lora.sh` on the sst2 dev split (seed 0, 200 dev examples,
    /// 1500 / 200 steps; docs/comparison.md, "LoRA"). Zeroth order: 2/3 of the largest η that stayed stable over the grid run (MeZO
    /// at 5e-3 and ZO-Adam at 1e-3 blew up mid-run there, and MeZO at the grid's 3e-3 blew up on
    /// a comparison seed at step ≈ 1350). First order: the grid's best. Sparse MeZO recomputes τ
    /// every step and counts LoRA B's initial zeros as small (otherwise its mask on B is empty
    /// and nothing moves).
    public static let lora: [String: [String: String]] = [
        "mezo": ["lr": "2e-3", "eps": "1e-3"],
        "hizoo": ["lr": "2e-3", "mu": "1e-3", "alpha": "1e-4"],
        "hizoo-l": ["lr": "2e-3", "mu": "1e-3", "alpha": "1e-4"],
        "sparse-mezo": ["lr": "4e-3", "eps": "1e-3", "sparsity": "0.75", "threshold-refresh": "1", "zero-is-small": "true"],
        "subzero": ["lr": "2e-3", "eps": "1e-3", "rank": "4", "period": "100", "z-scale": "reference"],
        "b-pdf": ["lr": "3e-3", "mu": "1e-3", "alpha": "1e-4", "active-blocks": "2", "switch-interval": "50"],
        "zo-adam": ["lr": "2e-4", "eps": "1e-3"],
        "sgd": ["lr": "1e-2", "momentum": "0.9"],
        "adam": ["lr": "3e-3"],
    ]
}
