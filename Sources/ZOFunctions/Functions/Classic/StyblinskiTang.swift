/// The Styblinski–Tang function f(x) = ½ Σᵢ (xᵢ⁴ − 16xᵢ² + 5xᵢ).
///
/// Each coordinate has two wells: the global one at x* = −2.9035340277711771 (so
/// min f = −39.166165703771415·d) and a local one at 2.7468027709908370,
/// separated by a local maximum at 0.15673125678034010 — negative curvature (φ″ = 6x² − 16 < 0
/// for |x| < 1.633) between the wells. All 3ᵈ combinations of the three roots of
/// 4x³ − 32x + 5 = 0 are critical points; ``criticalPoints`` lists them for d ≤ 3 and the
/// all-local minimum and the all-maximum point otherwise.
public struct StyblinskiTang: SeparableFunction {
    /// Roots of φ′(x) = 2x³ − 16x + 2.5 (30-digit Newton, rounded): global min, max, local min.
    public static let roots = (globalMinimum: -2.9035340277711771, maximum: 0.15673125678034010,
                               localMinimum: 2.7468027709908370)
    /// min f / d.
    public static let minimumPerCoordinate = -39.166165703771415

    public static let descriptor = FunctionDescriptor(
        id: "styblinski-tang", displayName: "Styblinski–Tang",
        formula: "f(x) = ½ Σᵢ (xᵢ⁴ − 16xᵢ² + 5xᵢ)",
        purpose: "negative curvature between wells",
        dimensions: .atLeast(1), defaultDimension: 2, minimumSummary: "−39.16617·d at xᵢ = −2.903534",
        parameters: [ParameterSpec(.batchSize, default: "none", "sample this many of the d coordinate terms per batch"),
                     ParameterSpec(.seed, default: "0", "seed of the minibatches (with batch-size)")],
        notes: ["Local minima at every other combination of xᵢ ∈ {−2.903534, 2.746803}."],
        source: "Styblinski & Tang 1990")

    public let dimension: Int

    public init(dimension: Int = 2) throws {
        try ParameterCheck.dimension(dimension, Self.descriptor.dimensions, function: Self.descriptor.id)
        self.dimension = dimension
    }

    public var descriptor: FunctionDescriptor { Self.descriptor }
    public var domain: FunctionDomain { .cube(-5...5, dimension: dimension) }
    public var minimum: GlobalMinimum {
        .attained(value: Self.minimumPerCoordinate * Double(dimension),
                  points: [Array(repeating: Self.roots.globalMinimum, count: dimension)], note: nil)
    }
    /// 0 (on the ridge between the wells, tilted towards the global one) and 4 (leads a
    /// descent method into the local wells).
    public var startPoints: [[Double]] {
        [Array(repeating: 0, count: dimension), Array(repeating: 4, count: dimension)]
    }

    public var criticalPoints: [CriticalPoint] {
        let r = Self.roots
        let levels = [r.globalMinimum, r.maximum, r.localMinimum]
        func point(_ choice: [Int]) -> CriticalPoint {
            let x = choice.map { levels[$0] }
            let maxima = choice.filter { $0 == 1 }.count
            let kind: CriticalPoint.Kind = maxima == 0 ? .localMinimum : (maxima == dimension ? .localMaximum : .saddle)
            return CriticalPoint(kind, x, value: value(x))
        }
        guard dimension <= 3 else {
            return [point(Array(repeating: 2, count: dimension)), point(Array(repeating: 1, count: dimension))]
        }
        var all: [[Int]] = [[]]
        for _ in 0..<dimension { all = all.flatMap { prefix in (0..<3).map { prefix + [$0] } } }
        return all.filter { $0.contains(where: { $0 != 0 }) }.map(point)
    }

    public func component(_ index: Int, _ v: Double) -> (value: Double, slope: Double, curvature: Double) {
        let v2 = v * v
        return (0.5 * (v2 * v2 - 16 * v2 + 5 * v), 2 * v2 * v - 16 * v + 2.5, 6 * v2 - 16)
    }
}
