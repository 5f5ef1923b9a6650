import Foundation

/// GPT-2's byte-level BPE (OpenAI's encoder.py): pre-tokenise (``GPT2PreTokenizer``), map each
/// pre-token's UTF-8 bytes to GPT-2's byte alphabet (``ByteUnicode``), then repeatedly merge the
/// adjacent pair with the lowest rank in merges.txt, and look the symbols up in vocab.json.
///
/// Loading validates: vocab.json is an object of token → distinct non-negative ids; every
/// merges.txt line (after an optional `#version` line; blank lines skipped) is two symbols
/// separated by one space, both symbols and their concatenation are in the vocabulary; the 256
/// byte symbols are in the vocabulary. Special tokens (e.g. "<|endoftext|>") are vocabulary
/// entries matched verbatim in the text before pre-tokenisation.
public final class BPETokenizer: Tokenizer, @unchecked Sendable {
    public let vocabulary: [String: Int]
    /// Pair → rank (line order in merges.txt, 0 first).
    let ranks: [Pair: Int]
    let idToToken: [Int: String]
    let specialIDs: [String: Int]
    public let vocabularySize: Int
    private var cache: [String: [Int]] = [:]
    private let lock = NSLock()

    struct Pair: Hashable {
        let first: String
        let second: String
    }

    /// Reads `vocab.json` and `merges.txt`. `specialTokens` must be vocabulary entries.
    public convenience init(vocabularyFile: URL, mergesFile: URL, specialTokens: [String] = ["<|endoftext|>"]) throws {
        let vocabData: Data, mergesText: String
        do { vocabData = try Data(contentsOf: vocabularyFile) } catch {
            throw TokenizerError.io(path: vocabularyFile.path, reason: error.localizedDescription)
        }
        do { mergesText = try String(contentsOf: mergesFile, encoding: .utf8) } catch {
            throw TokenizerError.io(path: mergesFile.path, reason: "cannot read as UTF-8 text (\(error.localizedDescription))")
        }
        try self.init(vocabularyJSON: vocabData, merges: mergesText,
                      specialTokens: specialTokens)
    }

    /// Builds from the contents of vocab.json and merges.txt. Special tokens absent from the
    /// vocabulary are ignored (GPT-2's "<|endoftext|>" is id 50256 when present).
    public init(vocabularyJSON: Data, merges: String, specialTokens: [String] = ["<|endoftext|>"]) throws {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: vocabularyJSON) } catch {
            throw TokenizerError.invalidVocabulary("not JSON (\(error.localizedDescription))")
        }
        guard let dict = object as? [String: Any] else { throw TokenizerError.invalidVocabulary("not a JSON object") }
        var vocab: [String: Int] = [:], inverse: [Int: String] = [:]
        for (token, value) in dict {
            guard let n = value as? NSNumber, String(cString: n.objCType) != "c", n.doubleValue == n.doubleValue.rounded(),
                  n.doubleValue >= 0, n.doubleValue < 1e9 else {
                throw TokenizerError.invalidVocabulary("the id of \"\(token)\" is not a non-negative integer")
            }
            let id = n.intValue
            if let other = inverse[id] { throw TokenizerError.invalidVocabulary("id \(id) is used by \"\(other)\" and \"\(token)\"") }
            vocab[token] = id
            inverse[id] = token
        }
        guard !vocab.isEmpty else { throw TokenizerError.invalidVocabulary("empty vocabulary") }
        let missing = ByteUnicode.byteToScalar.filter { vocab[String($0)] == nil }.count
        guard missing == 0 else { throw TokenizerError.incompleteByteAlphabet(missing: missing) }

        var ranks: [Pair: Int] = [:]
        var lineNumber = 0
        for rawLine in merges.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.isEmpty { continue }
            if lineNumber == 1 && line.hasPrefix("#version") { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw TokenizerError.invalidMerges(line: lineNumber, reason: "expected two symbols separated by one space, got \"\(line)\"")
            }
            let a = String(parts[0]), b = String(parts[1])
            guard vocab[a] != nil, vocab[b] != nil else {
                throw TokenizerError.invalidMerges(line: lineNumber, reason: "symbol \"\(vocab[a] == nil ? a : b)\" is not in the vocabulary")
            }
            guard vocab[a + b] != nil else {
                throw TokenizerError.invalidMerges(line: lineNumber, reason: "merged symbol \"\(a + b)\" is not in the vocabulary")
            }
            let pair = Pair(first: a, second: b)
            if ranks[pair] == nil { ranks[pair] = ranks.count }
        }
        var specials: [String: Int] = [:]
        for s in specialTokens where !s.isEmpty {
            if let id = vocab[s] { specials[s] = id }
        }
        self.vocabulary = vocab
        self.idToToken = inverse
        self.ranks = ranks
        self.specialIDs = specials
        self.vocabularySize = (inverse.keys.max() ?? -1) + 1
    }

    public func encode(_ text: String, allowSpecialTokens: Bool = true) throws -> [Int] {
        var out: [Int] = []
        for (segment, special) in (allowSpecialTokens ? splitOnSpecialTokens(text, specials: specialIDs) : [(text, nil)]) {
            if let special { out.append(special); continue }
            for word in GPT2PreTokenizer.split(segment) { out += try encodeWord(word) }
        }
        return out
    }

    /// The BPE ids of one pre-token (cached).
    func encodeWord(_ word: String) throws -> [Int] {
        lock.lock()
        if let hit = cache[word] { lock.unlock(); return hit }
        lock.unlock()
        var symbols = ByteUnicode.encode(word.utf8).unicodeScalars.map { String($0) }
        while symbols.count > 1 {
            var best = Int.max, at = -1
            for i in 0..<(symbols.count - 1) {
                if let r = ranks[Pair(first: symbols[i], second: symbols[i + 1])], r < best { best = r; at = i }
            }
            guard at >= 0 else { break }
            // Merge every occurrence of the best pair, left to right (as encoder.py does).
            let a = symbols[at], b = symbols[at + 1]
            var merged: [String] = []
            merged.reserveCapacity(symbols.count)
            var i = 0
            while i < symbols.count {
                if i + 1 < symbols.count && symbols[i] == a && symbols[i + 1] == b {
                    merged.append(a + b)
                    i += 2
                } else {
                    merged.append(symbols[i])
                    i += 1
                }
            }
            symbols = merged
        }
        let ids = try symbols.map { s -> Int in
            guard let id = vocabulary[s] else { throw TokenizerError.unknownToken(s) }
            return id
        }
        lock.lock()
        if cache.count < 1 << 16 { cache[word] = ids }
        lock.unlock()
        return ids
    }

    public func decode(_ ids: [Int]) throws -> String {
        var bytes: [UInt8] = []
        for id in ids {
            guard let token = idToToken[id] else { throw TokenizerError.unknownID(id) }
            if specialIDs[token] != nil {
                bytes += Array(token.utf8)
                continue
            }
            for scalar in token.unicodeScalars {
                if let b = ByteUnicode.scalarToByte[scalar] { bytes.append(b) } else { bytes += Array(String(scalar).utf8) }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
