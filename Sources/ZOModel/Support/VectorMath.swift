import CZOModelKernels
import ZOCore

/// Element-wise math for the hot loops (softmax, GELU): Float32 goes to the C kernels of
/// CZOModelKernels, Float64 to libm.
///
/// ``exp8`` is the Swift twin of the C kernels' `exp` (the same operations, so bit-identical
/// results, tested): a Cephes-style `exp` on `SIMD8<Float>`: range reduction x = n·ln2 + r
/// (|r| ≤ ln2/2, two-term ln2), a degree-6 polynomial for eʳ, and 2ⁿ by exponent bits. Relative
/// error ≤ 4 ulp on [-87, 88] (tested against Float64 `exp` on a dense grid); inputs below -87.3
/// flush to 0, above 88.7 saturate to +∞ (the callers never produce such inputs after max
/// subtraction, except masked entries, which are meant to become 0). Float64 paths call libm
/// (`Double.exp`), so the Float64 twins used by the finite-difference tests are exact to ≈ 1 ulp.
enum VectorMath {
    /// One lane block of the fast Float32 exp. See the type's accuracy note.
    @inline(__always)
    static func exp8(_ x: SIMD8<Float>) -> SIMD8<Float> {
        var clamped = x
        clamped.replace(with: -87.3, where: x .< -87.3)
        clamped.replace(with: 88.7, where: x .> 88.7)
        // n = round(x·log2 e) by the 1.5·2²³ trick: adding the magic constant rounds to an
        // integer held in the low mantissa bits (|x·log2 e| < 2²²), read back as bits.
        let magic = SIMD8<Float>(repeating: 12582912)
        let shifted = clamped * 1.44269504088896341 + magic
        let n = shifted - magic
        var r = clamped - n * 0.693359375            // ln2 high part (exact in Float)
        r = r - n * (-2.12194440e-4)                 // ln2 low part
        // eʳ ≈ 1 + r + r²·(p0 + r·(p1 + r·(p2 + r·(p3 + r·(p4 + r·p5)))))  (Cephes expf)
        var p = SIMD8<Float>(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        let r2 = r * r
        let er = p * r2 + r + 1
        let bits = (unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self) &+ 127) &<< 23
        var result = er * unsafeBitCast(bits, to: SIMD8<Float>.self)
        result.replace(with: 0, where: x .< -87.3)
        result.replace(with: Float.infinity, where: x .> 88.7)
        return result
    }

    /// `p[i] = exp(p[i] - shift)` for `count` elements; returns Σ of the results (in the scalar
    /// type; Float32 in 16 fixed lanes — relative error ≲ count·ε/16, same on every ISA).
    @inline(__always)
    static func expShiftedSum<S: ZOScalar>(_ p: UnsafeMutablePointer<S>, count: Int, shift: S) -> S {
        if S.self == Float.self {
            let f = UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
            return S(zo_exp_shift_sum_f32(f, Int64(count), Float(shift)))
        }
        var sum: S = 0
        for i in 0..<count {
            let e = S.exp(p[i] - shift)
            p[i] = e
            sum += e
        }
        return sum
    }

    /// exp(x) for one Float through the vector path (tests, scalar tails).
    static func exp(_ x: Float) -> Float { exp8(SIMD8(repeating: x))[0] }

    /// max over `count` elements (count ≥ 1).
    @inline(__always)
    static func maximum<S: ZOScalar>(_ p: UnsafePointer<S>, count: Int) -> S {
        if S.self == Float.self {
            return S(zo_max_f32(UnsafeRawPointer(p).assumingMemoryBound(to: Float.self), Int64(max(count, 1))))
        }
        var m = p[0]
        for i in 1..<max(count, 1) where p[i] > m { m = p[i] }
        return m
    }
}
