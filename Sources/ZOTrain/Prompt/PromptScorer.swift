import ZOModel

/// Scores examples with a model: one inference pass per chunk of examples (B·K sequences).
public struct PromptScorer: Sendable {
    public let encoder: PromptEncoder

    public init(encoder: PromptEncoder) { self.encoder = encoder }

    /// s[i][k] from the per-position NLLs of one inference pass over `encoded`.
    public static func scores(model: GPTModel, encoded: PromptEncoder.Encoded) throws -> PromptScores {
        let nll = try model.positionLosses(encoded.batch)
        return scores(nll: nll, encoded: encoded)
    }

    /// s[i][k] = −(1/n_k) Σ nll over the rows' target positions (n_k = number of targets).
    static func scores(nll: [Float], encoded: PromptEncoder.Encoded) -> PromptScores {
        let T = encoded.batch.length, K = encoded.classes
        var scores: [[Double]] = []
        scores.reserveCapacity(encoded.examples)
        for i in 0..<encoded.examples {
            var s = [Double](repeating: 0, count: K)
            for k in 0..<K {
                let row = encoded.row(example: i, class: k) * T
                var total = 0.0, n = 0
                for t in 0..<T where encoded.batch.targets[row + t] >= 0 {
                    total += Double(nll[row + t])
                    n += 1
                }
                s[k] = -total / Double(max(n, 1))
            }
            scores.append(s)
        }
        return PromptScores(scores: scores, labels: encoded.labels)
    }

    /// Scores of all `examples`, `chunk` examples per pass.
    public func scores(model: GPTModel, examples: [LabeledExample], chunk: Int) throws -> PromptScores {
        var all = PromptScores(scores: [], labels: [])
        var start = 0
        while start < examples.count {
            let part = Array(examples[start..<min(start + chunk, examples.count)])
            all = all + (try Self.scores(model: model, encoded: try encoder.encode(part)))
            start += chunk
        }
        return all
    }
}
