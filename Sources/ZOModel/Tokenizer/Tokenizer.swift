/// Text ↔ token ids.
public protocol Tokenizer: Sendable {
    /// Number of ids (ids are `0..<vocabularySize`).
    var vocabularySize: Int { get }
    /// The ids of `text`. Special-token strings in `text` map to their ids when
    /// `allowSpecialTokens` is true, else they are encoded as ordinary text.
    func encode(_ text: String, allowSpecialTokens: Bool) throws -> [Int]
    /// The text of `ids`; byte sequences that are not valid UTF-8 decode to U+FFFD.
    /// Throws ``TokenizerError/unknownID(_:)`` for ids outside the vocabulary.
    func decode(_ ids: [Int]) throws -> String
}

extension Tokenizer {
    public func encode(_ text: String) throws -> [Int] { try encode(text, allowSpecialTokens: true) }
}

/// Errors from loading tokenizer files or encoding/decoding.
public enum TokenizerError: Error, Equatable, CustomStringConvertible {
    case io(path: String, reason: String)
    /// vocab.json is not a JSON object of token → non-negative integer id, or ids collide.
    case invalidVocabulary(String)
    /// merges.txt line `line` (1-based) is malformed.
    case invalidMerges(line: Int, reason: String)
    /// The vocabulary lacks some of the 256 byte symbols, so some text could not be encoded.
    case incompleteByteAlphabet(missing: Int)
    /// An id outside the vocabulary was given to `decode`.
    case unknownID(Int)
    /// A BPE result has no id (cannot happen with a validated vocabulary; kept for safety).
    case unknownToken(String)
    /// A special token is empty, duplicated or collides with an ordinary token.
    case invalidSpecialToken(String)

    public var description: String {
        switch self {
        case .io(let path, let reason): return "\(path): \(reason)"
        case .invalidVocabulary(let why): return "invalid vocab.json: \(why)"
        case .invalidMerges(let line, let why): return "invalid merges.txt line \(line): \(why)"
        case .incompleteByteAlphabet(let n): return "the vocabulary lacks \(n) of the 256 byte symbols of GPT-2's byte-level alphabet"
        case .unknownID(let id): return "token id \(id) is not in the vocabulary"
        case .unknownToken(let t): return "token \"\(t)\" is not in the vocabulary"
        case .invalidSpecialToken(let why): return "invalid special token: \(why)"
        }
    }
}

/// Splits `text` around occurrences of `specials` (longest match first at each position),
/// returning (segment, special id or nil) pieces in order.
func splitOnSpecialTokens(_ text: String, specials: [String: Int]) -> [(String, Int?)] {
    guard !specials.isEmpty else { return [(text, nil)] }
    let sorted = specials.keys.sorted { $0.count > $1.count }
    var pieces: [(String, Int?)] = []
    var current = ""
    var index = text.startIndex
    outer: while index < text.endIndex {
        for s in sorted where text[index...].hasPrefix(s) {
            if !current.isEmpty { pieces.append((current, nil)); current = "" }
            pieces.append((s, specials[s]))
            index = text.index(index, offsetBy: s.count)
            continue outer
        }
        current.append(text[index])
        index = text.index(after: index)
    }
    if !current.isEmpty { pieces.append((current, nil)) }
    return pieces
}
