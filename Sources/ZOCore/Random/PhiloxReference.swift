import Foundation

/// The naive twin of the C noise kernels: Philox-4x32-10 written out in Swift, one element at
/// a time. Used by the tests to check the fast kernels bit-for-bit (Philox words, uniforms,
/// Rademacher signs, and Float64 Gaussians — the same polynomial Box–Muller, operation for
/// operation, Swift does not contract into FMAs) and to bound the Gaussians' errors against
/// an extended-precision (`Float80`, x86) evaluation of the same uniforms.
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

    /// The uniforms of Float64 Gaussian element pair `e / 2`: u1 = (k + ½)·2⁻⁵² in (0, 1) from
    /// words 0–1, u2 = k'·2⁻⁵³ in [0, 1) from words 2–3 (both exact).
    public static func gaussianUniformsDouble(key: NoiseKey, index e: Int) -> (u1: Double, u2: Double) {
        let w = words(key: key, counter: UInt64(e / 2))
        let u1 = (Double((UInt64(w[1]) << 32 | UInt64(w[0])) >> 12) + 0.5) * 0x1.0p-52
        let u2 = Double((UInt64(w[3]) << 32 | UInt64(w[2])) >> 11) * 0x1.0p-53
        return (u1, u2)
    }

    /// Element `e` of a Float64 stream, computed exactly as the C kernel does (Gaussians: the
    /// polynomial Box–Muller of ``logDouble(_:)``, ``sinSmallDouble(_:)``, ``cosSmallDouble(_:)``).
    public static func elementDouble(key: NoiseKey, kind: NoiseKind, index e: Int) -> Double {
        switch kind {
        case .rademacher:
            return rademacher(key: key, index: e)
        case .uniform:
            let w = words(key: key, counter: UInt64(e / 2))
            let j = e % 2
            return Double((UInt64(w[2 * j + 1]) << 32 | UInt64(w[2 * j])) >> 11) * 0x1.0p-53
        case .gaussian:
            let (u1, u2) = gaussianUniformsDouble(key: key, index: e)
            let r = (-2.0 * logDouble(u1)).squareRoot()
            let w = u2 * 4.0
            let q = Int32(w + 0.5)
            let a = (w - Double(q)) * 0x1.921fb54442d18p+0
            let s = sinSmallDouble(a), c = cosSmallDouble(a)
            let (cosv, sinv): (Double, Double)
            switch q & 3 {
            case 0: (cosv, sinv) = (c, s)
            case 1: (cosv, sinv) = (-s, c)
            case 2: (cosv, sinv) = (-c, -s)
            default: (cosv, sinv) = (s, -c)
            }
            return e % 2 == 0 ? r * cosv : r * sinv
        }
    }

    #if arch(x86_64) || arch(i386)
    /// Element `e` of a Float64 Gaussian stream evaluated in `Float80` with the C library's
    /// `logl`/`cosl`/`sinl` from the same uniforms: the value the Float64 kernel approximates.
    public static func elementDoubleExtended(key: NoiseKey, index e: Int) -> Float80 {
        let (u1, u2) = gaussianUniformsDouble(key: key, index: e)
        let r = (-2 * logl(Float80(u1))).squareRoot()
        let t = 2 * Float80.pi * Float80(u2)
        return e % 2 == 0 ? r * cosl(t) : r * sinl(t)
    }
    #endif

    /// The kernel's natural log of a normal x in (0, 1] (see noise.c): x = m·2^e with m in
    /// (√½, √2], s = f/(2 + f), log(1 + f) = f − (f²/2 − s(f²/2 + R(s²))), plus e·ln 2 in two parts.
    public static func logDouble(_ x: Double) -> Double {
        let bits = x.bitPattern
        var e = Int32(truncatingIfNeeded: UInt32(truncatingIfNeeded: bits >> 32) >> 20) - 1023
        var m = Double(bitPattern: (bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000)
        if m > 0x1.6a09e667f3bcdp+0 {
            m = m * 0.5
            e += 1
        }
        let f = m - 1.0
        let s = f / (2.0 + f)
        let z = s * s
        var p = 2.0 / 21.0
        for k in stride(from: 9, through: 1, by: -1) { p = p * z + 2.0 / Double(2 * k + 1) }
        let r = z * p
        let hfsq = 0.5 * (f * f)
        let fe = Double(e)
        return fe * 0x1.62e42p-1 + (f - (hfsq - (s * (hfsq + r) + fe * 0x1.fdf473de6af28p-22)))
    }

    /// 1/n! for n = 0 … 18 (n! are exact integers below 2⁵³, one correctly rounded division
    /// each), tabulated once.
    static let inverseFactorials: [Double] = (0...18).map { n in 1.0 / Double((1...max(n, 1)).reduce(1, *)) }

    static func inverseFactorial(_ n: Int) -> Double { inverseFactorials[n] }

    /// The kernel's sin on [−π/4, π/4]: Taylor through a¹⁷, Horner in a².
    public static func sinSmallDouble(_ a: Double) -> Double {
        let z = a * a
        var p = inverseFactorial(17)
        for n in stride(from: 15, through: 3, by: -2) {
            p = (n / 2) % 2 == 1 ? p * z - inverseFactorial(n) : p * z + inverseFactorial(n)
        }
        return a + a * (z * p)
    }

    /// The kernel's cos on [−π/4, π/4]: Taylor through a¹⁸, Horner in a².
    public static func cosSmallDouble(_ a: Double) -> Double {
        let z = a * a
        var p = -inverseFactorial(18)
        for n in stride(from: 16, through: 4, by: -2) {
            p = (n / 2) % 2 == 1 ? p * z - inverseFactorial(n) : p * z + inverseFactorial(n)
        }
        return 1.0 - 0.5 * z + (z * z) * p
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
