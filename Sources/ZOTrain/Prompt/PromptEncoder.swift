import ZOModel

/// Turns classification examples into token batches for label-word scoring.
///
/// Example i with K labels becomes K sequences `prompt ++ labelWord_k`; sequence (i, k) is row
/// `i·K + k` of the batch. Inputs are the sequence without its last token; targets are −1
/// (masked) except at the label word's positions, where they are the label word's tokens, so
/// one inference pass gives log p(word_k | prompt) token by token. Every batch is padded on the
/// right to one fixed length T (causal attention: padding after a sequence cannot change its
/// scores), so all batches share one activation workspace. A prompt longer than T − |word|
/// loses tokens from its *left* (MeZO's truncation); ``truncatedCount(_:)`` counts how often.
public struct PromptEncoder: Sendable {
    public let task: PromptTask
    public let tokenizer: any Tokenizer
    /// The label words' token ids.
    public let labelTokens: [[Int]]
    /// T: every batch's length (inputs per sequence).
    public let length: Int
    /// Token id used for padding (its positions are masked).
    public let paddingToken: Int

    /// - Parameter length: T; nil = the longest prompt + label word among `examples` (minus
    ///   one), capped at `contextLength`.
    public init(task: PromptTask, tokenizer: any Tokenizer, contextLength: Int, examples: [LabeledExample] = [],
                length: Int? = nil) throws {
        self.task = task
        self.tokenizer = tokenizer
        labelTokens = try task.labelWords.map { try tokenizer.encode($0, allowSpecialTokens: false) }
        guard labelTokens.allSatisfy({ !$0.isEmpty }) else { throw TrainError.invalidSetting("label words must not be empty") }
        let longestWord = labelTokens.map(\.count).max()!
        var T = length ?? 1
        if length == nil {
            for e in examples {
                let n = try tokenizer.encode(task.prompt(for: e), allowSpecialTokens: false).count
                T = max(T, n + longestWord - 1)
            }
        }
        T = min(T, contextLength)
        guard T >= longestWord + 1 else {
            throw TrainError.invalidSetting("context length \(contextLength) is too short for the label words of \(task.name)")
        }
        self.length = T
        paddingToken = 0
    }

    /// How many of `examples` lose prompt tokens to truncation (for the longest label word).
    public func truncatedCount(_ examples: [LabeledExample]) throws -> Int {
        let room = length + 1 - (labelTokens.map(\.count).max() ?? 1)
        return try examples.filter { try tokenizer.encode(task.prompt(for: $0), allowSpecialTokens: false).count > room }.count
    }

    /// One encoded chunk of examples.
    public struct Encoded: Sendable {
        public let batch: TokenBatch
        /// B: examples (the batch has B·K sequences).
        public let examples: Int
        /// K.
        public let classes: Int
        /// Labels of the examples.
        public let labels: [Int]
        /// Prompts that lost tokens on the left.
        public let truncated: Int

        /// The row of (example, class).
        public func row(example i: Int, class k: Int) -> Int { i * classes + k }
    }

    /// Encodes `examples` as one batch of B·K sequences of length T.
    public func encode(_ examples: [LabeledExample]) throws -> Encoded {
        let K = task.classCount, T = length
        var tokens = [Int32](repeating: Int32(paddingToken), count: examples.count * K * T)
        var targets = [Int32](repeating: -1, count: examples.count * K * T)
        var truncated = 0
        for (i, e) in examples.enumerated() {
            var prompt = try tokenizer.encode(task.prompt(for: e), allowSpecialTokens: false)
            for k in 0..<K {
                let word = labelTokens[k]
                let room = T + 1 - word.count
                var p = prompt
                if p.count > room { p = Array(p.suffix(room)); if k == 0 { truncated += 1 } }
                guard !p.isEmpty else { throw TrainError.invalidSetting("no room for a prompt before the label word") }
                let sequence = p + word            // n ≤ T + 1 tokens
                let row = (i * K + k) * T
                for t in 0..<(sequence.count - 1) {
                    tokens[row + t] = Int32(sequence[t])
                    if t >= p.count - 1 { targets[row + t] = Int32(sequence[t + 1]) }
                }
            }
            prompt.removeAll()
        }
        let batch = try TokenBatch(batchSize: examples.count * K, length: T, tokens: tokens, targets: targets)
        return Encoded(batch: batch, examples: examples.count, classes: K, labels: examples.map(\.label), truncated: truncated)
    }
}
