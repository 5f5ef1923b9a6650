import Foundation

/// f(x) = ½ Σ_b s_b Σ_{i ∈ block b} uᵢ xᵢ²: B coordinate blocks whose curvature (and hence
/// gradient) scales s_b are log-spaced over `scaleSpan` (default 10⁴) and assigned to the
/// blocks in a seeded random order; uᵢ ∈ [0.5, 1.5) is a seeded per-coordinate jitter.
///
/// The blocks are exposed as ``TestFunction/naturalBlocks``, so a ``FunctionObjective`` makes
/// them ``ParameterSet`` blocks and block-coordinate methods (uniform / bandit / cyclic BCD,
/// CHECKS.md 6) see them. At the start x = 1 the block gradient norms are ‖g_b‖ = s_b‖u_b‖, so
/// they span `scaleSpan` up to the jitter (a factor < 3). Blocks are contiguous and their
/// sizes differ by at most one. The seeded order means "ascending cyclic" is not also
/// "ascending scale".
public struct BlockHeterogeneousQuadratic: TestFunction {
    public static let descriptor = FunctionDescriptor(
        id: "block-heterogeneous-quadratic", displayName: "Block-heterogeneous quadratic",
        formula: "f(x) = ½ Σ_b s_b Σ_{i∈b} uᵢ xᵢ²,  s_b log-spaced over [1, κ] in seeded order,  uᵢ ∈ [0.5, 1.5)",
        purpose: "blocks with gradient scales spanning 10⁴: BCD / bandit block probabilities",
        dimensions: .atLeast(1), defaultDimension: 16, minimumSummary: "0 at x = 0",
        parameters: [ParameterSpec(.conditionNumber, default: "10000", "span s_max / s_min of the block scales (≥ 1)"),
                     ParameterSpec(.blockCount, default: "min(4, d)", "number of blocks B (1 ≤ B ≤ d)"),
                     ParameterSpec(.seed, default: "0", "seed of the scale order and the jitter u")],
        notes: ["Blocks are contiguous coordinate ranges, sizes differing by at most one."],
        source: "ZOLab (CHECKS.md 6)")

    public let dimension: Int
    public let scaleSpan: Double
    public let seed: UInt64
    /// s_b, the scale of each block (block order).
    public let blockScales: [Double]
    /// The coordinate ranges of the blocks.
    public let blockRanges: [Range<Int>]
    /// hᵢ = s_{b(i)} uᵢ, the Hessian's diagonal.
    public let curvatures: [Double]

    public init(dimension: Int, blockCount: Int? = nil, scaleSpan: Double = 1e4, seed: UInt64 = 0) throws {
        let id = Self.descriptor.id
        try ParameterCheck.dimension(dimension, Self.descriptor.dimensions, function: id)
        try ParameterCheck.finite(scaleSpan, atLeast: 1, .conditionNumber, function: id)
        let blocks = blockCount ?? min(4, dimension)
        try ParameterCheck.integer(blocks, in: 1...dimension, .blockCount, function: id)
        self.dimension = dimension
        self.scaleSpan = scaleSpan
        self.seed = seed
        var generator = SeededDraws.generator(seed: seed, purpose: .blockScales)
        let order = SeededDraws.permutation(blocks, using: &generator)
        let levels = DiagonalQuadratic.logSpaced(scaleSpan, count: blocks)
        blockScales = order.map { levels[$0] }
        blockRanges = (0..<blocks).map { b in (b * dimension / blocks)..<((b + 1) * dimension / blocks) }
        var h = [Double](repeating: 0, count: dimension)
        for (b, range) in blockRanges.enumerated() {
            for i in range { h[i] = blockScales[b] * (0.5 + generator.nextUniform()) }
        }
        curvatures = h
    }

    public var descriptor: FunctionDescriptor { Self.descriptor }
    public var domain: FunctionDomain { .unbounded(dimension: dimension) }
    public var viewDomain: FunctionDomain { .cube(-1.5...1.5, dimension: dimension) }
    public var minimum: GlobalMinimum {
        .attained(value: 0, points: [Array(repeating: 0, count: dimension)], note: nil)
    }
    public var startPoints: [[Double]] { [Array(repeating: 1, count: dimension)] }

    public var naturalBlocks: [FunctionBlock] {
        blockRanges.enumerated().map { b, r in
            FunctionBlock(name: "block\(b) (scale \(NumberText.short(blockScales[b], digits: 3)))", range: r)
        }
    }

    public func value(at x: UnsafeBufferPointer<Double>) -> Double {
        var sum = 0.0
        for i in 0..<dimension { sum += curvatures[i] * x[i] * x[i] }
        return 0.5 * sum
    }

    public func valueAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        var sum = 0.0
        for i in 0..<dimension {
            g[i] = curvatures[i] * x[i]
            sum += g[i] * x[i]
        }
        return 0.5 * sum
    }

    public func hessian(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        h.update(repeating: 0)
        for i in 0..<dimension { h[i * dimension + i] = curvatures[i] }
    }

    public func hessianDiagonal(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<dimension { h[i] = curvatures[i] }
    }
}
