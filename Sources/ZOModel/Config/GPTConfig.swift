/// The shape of a GPT-2-style transformer (nanoGPT's `GPTConfig`).
///
/// Dimension names used throughout ZOModel (llm.c's):
/// - `B` batch size (sequences), `T` sequence length (≤ ``contextLength``),
/// - `C` ``width`` (channels), `NH` ``heads``, `hs = C / NH` head size,
/// - `V` ``vocabularySize``, `L` ``depth`` (layers), `P` prefix tokens (prefix-tuning).
public struct GPTConfig: Hashable, Codable, Sendable, CustomStringConvertible {
    /// V: token ids are in `0..<vocabularySize`. GPT-2: 50257.
    public var vocabularySize: Int
    /// Maximum sequence length T (rows of the position table). GPT-2: 1024.
    public var contextLength: Int
    /// C: the residual stream width. GPT-2 small: 768.
    public var width: Int
    /// L: number of transformer blocks. GPT-2 small: 12.
    public var depth: Int
    /// NH: attention heads; must divide `width`. GPT-2 small: 12.
    public var heads: Int
    /// LayerNorm epsilon (GPT-2: 1e-5).
    public var layerNormEpsilon: Float

    public init(vocabularySize: Int, contextLength: Int, width: Int, depth: Int, heads: Int,
                layerNormEpsilon: Float = 1e-5) {
        self.vocabularySize = vocabularySize
        self.contextLength = contextLength
        self.width = width
        self.depth = depth
        self.heads = heads
        self.layerNormEpsilon = layerNormEpsilon
    }

    /// hs: channels per head.
    public var headSize: Int { width / heads }

    /// Parameters of the base model (tied embeddings counted once).
    public var parameterCount: Int {
        let c = width
        let perLayer = 2 * c + (c * 3 * c + 3 * c) + (c * c + c) + 2 * c + (c * 4 * c + 4 * c) + (4 * c * c + c)
        return vocabularySize * c + contextLength * c + depth * perLayer + 2 * c
    }

    /// Throws ``ModelError/invalidConfiguration(_:)`` unless every dimension is positive,
    /// `heads` divides `width`, and the parameter count fits in memory-sized integers.
    public func validate() throws {
        func fail(_ why: String) -> ModelError { .invalidConfiguration(why) }
        guard vocabularySize > 0 else { throw fail("vocabularySize must be > 0 (got \(vocabularySize))") }
        guard contextLength > 0 else { throw fail("contextLength must be > 0 (got \(contextLength))") }
        guard width > 0 else { throw fail("width must be > 0 (got \(width))") }
        guard depth > 0 else { throw fail("depth must be > 0 (got \(depth))") }
        guard heads > 0 else { throw fail("heads must be > 0 (got \(heads))") }
        guard width % heads == 0 else { throw fail("heads (\(heads)) must divide width (\(width))") }
        guard layerNormEpsilon > 0, layerNormEpsilon.isFinite else { throw fail("layerNormEpsilon must be positive") }
        guard width <= 1 << 16, vocabularySize <= 1 << 24, contextLength <= 1 << 20, depth <= 1024 else {
            throw fail("dimensions are unreasonably large")
        }
    }

    /// GPT-2 small: 124 M parameters.
    public static let gpt2Small = GPTConfig(vocabularySize: 50257, contextLength: 1024, width: 768, depth: 12, heads: 12)

    /// The benchmark's small byte-level model: d 256, 4 layers, 4 heads, context 128, V 256.
    public static let byteSmall = GPTConfig(vocabularySize: 256, contextLength: 128, width: 256, depth: 4, heads: 4)

    /// A tiny model for tests: d 16, 2 layers, 2 heads, context 8, V 32.
    public static let tiny = GPTConfig(vocabularySize: 32, contextLength: 8, width: 16, depth: 2, heads: 2)

    public var description: String {
        "GPT(V \(vocabularySize), T≤\(contextLength), C \(width), L \(depth), NH \(heads); \(parameterCount) parameters)"
    }
}
