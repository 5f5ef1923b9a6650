/// A batch of B token sequences of equal length T, with next-token targets and optional
/// per-position loss weights.
///
/// The loss of a batch is the weighted mean Σ w·nll / Σ w over positions whose target is
/// ≥ 0 (a negative target masks its position, like PyTorch's `ignore_index`); without
/// weights every unmasked position has weight 1 (the usual mean cross-entropy).
public struct TokenBatch: Sendable, Equatable {
    /// B.
    public let batchSize: Int
    /// T.
    public let length: Int
    /// tokens[B,T], row-major.
    public var tokens: [Int32]
    /// targets[B,T]: the token to predict at each position; negative = no loss there.
    public var targets: [Int32]
    /// weights[B,T] (finite, ≥ 0), or nil for all ones.
    public var weights: [Float]?

    /// Checks the array sizes (not the token range: the model does, against its vocabulary).
    public init(batchSize: Int, length: Int, tokens: [Int32], targets: [Int32], weights: [Float]? = nil) throws {
        guard batchSize > 0, length > 0 else { throw ModelError.invalidBatch("B and T must be > 0 (got \(batchSize), \(length))") }
        let n = batchSize * length
        guard tokens.count == n else { throw ModelError.invalidBatch("tokens has \(tokens.count) ids, expected B·T = \(n)") }
        guard targets.count == n else { throw ModelError.invalidBatch("targets has \(targets.count) ids, expected B·T = \(n)") }
        if let weights {
            guard weights.count == n else { throw ModelError.invalidBatch("weights has \(weights.count) values, expected B·T = \(n)") }
            guard weights.allSatisfy({ $0.isFinite && $0 >= 0 }) else { throw ModelError.invalidBatch("weights must be finite and ≥ 0") }
        }
        self.batchSize = batchSize
        self.length = length
        self.tokens = tokens
        self.targets = targets
        self.weights = weights
    }

    /// Next-token prediction on `sequences`, each of T + 1 tokens: inputs are the first T,
    /// targets the last T.
    public static func nextToken(_ sequences: [[Int]]) throws -> TokenBatch {
        guard let first = sequences.first, first.count >= 2 else {
            throw ModelError.invalidBatch("need at least one sequence of ≥ 2 tokens")
        }
        guard sequences.allSatisfy({ $0.count == first.count }) else {
            throw ModelError.invalidBatch("sequences must have equal lengths")
        }
        let T = first.count - 1
        var tokens: [Int32] = [], targets: [Int32] = []
        tokens.reserveCapacity(sequences.count * T)
        targets.reserveCapacity(sequences.count * T)
        for s in sequences {
            guard s.allSatisfy({ $0 >= 0 && $0 <= Int(Int32.max) }) else { throw ModelError.invalidBatch("token ids must be ≥ 0") }
            tokens += s.dropLast().map { Int32($0) }
            targets += s.dropFirst().map { Int32($0) }
        }
        return try TokenBatch(batchSize: sequences.count, length: T, tokens: tokens, targets: targets)
    }

    /// Positions: B·T.
    public var positions: Int { batchSize * length }
}

/// "The log-probability of `token` as the prediction made at (`sequence`, `position`)":
/// log p(token | tokens[sequence, 0...position]). Used for label-word scoring.
public struct TargetQuery: Hashable, Sendable {
    public var sequence: Int
    public var position: Int
    public var token: Int

    public init(sequence: Int, position: Int, token: Int) {
        self.sequence = sequence
        self.position = position
        self.token = token
    }
}
