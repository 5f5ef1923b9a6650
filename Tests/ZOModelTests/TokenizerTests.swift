import Foundation
import Testing
@testable import ZOModel

@Suite("Tokenizers: byte-level and GPT-2 BPE")
struct TokenizerTests {
    @Test func byteTokenizer() throws {
        let t = try ByteTokenizer(specialTokens: ["<|endoftext|>", "<pad>"])
        #expect(t.vocabularySize == 258)
        #expect(try t.encode("hé") == [104, 195, 169])
        #expect(try t.encode("a<|endoftext|>b") == [97, 256, 98])
        #expect(try t.encode("a<|endoftext|>b", allowSpecialTokens: false).count == 15)
        #expect(try t.decode([97, 257, 195, 169]) == "a<pad>é")
        #expect(try t.decode([0xFF]) == "\u{FFFD}")
        #expect(throws: TokenizerError.unknownID(258)) { try t.decode([258]) }
        #expect(throws: TokenizerError.self) { try ByteTokenizer(specialTokens: ["x", "x"]) }
        let text = "Grüße, 世界! 👍\n"
        #expect(try t.decode(try t.encode(text)) == text)
    }

    @Test("GPT-2 byte alphabet")
    func byteUnicode() {
        #expect(ByteUnicode.byteToScalar[0x20] == "Ġ" && ByteUnicode.byteToScalar[0x0A] == "Ċ")
        #expect(ByteUnicode.byteToScalar[Int(UInt8(ascii: "A"))] == "A")
        #expect(Set(ByteUnicode.byteToScalar).count == 256)
    }

    @Test("pre-tokenisation matches the regex module on tricky strings (fixture)")
    func preTokenizerMatchesRegex() throws {
        struct Case: Decodable { let text: String; let pieces: [String] }
        let data = try Data(contentsOf: TestSupport.fixtures.appendingPathComponent("gpt2_pretokenize.json"))
        for c in try JSONDecoder().decode([Case].self, from: data) {
            #expect(GPT2PreTokenizer.split(c.text) == c.pieces, "\(c.text.debugDescription)")
        }
    }

    /// A small vocabulary written by the test: the 256 byte symbols, then merges
    /// t+h, th+e, Ġ+the, i+n, in+g, Ġ+th.
    static func writeSmallBPE(to dir: URL) throws -> (URL, URL) {
        var vocab: [String: Int] = [:]
        for (b, s) in ByteUnicode.byteToScalar.enumerated() { vocab[String(s)] = b }
        let merges = [("t", "h"), ("th", "e"), ("Ġ", "the"), ("i", "n"), ("in", "g"), ("Ġ", "th")]
        for (a, b) in merges { vocab[a + b] = vocab.count }
        vocab["<|endoftext|>"] = vocab.count
        let v = dir.appendingPathComponent("vocab.json"), m = dir.appendingPathComponent("merges.txt")
        try JSONSerialization.data(withJSONObject: vocab).write(to: v)
        try ("#version: 0.2\n" + merges.map { "\($0.0) \($0.1)" }.joined(separator: "\n") + "\n").write(to: m, atomically: true, encoding: .utf8)
        return (v, m)
    }

