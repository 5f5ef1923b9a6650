import ZOCore

/// How a block-coordinate wrapper picks its active set of k blocks (seed 000 rebuttal table).
/// Blocks are numbered 0 ..< D; every set is listed in ascending block order.
public enum BlockRule: String, CaseIterable, Sendable, Codable {
    /// Cyclic 0, 1, …, D−1 in chunks of k (the B-PDF paper's default).
    case ascending
    /// Cyclic D−1, …, 0 in chunks of k (BAdam's code default).
    case descending
    /// A fresh permutation per epoch of blocks, in chunks of k (BAdam's README default).
    case randomReshuffling = "random-reshuffling"
    /// The k blocks with the largest estimated ‖g_b‖² (‖g_b‖²/H_b for HiZOO bases).
    case gaussSouthwell = "gauss-southwell"
    /// Windows of 2k consecutive blocks; in each, the blocks at even offsets, then those at odd
    /// offsets: k = 4 gives [0,2,4,6], [1,3,5,7], [8,10,12,14], … (1-based: [1,3,5,7], [2,4,6,8]).
    case oddEven = "odd-even"
    /// Each block active with probability π_b (default k/D); updates scaled by Z_b/π_b.
    case randomized
    /// π_b from a distribution q learned online toward q_b ∝ ‖g_b‖ (``BlockBandit``).
    case bandit

    /// Rules that walk through epochs of precomputed sets.
    public var isCyclic: Bool { [.ascending, .descending, .randomReshuffling, .oddEven].contains(self) }
    /// Rules that sample sets and scale updates by Z_b/π_b.
    public var isSampled: Bool { self == .randomized || self == .bandit }
    /// Rules that need per-block gradient-norm estimates.
    public var needsBlockNorms: Bool { self == .gaussSouthwell || self == .bandit }
    /// Steps per active set when `switch-interval` is 0: 50 (BAdam's lower end) for the
    /// deterministic rules, 1 for the sampled rules (their unbiasedness argument is per step).
    public var defaultInterval: Int { isSampled ? 1 : 50 }
}

/// How the sampled rules draw a set from inclusion probabilities π_b.
public enum BlockSampling: String, CaseIterable, Sendable, Codable {
    /// Systematic (Madow) sampling: one uniform u, the blocks whose cumulative-π interval holds
    /// u, u + 1, …: each block is included with probability exactly π_b and the set has
    /// ⌊Σπ⌋ or ⌈Σπ⌉ blocks (exactly k when Σπ = k) — never empty, memory fixed.
    case systematic
    /// Independent Z_b ~ Bernoulli(π_b), as in the rebuttal's analysis: the set size varies
    /// and may be 0 (the step is then skipped: no forward pass).
    case bernoulli
}

/// The schedules and samplers of ``BlockRule``, as pure functions (tested on their own).
public enum BlockSchedule {
    /// The active sets of epoch `epoch` of a cyclic rule. `seed` feeds random reshuffling
    /// (epoch e's permutation is drawn from `NoiseKey(seed: seed, stream: e).derived(salt)`).
    public static func epoch(_ rule: BlockRule, blockCount d: Int, activeCount k: Int, seed: UInt64,
                             epoch: Int) -> [[Int]] {
        precondition(rule.isCyclic && d >= 1 && k >= 1 && k <= d)
        switch rule {
        case .ascending: return chunks(Array(0..<d), k)
        case .descending: return chunks(Array((0..<d).reversed()), k)
        case .randomReshuffling:
            return chunks(permutation(count: d, key: NoiseKey(seed: seed, stream: UInt64(epoch)).derived(reshuffleSalt)), k)
        case .oddEven:
            var sets: [[Int]] = []
            for start in stride(from: 0, to: d, by: 2 * k) {
                let window = Array(start..<min(start + 2 * k, d))
                for parity in 0..<2 {
                    let set = window.enumerated().filter { $0.offset % 2 == parity }.map(\.element)
                    if !set.isEmpty { sets.append(set) }
                }
            }
            return sets
        default: preconditionFailure("\(rule) has no fixed epoch")
        }
    }

    static let reshuffleSalt: UInt64 = 0x5EED_B10C_5AF7_0001
    static let samplingSalt: UInt64 = 0x5EED_B10C_5AF7_0002

    /// Consecutive chunks of k (the last may be shorter), each sorted.
    static func chunks(_ order: [Int], _ k: Int) -> [[Int]] {
        stride(from: 0, to: order.count, by: k).map { Array(order[$0..<min($0 + k, order.count)]).sorted() }
    }

    /// A uniform permutation of 0 ..< count by Fisher–Yates on a Philox stream (own index
    /// draw, so the result does not depend on the standard library's shuffle).
    public static func permutation(count: Int, key: NoiseKey) -> [Int] {
        var rng = PhiloxRandom(key: key)
        var p = Array(0..<count)
        if count < 2 { return p }
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = index(below: i + 1, &rng)
            p.swapAt(i, j)
        }
        return p
    }

    /// A uniform integer in 0 ..< n (multiply-high; bias ≤ n/2⁶⁴).
    static func index(below n: Int, _ rng: inout PhiloxRandom) -> Int {
        Int(rng.next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// The k blocks with the largest estimates, sorted; ties go to the block with the smaller
    /// `lastActive` (least recently active; all equal when nil), then to the lower index.
    public static func topK(_ estimates: [Double], _ k: Int, lastActive: [Double]? = nil) -> [Int] {
        let order = estimates.indices.sorted { a, b in
            if estimates[a] != estimates[b] { return estimates[a] > estimates[b] }
            if let lastActive, lastActive[a] != lastActive[b] { return lastActive[a] < lastActive[b] }
            return a < b
        }
        return Array(order.prefix(k)).sorted()
    }

    /// Inclusion probabilities π with Σπ = k from a distribution q (Σq = 1): π_b = k q_b,
    /// with blocks whose π would exceed 1 capped at 1 and the rest rescaled (repeated until
    /// no π exceeds 1).
    public static func inclusionProbabilities(_ q: [Double], activeCount k: Int) -> [Double] {
        precondition(k >= 1 && k <= q.count)
        var capped = [Bool](repeating: false, count: q.count)
        var pi = [Double](repeating: 0, count: q.count)
        while true {
            let free = q.indices.filter { !capped[$0] }
            let mass = free.reduce(0) { $0 + q[$1] }
            let remaining = Double(k - (q.count - free.count))
            var changed = false
            for b in q.indices {
                if capped[b] { pi[b] = 1; continue }
                pi[b] = mass > 0 ? remaining * q[b] / mass : remaining / Double(free.count)
                if pi[b] > 1 { capped[b] = true; changed = true }
            }
            if !changed { return pi.map { min($0, 1) } }
        }
    }

    /// Systematic sampling: blocks b whose interval [C_b, C_b + π_b) (C the cumulative sums)
    /// contains one of u, u + 1, u + 2, … < Σπ. P(b chosen) = π_b when π_b ≤ 1.
    public static func systematicSample(_ pi: [Double], uniform u: Double) -> [Int] {
        precondition((0..<1).contains(u))
        var chosen: [Int] = []
        var cumulative = 0.0
        var point = u
        for b in pi.indices {
            let next = cumulative + pi[b]
            if point < next {
                chosen.append(b)
                point += 1
            }
            cumulative = next
        }
        return chosen
    }

    /// Independent Bernoulli(π_b) inclusions.
    public static func bernoulliSample(_ pi: [Double], _ rng: inout PhiloxRandom) -> [Int] {
        pi.indices.filter { rng.nextUniform() < pi[$0] }
    }
}
