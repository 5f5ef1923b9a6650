import ZOCore

/// L(θ) = ½ Σᵢ hᵢ (θᵢ − cᵢ)² over a ``ParameterSet`` of any layout (matrices, vectors,
/// blocks), in either scalar type: the matrix-shaped problems of claims 5 (SubZero), 8c
/// (Sparse MeZO), 9 (HiZOO-L) and 10 (memory), where the test functions' single coordinate
/// vector would hide the shapes the optimizers act on.
///
/// The loss is accumulated in Double. Gradient and Hessian (diagonal, hᵢ) are exact; the
/// minimiser is c with value 0. Deterministic (no minibatches).
public final class SeparableQuadraticObjective<Scalar: ZOScalar>: Objective {
    public let parameters: ParameterSet<Scalar>
    /// hᵢ > 0, the Hessian's diagonal.
    public let curvature: [Double]
    /// cᵢ, the minimiser.
    public let center: [Double]
    public private(set) var forwardCount = 0

    public init(layout: ParameterLayout, curvature: [Double], center: [Double], start: [Double]) {
        precondition(curvature.count == layout.count && center.count == layout.count && start.count == layout.count,
                     "curvature, center and start need \(layout.count) values")
        self.parameters = ParameterSet(layout: layout)
        self.curvature = curvature
        self.center = center
        parameters.assign(start.map { Scalar($0) })
    }

    public var providesGradient: Bool { true }
    public var providesHessian: Bool { true }

    public func loss() throws -> Double {
        forwardCount += 1
        let s: Double
        // Concrete loops: this is called through `any Objective`, where a generic loop would run
        // unspecialised (the profile showed it as the hottest non-noise code of the checks).
        let raw = UnsafeRawPointer(parameters.values.base)
        if Scalar.self == Double.self {
            s = Self.weightedSquares(raw.assumingMemoryBound(to: Double.self), curvature, center)
        } else if Scalar.self == Float.self {
            s = Self.weightedSquares(raw.assumingMemoryBound(to: Float.self), curvature, center)
        } else {
            let x = parameters.buffer
            var t = 0.0
            for i in 0..<x.count {
                let r = Double(x[i]) - center[i]
                t += curvature[i] * r * r
            }
            s = t
        }
        guard s.isFinite else { throw ObjectiveError.nonFiniteLoss(s) }
        return 0.5 * s
    }

    /// Σ hᵢ (xᵢ − cᵢ)² in Double.
    static func weightedSquares(_ x: UnsafePointer<Double>, _ h: [Double], _ c: [Double]) -> Double {
        h.withUnsafeBufferPointer { h in
            c.withUnsafeBufferPointer { c in
                var s = 0.0
                for i in 0..<h.count {
                    let r = x[i] - c[i]
                    s += h[i] * r * r
                }
                return s
            }
        }
    }

    static func weightedSquares(_ x: UnsafePointer<Float>, _ h: [Double], _ c: [Double]) -> Double {
        h.withUnsafeBufferPointer { h in
            c.withUnsafeBufferPointer { c in
                var s = 0.0
                for i in 0..<h.count {
                    let r = Double(x[i]) - c[i]
                    s += h[i] * r * r
                }
                return s
            }
        }
    }

    public func lossAndGradient(into gradient: UnsafeMutableBufferPointer<Scalar>) throws -> Double {
        let x = parameters.buffer
        var s = 0.0
        for i in 0..<x.count {
            let r = Double(x[i]) - center[i]
            s += curvature[i] * r * r
            gradient[i] = Scalar(curvature[i] * r)
        }
        guard s.isFinite else { throw ObjectiveError.nonFiniteLoss(s) }
        return 0.5 * s
    }

    public func hessianDiagonal(into diagonal: UnsafeMutableBufferPointer<Double>) throws {
        for i in curvature.indices { diagonal[i] = curvature[i] }
    }

    public func hessian(into hessian: UnsafeMutableBufferPointer<Double>) throws {
        let d = curvature.count
        hessian.update(repeating: 0)
        for i in 0..<d { hessian[i * d + i] = curvature[i] }
    }

    /// ∇L at the current θ, in Double.
    public func gradientValues() -> [Double] {
        let x = parameters.buffer
        return (0..<x.count).map { curvature[$0] * (Double(x[$0]) - center[$0]) }
    }
}

/// Layouts of matrix-shaped problems.
public enum ProblemLayouts {
    /// One block per (rows × cols) matrix, each followed by a `bias` vector of `cols` entries
    /// when `withBias`.
    public static func matrices(_ shapes: [(rows: Int, cols: Int)], withBias: Bool = false) -> ParameterLayout {
        var layout = ParameterLayout()
        for (k, s) in shapes.enumerated() {
            layout.beginBlock("layer\(k)", layer: k)
            layout.add("layer\(k).weight", Shape([s.rows, s.cols]), role: .weight)
            if withBias { layout.add("layer\(k).bias", Shape([s.cols]), role: .bias) }
        }
        return layout
    }

    /// `blocks` blocks of one coordinate vector each, sizes differing by at most one.
    public static func vectors(dimension d: Int, blocks: Int = 1) -> ParameterLayout {
        var layout = ParameterLayout()
        for b in 0..<blocks {
            let range = (b * d / blocks)..<((b + 1) * d / blocks)
            layout.beginBlock("block\(b)")
            layout.add("x\(b)", Shape([range.count]), role: .coordinates)
        }
        return layout
    }
}
