/// GPT-2's reversible byte ↔ unicode-character table (`bytes_to_unicode` in OpenAI's
/// encoder.py): printable bytes '!'…'~', '¡'…'¬', '®'…'ÿ' map to themselves; the other 68
/// bytes map to U+0100, U+0101, … in byte order. So byte 0x20 (space) is 'Ġ' (U+0120) and
/// 0x0A (newline) is 'Ċ' (U+010A).
enum ByteUnicode {
    static let byteToScalar: [Unicode.Scalar] = {
        var printable = Set<Int>()
        for r in [0x21...0x7E, 0xA1...0xAC, 0xAE...0xFF] { for b in r { printable.insert(b) } }
        var table = [Unicode.Scalar](repeating: "\0", count: 256)
        var n = 0
        for b in 0..<256 {
            if printable.contains(b) {
                table[b] = Unicode.Scalar(UInt32(b))!
            } else {
                table[b] = Unicode.Scalar(UInt32(256 + n))!
                n += 1
            }
        }
        return table
    }()

    static let scalarToByte: [Unicode.Scalar: UInt8] = {
        var map: [Unicode.Scalar: UInt8] = [:]
        for (b, s) in byteToScalar.enumerated() { map[s] = UInt8(b) }
        return map
    }()

    /// The byte-level string of `bytes` (one scalar per byte).
    static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var s = String.UnicodeScalarView()
        for b in bytes { s.append(byteToScalar[Int(b)]) }
        return String(s)
    }
}
