import Foundation
import ZOCore
@testable import ZOModel

/// Shared helpers of the ZOModel tests.
enum TestSupport {
    /// The committed fixtures (written by scripts/make_model_fixtures.py).
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// A scratch directory, unique per call.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("zomodel-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `count` deterministic N(0, std²) values.
    static func gaussian<S: ZOScalar>(_ type: S.Type = S.self, count: Int, seed: UInt64, std: Double = 1) -> [S] {
        var rng = PhiloxRandom(seed: seed, stream: 7)
        return (0..<count).map { _ in S(rng.nextGaussian() * std) }
    }

    /// Whether `a` and `b` hold the same bits (memcmp: fast in debug builds, unlike a map over bit patterns).
    static func sameBits(_ a: [Float], _ b: [Float]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }
    }

    /// max |a − b| / max(|b|∞, floor).
    static func maxRelativeError<S: BinaryFloatingPoint>(_ a: [S], _ b: [S], floor: Double = 1e-12) -> Double {
        precondition(a.count == b.count)
        var err = 0.0, scale = floor
        for (x, y) in zip(a, b) {
            err = max(err, abs(Double(x) - Double(y)))
            scale = max(scale, abs(Double(y)))
        }
        return err / scale
    }

    /// Central-difference gradient of `f` at `x` (Float64), step `h`.
    static func numericGradient(_ x: [Double], h: Double = 1e-6, _ f: ([Double]) -> Double) -> [Double] {
        var p = x
        return (0..<x.count).map { i in
            let saved = p[i]
            p[i] = saved + h
            let fp = f(p)
            p[i] = saved - h
            let fm = f(p)
            p[i] = saved
            return (fp - fm) / (2 * h)
        }
    }

    /// Worst |numeric − analytic| / (|numeric| + |analytic| + 1e-8) over the elements.
    static func gradientMismatch(_ numeric: [Double], _ analytic: [Double]) -> Double {
        zip(numeric, analytic).map { abs($0 - $1) / (abs($0) + abs($1) + 1e-8) }.max() ?? 0
    }
}

extension Array {
    /// Calls `body` with a mutable pointer to the elements.
    mutating func ptr<R>(_ body: (UnsafeMutablePointer<Element>) throws -> R) rethrows -> R {
        try withUnsafeMutableBufferPointer { try body($0.baseAddress!) }
    }
}
