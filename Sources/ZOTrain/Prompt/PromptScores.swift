import Foundation

/// Label-word scores of a set of examples and the quantities computed from them.
///
/// s[i][k] = (1/|w_k|) Σ_t log p(w_k,t | prompt_i, w_k,<t): the length-normalised
/// log-probability of label word k after example i's prompt (MeZO's classification scoring).
/// The classification loss is the cross-entropy of softmax_k(s[i]) against the label
/// (MeZO's `--train_as_classification`), averaged over examples; predictions are argmax_k s
/// (ties → the lower label index).
public struct PromptScores: Sendable, Equatable {
    public var scores: [[Double]]
    public var labels: [Int]

    public init(scores: [[Double]], labels: [Int]) {
        precondition(scores.count == labels.count)
        self.scores = scores
        self.labels = labels
    }

    public var count: Int { scores.count }

    /// softmax(s[i]) for each example (max-shifted).
    public var probabilities: [[Double]] {
        scores.map { s in
            let m = s.max() ?? 0
            let e = s.map { Foundation.exp($0 - m) }
            let z = e.reduce(0, +)
            return e.map { $0 / z }
        }
    }

    /// −log softmax(s[i])[y_i] for each example (log-sum-exp, max-shifted).
    public var crossEntropies: [Double] {
        zip(scores, labels).map { s, y in
            let m = s.max() ?? 0
            let lse = m + Foundation.log(s.reduce(0) { $0 + Foundation.exp($1 - m) })
            return lse - s[y]
        }
    }

    /// Mean cross-entropy.
    public var crossEntropy: Double { crossEntropies.reduce(0, +) / Double(max(count, 1)) }

    public var predictions: [Int] {
        scores.map { s in s.indices.max { s[$0] < s[$1] || (s[$0] == s[$1] && $0 > $1) } ?? 0 }
    }

    public var correct: Int { zip(predictions, labels).filter { $0 == $1 }.count }

    public var accuracy: Double { Double(correct) / Double(max(count, 1)) }

    /// Macro-averaged F1 over the `classes` labels (a class with no predictions and no
    /// examples counts F1 = 1; with examples but no correct predictions, 0). For two classes
    /// this is the mean of the two classes' F1.
    public func macroF1(classes: Int) -> Double {
        let p = predictions
        var f1 = 0.0
        for c in 0..<classes {
            var tp = 0, fp = 0, fn = 0
            for (pred, y) in zip(p, labels) {
                if pred == c && y == c { tp += 1 } else if pred == c { fp += 1 } else if y == c { fn += 1 }
            }
            f1 += tp + fp + fn == 0 ? 1 : Double(2 * tp) / Double(2 * tp + fp + fn)
        }
        return f1 / Double(classes)
    }

    /// Concatenation (chunks of one evaluation).
    public static func + (a: PromptScores, b: PromptScores) -> PromptScores {
        PromptScores(scores: a.scores + b.scores, labels: a.labels + b.labels)
    }
}
