import Foundation

/// Monotonic wall-clock timing for benchmarks and progress displays.
public struct Stopwatch: Sendable {
    private var start: UInt64

    public init() { start = DispatchTime.now().uptimeNanoseconds }

    /// Seconds since creation or the last `reset()`.
    public var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9 }

    public mutating func reset() { start = DispatchTime.now().uptimeNanoseconds }

    /// Runs `body` `warmup` times untimed, then `repeats` times timed; returns the seconds of
    /// each timed run. Report the median (``TimingSample``), not the mean: the machine is shared.
    public static func measure(repeats: Int, warmup: Int = 1, _ body: () throws -> Void) rethrows -> TimingSample {
        precondition(repeats >= 1 && warmup >= 0)
        for _ in 0..<warmup { try body() }
        var times: [Double] = []
        times.reserveCapacity(repeats)
        for _ in 0..<repeats {
            let watch = Stopwatch()
            try body()
            times.append(watch.elapsed)
        }
        return TimingSample(seconds: times)
    }
}

/// Seconds of repeated runs of one benchmark.
public struct TimingSample: Sendable, Codable {
    public let seconds: [Double]

    public init(seconds: [Double]) {
        precondition(!seconds.isEmpty)
        self.seconds = seconds
    }

    public var median: Double {
        let s = seconds.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2])
    }

    public var minimum: Double { seconds.min()! }
    public var maximum: Double { seconds.max()! }
}
