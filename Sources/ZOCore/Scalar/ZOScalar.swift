import CZOKernels
import COpenBLAS
import RealModule

/// The element types ZOLab computes in: `Float` (transformer weights) and `Double`
/// (analytic test functions and verification).
///
/// Generic code (optimizers, objectives) is written once over `ZOScalar`. The hot kernels
/// are protocol requirements implemented concretely for each type, so a generic caller pays
/// one witness call per buffer, never per element. Per-element generic loops in other
/// modules should likewise be `@inlinable` or reached through a concrete type.
public protocol ZOScalar: BinaryFloatingPoint, Real, Codable, Sendable, LosslessStringConvertible
where RawSignificand: FixedWidthInteger {
    /// The storage type tag of this scalar.
    static var dtype: DType { get }

    // MARK: Noise kernels (single-threaded; `Noise` splits work across cores)

    /// `out[i] = z[first + i]`, `i < count`, for the stream `key` of distribution `kind`.
    static func noiseFill(_ out: UnsafeMutablePointer<Self>, count: Int, key: NoiseKey, first: Int, kind: NoiseKind)

    /// `x[i] += scale · z[first + i]`, or `x[i] += (scale · multiplier[i]) · z[first + i]`.
    static func noiseAxpy(
        _ x: UnsafeMutablePointer<Self>, count: Int, scale: Self, multiplier: UnsafePointer<Self>?,
        key: NoiseKey, first: Int, kind: NoiseKind)

    // MARK: BLAS (row-major; see `BLAS` for the checked public entry points)

    static func blasGemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
        a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    static func blasGemv(
        trans: Bool, m: Int, n: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
        x: UnsafePointer<Self>, beta: Self, y: UnsafeMutablePointer<Self>)
    static func blasAxpy(count: Int, alpha: Self, x: UnsafePointer<Self>, y: UnsafeMutablePointer<Self>)
    static func blasDot(count: Int, x: UnsafePointer<Self>, y: UnsafePointer<Self>) -> Self
}

@inline(__always) private func cblasTranspose(_ t: Bool) -> CBLAS_TRANSPOSE {
    t ? CblasTrans : CblasNoTrans
}

extension Float: ZOScalar {
    public static var dtype: DType { .float32 }

    public static func noiseFill(_ out: UnsafeMutablePointer<Float>, count: Int, key: NoiseKey, first: Int, kind: NoiseKind) {
        zo_noise_fill_f32(out, Int64(count), key.seed, key.stream, Int64(first), kind.rawValue)
    }

    public static func noiseAxpy(
        _ x: UnsafeMutablePointer<Float>, count: Int, scale: Float, multiplier: UnsafePointer<Float>?,
        key: NoiseKey, first: Int, kind: NoiseKind
    ) {
        zo_noise_axpy_f32(x, Int64(count), scale, multiplier, key.seed, key.stream, Int64(first), kind.rawValue)
    }

    public static func blasGemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        BLASRuntime.call {
            cblas_sgemm(CblasRowMajor, cblasTranspose(transA), cblasTranspose(transB),
                        blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb),
                        beta, c, blasint(ldc))
        }
    }

    public static func blasGemv(
        trans: Bool, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, beta: Float, y: UnsafeMutablePointer<Float>
    ) {
        BLASRuntime.call {
            cblas_sgemv(CblasRowMajor, cblasTranspose(trans), blasint(m), blasint(n), alpha, a, blasint(lda),
                        x, 1, beta, y, 1)
        }
    }

    public static func blasAxpy(count: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        BLASRuntime.call { cblas_saxpy(blasint(count), alpha, x, 1, y, 1) }
    }

    public static func blasDot(count: Int, x: UnsafePointer<Float>, y: UnsafePointer<Float>) -> Float {
        BLASRuntime.call { cblas_sdot(blasint(count), x, 1, y, 1) }
    }
}

extension Double: ZOScalar {
    public static var dtype: DType { .float64 }

    public static func noiseFill(_ out: UnsafeMutablePointer<Double>, count: Int, key: NoiseKey, first: Int, kind: NoiseKind) {
        zo_noise_fill_f64(out, Int64(count), key.seed, key.stream, Int64(first), kind.rawValue)
    }

    public static func noiseAxpy(
        _ x: UnsafeMutablePointer<Double>, count: Int, scale: Double, multiplier: UnsafePointer<Double>?,
        key: NoiseKey, first: Int, kind: NoiseKind
    ) {
        zo_noise_axpy_f64(x, Int64(count), scale, multiplier, key.seed, key.stream, Int64(first), kind.rawValue)
    }

    public static func blasGemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        BLASRuntime.call {
            cblas_dgemm(CblasRowMajor, cblasTranspose(transA), cblasTranspose(transB),
                        blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb),
                        beta, c, blasint(ldc))
        }
    }

    public static func blasGemv(
        trans: Bool, m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        x: UnsafePointer<Double>, beta: Double, y: UnsafeMutablePointer<Double>
    ) {
        BLASRuntime.call {
            cblas_dgemv(CblasRowMajor, cblasTranspose(trans), blasint(m), blasint(n), alpha, a, blasint(lda),
                        x, 1, beta, y, 1)
        }
    }

    public static func blasAxpy(count: Int, alpha: Double, x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>) {
        BLASRuntime.call { cblas_daxpy(blasint(count), alpha, x, 1, y, 1) }
    }

    public static func blasDot(count: Int, x: UnsafePointer<Double>, y: UnsafePointer<Double>) -> Double {
        BLASRuntime.call { cblas_ddot(blasint(count), x, 1, y, 1) }
    }
}
