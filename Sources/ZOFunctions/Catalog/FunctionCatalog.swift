/// The registry of test functions: lookup by name (case-insensitive; `_`, spaces and `–`
/// count as `-`), listing, and construction with a dimension and parameters.
///
/// ```swift
/// let f = try FunctionCatalog.make("rosenbrock", dimension: 10)
/// let q = try FunctionCatalog.make("diagonal-quadratic", dimension: 100,
///                                  parameters: FunctionParameters(conditionNumber: 1e4))
/// ```
public enum FunctionCatalog {
    /// One catalog entry: metadata and a constructor.
    public struct Entry: Sendable {
        public let descriptor: FunctionDescriptor
        let make: @Sendable (Int, FunctionParameters) throws -> any TestFunction
    }

    /// Every function, in the order of TEST-FUNCTIONS.md, HiZOO's toys last.
    public static let entries: [Entry] = [
        Entry(descriptor: DiagonalQuadratic.descriptor) { d, p in
            try DiagonalQuadratic(dimension: d, conditionNumber: p.conditionNumber ?? 100)
        },
        Entry(descriptor: RotatedQuadratic.descriptor) { d, p in
            try RotatedQuadratic(dimension: d, conditionNumber: p.conditionNumber ?? 100, seed: p.seed ?? 0)
        },
        Entry(descriptor: Rosenbrock.descriptor) { d, _ in try Rosenbrock(dimension: d) },
        Entry(descriptor: ExtendedRosenbrock.descriptor) { d, _ in try ExtendedRosenbrock(dimension: d) },
        Entry(descriptor: PowellSingular.descriptor) { d, _ in try PowellSingular(dimension: d) },
        Entry(descriptor: Beale.descriptor) { d, _ in try Beale(dimension: d) },
        Entry(descriptor: Himmelblau.descriptor) { d, _ in try Himmelblau(dimension: d) },
        Entry(descriptor: SixHumpCamel.descriptor) { d, _ in try SixHumpCamel(dimension: d) },
        Entry(descriptor: StyblinskiTang.descriptor) { d, _ in try StyblinskiTang(dimension: d) },
        Entry(descriptor: Rastrigin.descriptor) { d, _ in try Rastrigin(dimension: d) },
        Entry(descriptor: Ackley.descriptor) { d, _ in try Ackley(dimension: d) },
        Entry(descriptor: Zakharov.descriptor) { d, _ in try Zakharov(dimension: d) },
        Entry(descriptor: DixonPrice.descriptor) { d, _ in try DixonPrice(dimension: d) },
        Entry(descriptor: Trid.descriptor) { d, _ in try Trid(dimension: d) },
        Entry(descriptor: SumOfDifferentPowers.descriptor) { d, _ in try SumOfDifferentPowers(dimension: d) },
        Entry(descriptor: Powell1973.descriptor) { d, p in try Powell1973(dimension: d, startOffset: p.startOffset ?? 0.5) },
        Entry(descriptor: NoisyLeastSquares.descriptor) { d, p in
            try NoisyLeastSquares(dimension: d, sampleCount: p.sampleCount, noiseLevel: p.noiseLevel ?? 0.5, seed: p.seed ?? 0)
        },
        Entry(descriptor: BlockHeterogeneousQuadratic.descriptor) { d, p in
            try BlockHeterogeneousQuadratic(dimension: d, blockCount: p.blockCount, scaleSpan: p.conditionNumber ?? 1e4,
                                            seed: p.seed ?? 0)
        },
        Entry(descriptor: HiZOOToyA.descriptor) { d, _ in try HiZOOToyA(dimension: d) },
        Entry(descriptor: HiZOOToyB.descriptor) { d, _ in try HiZOOToyB(dimension: d) },
        Entry(descriptor: HiZOOToyC.descriptor) { d, _ in try HiZOOToyC(dimension: d) },
    ]

    /// Default minibatch size of functions that are stochastic by default.
    static let defaultBatchSizes: [String: Int] = [NoisyLeastSquares.descriptor.id: 32]

    /// All descriptors, catalog order.
    public static var descriptors: [FunctionDescriptor] { entries.map(\.descriptor) }

    /// All ids, catalog order.
    public static var names: [String] { entries.map(\.descriptor.id) }

    /// The entry called `name`.
    /// - Throws: ``FunctionError/unknownFunction(_:suggestions:)`` with up to three close names.
    public static func entry(named name: String) throws -> Entry {
        let key = NameMatching.normalised(name)
        if let e = entries.first(where: { NameMatching.normalised($0.descriptor.id) == key })
            ?? entries.first(where: { NameMatching.compact($0.descriptor.id) == NameMatching.compact(name) }) {
            return e
        }
        throw FunctionError.unknownFunction(name, suggestions: NameMatching.suggestions(for: name, among: names))
    }

    /// The descriptor of `name`.
    public static func descriptor(named name: String) throws -> FunctionDescriptor {
        try entry(named: name).descriptor
    }

    /// Builds function `name` in `dimension` (default: its default dimension).
    ///
    /// Setting `batchSize` on a sum-structured function returns its ``SampledTerms``
    /// minibatch version (batches seeded by `seed`); `noisy-least-squares` is sampled with
    /// B = 32 unless told otherwise, and a batch size ≥ the number of terms gives the
    /// deterministic full-batch function.
    /// - Throws: ``FunctionError``: unknown name, unsupported dimension, a parameter the
    ///   function does not take, an out-of-range or non-finite parameter.
    public static func make(_ name: String, dimension: Int? = nil,
                            parameters: FunctionParameters = FunctionParameters()) throws -> any TestFunction {
        let entry = try entry(named: name)
        let descriptor = entry.descriptor
        for p in parameters.setParameters where !descriptor.accepts(p) {
            let accepted = descriptor.parameters.map(\.parameter.rawValue)
            throw FunctionError.invalidParameter(
                function: descriptor.id, parameter: p.rawValue,
                reason: "is not taken by this function (" + (accepted.isEmpty ? "it takes none" : "it takes: " + accepted.joined(separator: ", ")) + ")")
        }
        let d = dimension ?? descriptor.defaultDimension
        try ParameterCheck.dimension(d, descriptor.dimensions, function: descriptor.id)
        let function = try entry.make(d, parameters)
        guard let batchSize = parameters.batchSize ?? defaultBatchSizes[descriptor.id],
              let sum = function as? any SumOfTerms else { return function }
        try ParameterCheck.integer(batchSize, in: 1...Int.max, .batchSize, function: descriptor.id)
        return batchSize >= sum.termCount ? function : try sampled(sum, batchSize: batchSize, seed: parameters.seed ?? 0)
    }

    private static func sampled<F: SumOfTerms>(_ f: F, batchSize: Int, seed: UInt64) throws -> any TestFunction {
        try SampledTerms(f, batchSize: batchSize, seed: seed)
    }
}
