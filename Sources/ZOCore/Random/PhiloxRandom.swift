import CZOKernels
import RealModule

/// A seeded `RandomNumberGenerator` that walks a Philox stream counter by counter: for
/// shuffles, batch sampling and block selection, anywhere a sequential generator is enough.
/// Same key, same sequence, on every machine.
public struct PhiloxRandom: RandomNumberGenerator, Sendable {
    public let key: NoiseKey
    private var counter: UInt64 = 0
    private var words: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
    private var used = 2  // 64-bit outputs consumed from `words` (2 per counter)

    public init(key: NoiseKey) { self.key = key }
    public init(seed: UInt64, stream: UInt64 = 0) { self.init(key: NoiseKey(seed: seed, stream: stream)) }

    public mutating func next() -> UInt64 {
        if used == 2 {
            var ctr: (UInt32, UInt32, UInt32, UInt32) = (
                UInt32(truncatingIfNeeded: counter), UInt32(truncatingIfNeeded: counter >> 32),
                UInt32(truncatingIfNeeded: key.stream), UInt32(truncatingIfNeeded: key.stream >> 32))
            var k: (UInt32, UInt32) = (UInt32(truncatingIfNeeded: key.seed), UInt32(truncatingIfNeeded: key.seed >> 32))
            var out: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
            withUnsafePointer(to: &ctr) { c in
                withUnsafePointer(to: &k) { kp in
                    withUnsafeMutablePointer(to: &out) { o in
                        c.withMemoryRebound(to: UInt32.self, capacity: 4) { c32 in
                            kp.withMemoryRebound(to: UInt32.self, capacity: 2) { k32 in
                                o.withMemoryRebound(to: UInt32.self, capacity: 4) { o32 in
                                    zo_philox4x32_10(c32, k32, o32)
                                }
                            }
                        }
                    }
                }
            }
            words = out
            counter &+= 1
            used = 0
        }
        defer { used += 1 }
        return used == 0 ? (UInt64(words.1) << 32 | UInt64(words.0)) : (UInt64(words.3) << 32 | UInt64(words.2))
    }

    /// A standard normal draw (Box–Muller on two uniforms, Float64).
    public mutating func nextGaussian() -> Double {
        let u1 = (Double(next() >> 12) + 0.5) * 0x1.0p-52
        let u2 = Double(next() >> 11) * 0x1.0p-53
        return (-2 * Double.log(u1)).squareRoot() * Double.cos(2 * .pi * u2)
    }

    /// Uniform on [0, 1).
    public mutating func nextUniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}
