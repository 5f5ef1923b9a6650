/// Byte-level tokenizer: ids 0…255 are the UTF-8 bytes of the text; special tokens (e.g.
/// "<|endoftext|>") get ids 256, 257, … in the order given.
public struct ByteTokenizer: Tokenizer, Equatable {
    public let specialTokens: [String]
    private let specialIDs: [String: Int]

    public init(specialTokens: [String] = []) throws {
        var ids: [String: Int] = [:]
        for (i, s) in specialTokens.enumerated() {
            guard !s.isEmpty else { throw TokenizerError.invalidSpecialToken("empty string") }
            guard ids[s] == nil else { throw TokenizerError.invalidSpecialToken("\"\(s)\" given twice") }
            ids[s] = 256 + i
        }
        self.specialTokens = specialTokens
        specialIDs = ids
    }

    public var vocabularySize: Int { 256 + specialTokens.count }

    public func encode(_ text: String, allowSpecialTokens: Bool = true) throws -> [Int] {
        let pieces = allowSpecialTokens ? splitOnSpecialTokens(text, specials: specialIDs) : [(text, nil)]
        var out: [Int] = []
        for (segment, id) in pieces {
            if let id { out.append(id) } else { out += segment.utf8.map { Int($0) } }
        }
        return out
    }

    public func decode(_ ids: [Int]) throws -> String {
        var bytes: [UInt8] = []
        var text = ""
        for id in ids {
            guard id >= 0 && id < vocabularySize else { throw TokenizerError.unknownID(id) }
            if id < 256 {
                bytes.append(UInt8(id))
            } else {
                text += String(decoding: bytes, as: UTF8.self)
                bytes.removeAll()
                text += specialTokens[id - 256]
            }
        }
        return text + String(decoding: bytes, as: UTF8.self)
    }
}
