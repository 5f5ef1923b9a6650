/// GPT-2's pre-tokenisation, written out by hand. It reproduces the regular expression
///
///     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
///
/// scanning left to right and trying the alternatives in order at each position:
/// 1. contractions `'s 't 're 've 'm 'll 'd` (ASCII apostrophe, lower case, as GPT-2);
/// 2. an optional single space (U+0020) then a run of letters (\p{L});
/// 3. an optional space then a run of numbers (\p{N});
/// 4. an optional space then a run of "other" characters (not whitespace, letter or number);
/// 5. a run of whitespace not followed by a non-space: when the run is followed by a
///    non-whitespace character it gives back its last character (which then prefixes the
///    next word if it is a space), unless the run is a single character (rule 6: `\s+`).
///
/// Categories come from Unicode scalar properties: letters are general categories Lu Ll Lt Lm
/// Lo, numbers Nd Nl No, whitespace the White_Space property. Caveat: Python's `regex` treats
/// U+001C…U+001F as whitespace too (str.isspace); we follow White_Space, so those four control
/// characters count as "other" here.
enum GPT2PreTokenizer {
    enum Kind { case letter, number, space, other }

    static func kind(_ s: Unicode.Scalar) -> Kind {
        if s.properties.isWhitespace { return .space }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return .letter
        case .decimalNumber, .letterNumber, .otherNumber: return .number
        default: return .other
        }
    }

    static let contractions: [[Unicode.Scalar]] = ["s", "t", "re", "ve", "m", "ll", "d"].map { Array($0.unicodeScalars) }

    /// The pre-tokens of `text`, in order; their concatenation is `text`.
    static func split(_ text: String) -> [String] {
        let s = Array(text.unicodeScalars)
        let kinds = s.map(kind)
        var out: [String] = []
        var i = 0
        func emit(_ a: Int, _ b: Int) {
            var v = String.UnicodeScalarView()
            v.append(contentsOf: s[a..<b])
            out.append(String(v))
        }
        while i < s.count {
            // 1. contractions
            if s[i] == "'" {
                var matched = 0
                for c in contractions where i + 1 + c.count <= s.count && Array(s[(i + 1)..<(i + 1 + c.count)]) == c {
                    matched = c.count
                    break
                }
                if matched > 0 { emit(i, i + 1 + matched); i += 1 + matched; continue }
            }
            // 2–4. optional space + run of one class
            let start = i
            var j = i
            if s[j] == " " && j + 1 < s.count && kinds[j + 1] != .space { j += 1 }
            let k = kinds[j]
            if k != .space {
                var e = j + 1
                while e < s.count && kinds[e] == k { e += 1 }
                emit(start, e)
                i = e
                continue
            }
            // 5–6. whitespace
            var e = i
            while e < s.count && kinds[e] == .space { e += 1 }
            if e < s.count && e - i > 1 { e -= 1 }
            emit(i, e)
            i = e
        }
        return out
    }
}
