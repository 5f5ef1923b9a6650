import ZOCore

/// Seeded draws on top of ZOCore's ``PhiloxRandom`` whose results are fixed by this code
/// alone: the standard library's `Int.random(in:using:)` and `shuffle(using:)` do not promise
/// a stable algorithm across Swift versions, so batch contents and seeded data would not be
/// reproducible from (seed, index) alone if they were used.
enum SeededDraws {
    /// Salts that separate the purposes of one seed (data, rotation, batches, …).
    enum Purpose: UInt64 {
        case rotation = 0x524F_5441_5445  // "ROTATE"
        case blockScales = 0x424C_4F43_4B53  // "BLOCKS"
        case leastSquaresDesign = 0x4445_5349_474E  // "DESIGN"
        case leastSquaresSolution = 0x504C_414E_54  // "PLANT"
        case leastSquaresNoise = 0x4E4F_4953_45  // "NOISE"
        case minibatch = 0x4241_5443_48  // "BATCH"
    }

    /// The noise key of `purpose` under `seed`, for stream `index` (e.g. a batch index).
    static func key(seed: UInt64, purpose: Purpose, index: Int = 0) -> NoiseKey {
        NoiseKey(seed: seed, stream: UInt64(bitPattern: Int64(index))).derived(purpose.rawValue)
    }

    /// A generator for `purpose` under `seed`, stream `index`.
    static func generator(seed: UInt64, purpose: Purpose, index: Int = 0) -> PhiloxRandom {
        PhiloxRandom(key: key(seed: seed, purpose: purpose, index: index))
    }

    /// Uniform integer in 0 ..< `bound` (bound > 0) by Lemire's multiply-and-reject method,
    /// exactly unbiased.
    static func integer(below bound: Int, using generator: inout PhiloxRandom) -> Int {
        precondition(bound > 0)
        let n = UInt64(bound)
        var product = generator.next().multipliedFullWidth(by: n)
        if product.low < n {
            let threshold = (0 &- n) % n
            while product.low < threshold { product = generator.next().multipliedFullWidth(by: n) }
        }
        return Int(product.high)
    }

    /// A uniformly random permutation of 0 ..< `count` (Fisher–Yates).
    static func permutation(_ count: Int, using generator: inout PhiloxRandom) -> [Int] {
        var p = Array(0..<count)
        if count < 2 { return p }
        for i in stride(from: count - 1, to: 0, by: -1) {
            p.swapAt(i, integer(below: i + 1, using: &generator))
        }
        return p
    }

    /// `size` distinct values of 0 ..< `population`, uniformly among all such subsets, in
    /// ascending order (Floyd's algorithm: `size` draws, no O(population) work).
    static func sample(_ size: Int, of population: Int, using generator: inout PhiloxRandom) -> [Int] {
        precondition(size >= 0 && size <= population)
        var chosen = Set<Int>(minimumCapacity: size)
        for j in (population - size)..<population {
            let t = integer(below: j + 1, using: &generator)
            chosen.insert(chosen.contains(t) ? j : t)
        }
        return chosen.sorted()
    }
}
