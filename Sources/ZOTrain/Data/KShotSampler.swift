/// Few-shot sampling as in LM-BFF / MeZO: k examples per class from the training split,
/// drawn without replacement by a seeded shuffle of each class's examples (file order in,
/// so the same file and seed give the same sample on every machine), then interleaved in a
/// seeded order. Subsets for evaluation (`first(n:)`) are likewise seeded.
public enum KShotSampler {
    /// k examples of every class (class-balanced). Throws when a class has fewer than k.
    public static func sample(_ examples: [LabeledExample], classes: Int, perClass k: Int, seed: UInt64) throws -> [LabeledExample] {
        guard k >= 1 else { throw DatasetError.invalidSample("k must be ≥ 1 (got \(k))") }
        var byClass = [[LabeledExample]](repeating: [], count: classes)
        for e in examples { byClass[e.label].append(e) }
        var chosen: [LabeledExample] = []
        for c in 0..<classes {
            guard byClass[c].count >= k else {
                throw DatasetError.invalidSample("class \(c) has \(byClass[c].count) training examples, fewer than k = \(k)")
            }
            var draws = SeededDraws(seed: seed, stream: 0x6b73_686f_7400 + UInt64(c))   // "kshot" + class
            draws.shuffle(&byClass[c])
            chosen += byClass[c].prefix(k)
        }
        var order = SeededDraws(seed: seed, stream: 0x6b73_686f_74ff)
        order.shuffle(&chosen)
        return chosen
    }

    /// A seeded uniform subset of `n` examples (all of them, in file order, when n ≤ 0 or
    /// n ≥ count).
    public static func subset(_ examples: [LabeledExample], count n: Int, seed: UInt64, stream: UInt64) -> [LabeledExample] {
        guard n > 0 && n < examples.count else { return examples }
        var draws = SeededDraws(seed: seed, stream: stream)
        let picked = draws.permutation(examples.count).prefix(n).sorted()
        return picked.map { examples[$0] }
    }
}
