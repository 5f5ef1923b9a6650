/// Bit-exact conversions between Float32 and the 16-bit formats of safetensors files.
///
/// - F16 (IEEE binary16) → Float32 is exact (every F16 value, subnormals, ±∞ and NaN included).
/// - BF16 → Float32 is exact (BF16 is the top half of a Float32).
/// - Float32 → F16 / BF16 round to nearest, ties to even; overflow gives ±∞, NaN stays NaN.
enum HalfPrecision {
    static func float(fromF16 h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = Int((h >> 10) & 0x1F)
        let mantissa = UInt32(h & 0x3FF)
        if exponent == 0 {
            // ±0 or subnormal: mantissa · 2⁻²⁴
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        }
        if exponent == 31 {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
    }

    static func float(fromBF16 b: UInt16) -> Float { Float(bitPattern: UInt32(b) << 16) }

    static func bf16(from f: Float) -> UInt16 {
        let bits = f.bitPattern
        if f.isNaN { return UInt16(bits >> 16) | 0x40 }
        let rounded = bits &+ 0x7FFF &+ ((bits >> 16) & 1)
        return UInt16(rounded >> 16)
    }

    static func f16(from f: Float) -> UInt16 {
        let bits = f.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        if f.isNaN { return sign | 0x7E00 }
        let a = abs(f)
        if a >= 65520 { return sign | 0x7C00 }                 // rounds to ∞
        if a < 0x1p-14 {
            // subnormal F16: round a / 2⁻²⁴ to an integer, ties to even
            let q = (a * 0x1p24).rounded(.toNearestOrEven)
            return sign | UInt16(q)
        }
        let exponent = Int((bits >> 23) & 0xFF) - 127 + 15
        var mantissa = bits & 0x7F_FFFF
        var e = exponent
        // round 23-bit mantissa to 10 bits, ties to even
        let shifted = mantissa >> 13
        let remainder = mantissa & 0x1FFF
        mantissa = shifted
        if remainder > 0x1000 || (remainder == 0x1000 && shifted & 1 == 1) {
            mantissa += 1
            if mantissa == 0x400 { mantissa = 0; e += 1 }
        }
        if e >= 31 { return sign | 0x7C00 }
        return sign | UInt16(e) << 10 | UInt16(mantissa)
    }
}
