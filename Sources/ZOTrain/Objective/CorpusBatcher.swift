import ZOModel

/// Next-token batches from a corpus of documents for pre-training.
///
/// Documents are UTF-8 bytes joined by "\n". Row b of batch t starts at the beginning of a
/// document drawn by Philox(seed, stream t) and runs on through the following documents
/// until it holds T + 1 tokens — so every row starts at a document boundary, as the prompts
/// of fine-tuning do, and batch t is a pure function of (seed, t).
public struct CorpusBatcher: Sendable {
    /// All documents, each followed by "\n", concatenated.
    public let stream: [Int32]
    /// Offset of each document in `stream`.
    public let starts: [Int]
    public let batchSize: Int
    /// T (inputs per row).
    public let length: Int
    public let seed: UInt64

    public init(documents: [String], tokenizer: any Tokenizer, batchSize: Int, length: Int, seed: UInt64) throws {
        guard batchSize >= 1, length >= 1 else { throw TrainError.invalidSetting("batch size and length must be ≥ 1") }
        var stream: [Int32] = [], starts: [Int] = []
        for d in documents {
            starts.append(stream.count)
            stream += try tokenizer.encode(d + "\n", allowSpecialTokens: false).map(Int32.init)
        }
        guard stream.count > length + 1 else { throw TrainError.invalidSetting("the corpus holds fewer than T + 1 = \(length + 1) tokens") }
        self.stream = stream
        self.starts = starts
        self.batchSize = batchSize
        self.length = length
        self.seed = seed
    }

    /// Tokens in the corpus.
    public var tokenCount: Int { stream.count }

    /// Batch `t`.
    public func batch(_ t: Int) -> TokenBatch {
        var draws = SeededDraws(seed: seed, stream: 0x636f_7270_7573_0000 &+ UInt64(bitPattern: Int64(t)))
        var tokens: [Int32] = [], targets: [Int32] = []
        tokens.reserveCapacity(batchSize * length)
        targets.reserveCapacity(batchSize * length)
        for _ in 0..<batchSize {
            var start = starts[draws.index(below: starts.count)]
            if start + length + 1 > stream.count { start = stream.count - length - 1 }
            tokens += stream[start..<(start + length)]
            targets += stream[(start + 1)..<(start + length + 1)]
        }
        return try! TokenBatch(batchSize: batchSize, length: length, tokens: tokens, targets: targets)
    }
}
