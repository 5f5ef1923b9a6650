import Foundation
import ZOCore

/// Seeded separable quadratics on matrix-shaped layouts (claims 4, 5, 8c, 9, 10).
enum MatrixProblems {
    /// hᵢ ∈ [0.5, 2) log-uniform, cᵢ ~ N(0, 1), start θᵢ = cᵢ + N(0, 1)·0.5 + 0.25·sign: the gradient
    /// h(θ − c) is a generic direction and |θ| has no ties (Sparse MeZO's magnitude mask).
    static func quadratic<S: ZOScalar>(_ layout: ParameterLayout, seed: UInt64, as: S.Type = S.self) -> SeparableQuadraticObjective<S> {
        let d = layout.count
        let u: [Double] = Noise.values(count: d, key: NoiseKey(seed: seed, stream: 1), kind: .uniform)
        let c: [Double] = Noise.values(count: d, key: NoiseKey(seed: seed, stream: 2))
        let z: [Double] = Noise.values(count: d, key: NoiseKey(seed: seed, stream: 3))
        let h = u.map { 0.5 * pow(4, $0) }
        let start = (0..<d).map { c[$0] + 0.5 * z[$0] + (z[$0] >= 0 ? 0.25 : -0.25) }
        return SeparableQuadraticObjective<S>(layout: layout, curvature: h, center: c, start: start)
    }

    /// One square matrix of side `side` (d = side²) in one block.
    static func square(_ side: Int) -> ParameterLayout { ProblemLayouts.matrices([(side, side)]) }
}
