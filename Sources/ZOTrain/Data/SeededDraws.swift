import ZOCore

/// Reproducible draws on ZOCore's Philox generator. Written out here (not `Int.random(in:)` /
/// `shuffle()`) because the standard library does not promise the same sequence across Swift
/// versions; these do.
public struct SeededDraws {
    private var rng: PhiloxRandom

    public init(seed: UInt64, stream: UInt64) { rng = PhiloxRandom(seed: seed, stream: stream) }

    /// Uniform in 0..<n (Lemire's multiply-high with rejection; no modulo bias).
    public mutating func index(below n: Int) -> Int {
        precondition(n > 0)
        let bound = UInt64(n)
        let threshold = (0 &- bound) % bound
        while true {
            let (high, low) = rng.next().multipliedFullWidth(by: bound)
            if low >= threshold { return Int(high) }
        }
    }

    /// Uniform in [0, 1).
    public mutating func uniform() -> Double { rng.nextUniform() }

    /// True with probability p.
    public mutating func chance(_ p: Double) -> Bool { uniform() < p }

    /// A uniformly chosen element.
    public mutating func pick<T>(_ items: [T]) -> T { items[index(below: items.count)] }

    /// Fisher–Yates shuffle (Durstenfeld, from the end).
    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(i, index(below: i + 1))
        }
    }

    /// A uniform permutation of 0..<n.
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        shuffle(&p)
        return p
    }
}
