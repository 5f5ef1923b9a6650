import Foundation

/// The naive twin of the C noise kernels: Philox-4x32-10 written out in Swift, and element
/// generation with libm. Used by the tests to check the fast kernels bit-for-bit (Philox words,
/// uniforms, Rademacher signs, Float64 Gaussians) and to bound the Float32 Gaussian error.
public enum PhiloxReference {
    /// One Philox-4x32-10 block.
    public static func block(counter: (UInt32, UInt32, UInt32, UInt32), key: (UInt32, UInt32)) -> [UInt32] {
        var (c0, c1, c2, c3) = counter
        var (k0, k1) = key
        for _ in 0..<10 {
            let p0 = UInt64(0xD251_1F53) &* UInt64(c0)
            let p1 = UInt64(0xCD9E_8D57) &* UInt64(c2)
            (c0, c1, c2, c3) = (UInt32(truncatingIfNeeded: p1 >> 32) ^ c1 ^ k0, UInt32(truncatingIfNeeded: p1),
                                UInt32(truncatingIfNeeded: p0 >> 32) ^ c3 ^ k1, UInt32(truncatingIfNeeded: p0))
            k0 &+= 0x9E37_79B9
            k1 &+= 0xBB67_AE85
        }
        return [c0, c1, c2, c3]
    }

    /// The four words of counter `index` of stream `key`.
    public static func words(key: NoiseKey, counter index: UInt64) -> [UInt32] {
        block(counter: (UInt32(truncatingIfNeeded: index), UInt32(truncatingIfNeeded: index >> 32),
                        UInt32(truncatingIfNeeded: key.stream), UInt32(truncatingIfNeeded: key.stream >> 32)),
              key: (UInt32(truncatingIfNeeded: key.seed), UInt32(truncatingIfNeeded: key.seed >> 32)))
    }

    /// Element `e` of a Float64 stream, computed in Float64 with libm.
    public static func elementDouble(key: NoiseKey, kind: NoiseKind, index e: Int) -> Double {
        switch kind {
        case .rademacher:
            return rademacher(key: key, index: e)
        case .uniform:
            let w = words(key: key, counter: UInt64(e / 2))
            let j = e % 2
            return Double((UInt64(w[2 * j + 1]) << 32 | UInt64(w[2 * j])) >> 11) * 0x1.0p-53
        case .gaussian:
            let w = words(key: key, counter: UInt64(e / 2))
            let u1 = (Double((UInt64(w[1]) << 32 | UInt64(w[0])) >> 12) + 0.5) * 0x1.0p-52
            let u2 = Double((UInt64(w[3]) << 32 | UInt64(w[2])) >> 11) * 0x1.0p-53
            let r = (-2 * Foundation.log(u1)).squareRoot()
            let t = 2 * Double.pi * u2
            return e % 2 == 0 ? r * Foundation.cos(t) : r * Foundation.sin(t)
        }
    }

    /// Element `e` of a Float32 stream, evaluated in Float64 from the same 24-bit uniforms
    /// (the exact value the fast Float32 kernel approximates).
    public static func elementFloat(key: NoiseKey, kind: NoiseKind, index e: Int) -> Double {
        switch kind {
        case .rademacher:
            return rademacher(key: key, index: e)
        case .uniform:
            let w = words(key: key, counter: UInt64(e / 4))
            return Double(w[e % 4] >> 8) * 0x1.0p-24
        case .gaussian:
            let w = words(key: key, counter: UInt64(e / 4))
            let pair = (e % 4) / 2
            let u1 = (Double(w[2 * pair] >> 9) + 0.5) * 0x1.0p-23
            let u2 = Double(w[2 * pair + 1] >> 8) * 0x1.0p-24
            let r = (-2 * Foundation.log(u1)).squareRoot()
            let t = 2 * Double.pi * u2
            return e % 2 == 0 ? r * Foundation.cos(t) : r * Foundation.sin(t)
        }
    }

    static func rademacher(key: NoiseKey, index e: Int) -> Double {
        let w = words(key: key, counter: UInt64(e / 128))
        let b = e % 128
        return (w[b / 32] >> UInt32(b % 32)) & 1 == 1 ? -1 : 1
    }
}
