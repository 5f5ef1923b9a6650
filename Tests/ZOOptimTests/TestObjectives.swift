import ZOCore
@testable import ZOOptim

/// f(θ) = ½ Σ λ_i (θ_i − c_i)², with exact gradient and Hessian, optional block partition,
/// optional additive minibatch noise, and call counters. The test-side objective of the
/// optimizer tests (independent of ZOFunctions).
final class QuadraticObjective<S: ZOScalar>: Objective {
    typealias Scalar = S
    let parameters: ParameterSet<S>
    let curvature: [Double]
    let center: [Double]
    var lossCalls = 0
    var gradientCalls = 0
    /// θ at every `loss()` call, when recording.
    var recordedPoints: [[Double]]? = nil
    /// Return NaN from `loss()` once this many calls have been made.
    var nanAfterCalls: Int? = nil

    /// `blocks`: sizes of consecutive coordinate blocks (default one block).
    init(curvature: [Double], center: [Double]? = nil, start: [Double]? = nil, blocks: [Int]? = nil) {
        let d = curvature.count
        self.curvature = curvature
        self.center = center ?? [Double](repeating: 0, count: d)
        var layout = ParameterLayout()
        let sizes = blocks ?? [d]
        precondition(sizes.reduce(0, +) == d)
        for (b, n) in sizes.enumerated() {
            layout.beginBlock("block\(b)")
            layout.add("x\(b)", Shape([n]), role: .coordinates)
        }
        parameters = ParameterSet(layout: layout)
        parameters.assign((start ?? [Double](repeating: 1, count: d)).map { S($0) })
    }

    /// λ_i = κ^{(i−1)/(d−1)}.
    static func diagonal(d: Int, kappa: Double, start: Double = 1, blocks: [Int]? = nil) -> QuadraticObjective {
        let lambda = (0..<d).map { d == 1 ? 1 : Double.pow(kappa, Double($0) / Double(d - 1)) }
        return QuadraticObjective(curvature: lambda, start: [Double](repeating: start, count: d), blocks: blocks)
    }

    var x: [Double] { parameters.snapshot().map(Double.init) }

    func value(at x: [Double]) -> Double {
        var s = 0.0
        for i in x.indices { s += 0.5 * curvature[i] * (x[i] - center[i]) * (x[i] - center[i]) }
        return s
    }

    func loss() throws -> Double {
        lossCalls += 1
        recordedPoints?.append(x)
        if let n = nanAfterCalls, lossCalls > n { return .nan }
        return value(at: x)
    }

    var providesGradient: Bool { true }
    var providesHessian: Bool { true }

    func lossAndGradient(into gradient: UnsafeMutableBufferPointer<S>) throws -> Double {
        gradientCalls += 1
        let x = self.x
        for i in x.indices { gradient[i] = S(curvature[i] * (x[i] - center[i])) }
        return value(at: x)
    }

    func hessianDiagonal(into diagonal: UnsafeMutableBufferPointer<Double>) throws {
        for i in curvature.indices { diagonal[i] = curvature[i] }
    }

    func hessian(into hessian: UnsafeMutableBufferPointer<Double>) throws {
        let d = curvature.count
        for i in 0..<(d * d) { hessian[i] = 0 }
        for i in 0..<d { hessian[i * d + i] = curvature[i] }
    }
}