    @Test("BPE reproduces hand-derived encodings on a small vocabulary")
    func knownEncodings() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (v, m) = try Self.writeSmallBPE(to: dir)
        let t = try BPETokenizer(vocabularyFile: v, mergesFile: m)
        // ids: bytes 0…255, "th" 256, "the" 257, "Ġthe" 258, "in" 259, "ing" 260, "Ġth" 261, eot 262
        #expect(t.vocabularySize == 263)
        // "the" → t h e → th e → the ; " thing" → Ġ t h i n g → Ġ th i n g → Ġth i n g → Ġth in g → Ġth ing
        #expect(try t.encode("the thing") == [257, 261, 260])
        // " the" → Ġ the (rank 1 merges th+e before Ġ+th, rank 5) → Ġthe
        #expect(try t.encode(" the") == [258])
        // "sing!" → s in g ! → s ing !
        #expect(try t.encode("sing!") == [115, 260, 33])
        #expect(try t.encode("x<|endoftext|> the") == [120, 262, 258])
        #expect(try t.encode("<|endoftext|>", allowSpecialTokens: false).count == 13)
        // Non-ASCII falls back to byte symbols: "é" = C3 A9.
        #expect(try t.encode("é") == [0xC3, 0xA9])
        for text in ["the thing", "  spaced\n\nout  ", "naïve 👍 ok", "x<|endoftext|> the"] {
            #expect(try t.decode(try t.encode(text)) == text)
        }
        #expect(throws: TokenizerError.unknownID(9999)) { try t.decode([9999]) }
    }

    @Test("BPE matches encoder.py's algorithm on a learned vocabulary (fixture)")
    func matchesReferenceBPE() throws {
        let dir = TestSupport.fixtures.appendingPathComponent("bpe_tiny")
        let t = try BPETokenizer(vocabularyFile: dir.appendingPathComponent("vocab.json"), mergesFile: dir.appendingPathComponent("merges.txt"))
        struct Case: Decodable { let text: String; let ids: [Int] }
        for c in try JSONDecoder().decode([Case].self, from: Data(contentsOf: dir.appendingPathComponent("encodings.json"))) {
            #expect(try t.encode(c.text) == c.ids, "\(c.text.debugDescription)")
            #expect(try t.decode(c.ids) == c.text)
        }
    }

    @Test("malformed tokenizer files give typed errors")
    func malformedFiles() throws {
        var good: [String: Int] = [:]
        for (b, s) in ByteUnicode.byteToScalar.enumerated() { good[String(s)] = b }
        good["th"] = 256
        let goodJSON = try JSONSerialization.data(withJSONObject: good)
        #expect(throws: Never.self) { try BPETokenizer(vocabularyJSON: goodJSON, merges: "t h\n") }
        #expect(throws: TokenizerError.self) { try BPETokenizer(vocabularyJSON: Data("{oops".utf8), merges: "") }
        #expect(throws: TokenizerError.self) { try BPETokenizer(vocabularyJSON: Data("[1,2]".utf8), merges: "") }
        #expect(throws: TokenizerError.self) { try BPETokenizer(vocabularyJSON: Data(#"{"a": "x"}"#.utf8), merges: "") }
        #expect(throws: TokenizerError.self) { try BPETokenizer(vocabularyJSON: Data(#"{"a": -1}"#.utf8), merges: "") }
        #expect(throws: TokenizerError.self) { try BPETokenizer(vocabularyJSON: Data(#"{"a": 1.5}"#.utf8), merges: "") }
        #expect(throws: TokenizerError.incompleteByteAlphabet(missing: 255)) { try BPETokenizer(vocabularyJSON: Data(#"{"a": 0}"#.utf8), merges: "") }
        var dup = good
        dup["xx"] = 256
        #expect(throws: TokenizerError.self) { try BPETokenizer(vocabularyJSON: try JSONSerialization.data(withJSONObject: dup), merges: "") }
        #expect(throws: TokenizerError.invalidMerges(line: 2, reason: "expected two symbols separated by one space, got \"t h e\"")) {
            try BPETokenizer(vocabularyJSON: goodJSON, merges: "t h\nt h e\n")
        }
        #expect(throws: TokenizerError.self) { try BPETokenizer(vocabularyJSON: goodJSON, merges: "t  h\n") }
        #expect(throws: TokenizerError.self) { try BPETokenizer(vocabularyJSON: goodJSON, merges: "q zz\n") }      // not in vocab
        #expect(throws: TokenizerError.self) { try BPETokenizer(vocabularyJSON: goodJSON, merges: "h e\n") }      // "he" not in vocab
        #expect(throws: TokenizerError.self) {
            try BPETokenizer(vocabularyFile: URL(fileURLWithPath: "/nonexistent/vocab.json"), mergesFile: URL(fileURLWithPath: "/nonexistent/m.txt"))
        }
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let binary = dir.appendingPathComponent("merges.txt")
        try Data([0xFF, 0xFE, 0x00, 0x80]).write(to: binary)
        let v = dir.appendingPathComponent("vocab.json")
        try goodJSON.write(to: v)
        #expect(throws: TokenizerError.self) { try BPETokenizer(vocabularyFile: v, mergesFile: binary) }
    }
}
