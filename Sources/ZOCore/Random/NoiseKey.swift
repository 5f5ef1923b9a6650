/// Identifies one noise stream: a run's `seed` (the Philox key) and a `stream` id (the high
/// half of the Philox counter), e.g. the step number of a ZO optimizer or a sample index.
/// Two different keys give independent streams.
public struct NoiseKey: Hashable, Codable, Sendable, CustomStringConvertible {
    public var seed: UInt64
    public var stream: UInt64

    public init(seed: UInt64, stream: UInt64) {
        self.seed = seed
        self.stream = stream
    }

    /// A key for a sub-purpose of this stream (e.g. a second perturbation in the same step),
    /// derived by mixing `salt` into the stream id with a bijective 64-bit mixer.
    public func derived(_ salt: UInt64) -> NoiseKey {
        NoiseKey(seed: seed, stream: SplitMix64.mix(stream &+ SplitMix64.mix(salt &+ 0x9E37_79B9_7F4A_7C15)))
    }

    public var description: String { "seed \(seed) stream \(stream)" }
}

/// Distributions a noise stream can draw.
public enum NoiseKind: Int32, Codable, CaseIterable, Sendable, CustomStringConvertible {
    /// Standard normal N(0, 1) by Box–Muller.
    case gaussian = 0
    /// ±1 with probability ½ each.
    case rademacher = 1
    /// Uniform on [0, 1).
    case uniform = 2

    public var description: String {
        switch self {
        case .gaussian: return "gaussian"
        case .rademacher: return "rademacher"
        case .uniform: return "uniform"
        }
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny generator and a bijective 64-bit mixer.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 output function (a bijection on UInt64).
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
