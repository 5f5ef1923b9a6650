import ZOCore
@testable import ZOOptim

/// ½ Σ λᵢ (θᵢ − cᵢ)² over an arbitrary ``ParameterLayout`` (matrices, biases, several blocks),
/// with exact gradient and Hessian and call counters — the ZO-family tests' objective where
/// `QuadraticObjective`'s single-vector layout is not enough (SubZero's matrices, Sparse
/// MeZO's per-tensor thresholds, AdamW's ≥2-D rule).
final class LayoutQuadratic<S: ZOScalar>: Objective {
    typealias Scalar = S
    let parameters: ParameterSet<S>
    let curvature: [Double]
    let center: [Double]
    var lossCalls = 0
    var gradientCalls = 0
    var recordedPoints: [[Double]]? = nil
    var gradientAvailable = true
    var hessianAvailable = true

    init(layout: ParameterLayout, curvature: [Double], center: [Double]? = nil, start: [Double]) {
        parameters = ParameterSet(layout: layout)
        precondition(curvature.count == parameters.count && start.count == parameters.count)
        self.curvature = curvature
        self.center = center ?? [Double](repeating: 0, count: parameters.count)
        parameters.assign(start.map { S($0) })
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
        return value(at: x)
    }

    var providesGradient: Bool { gradientAvailable }
    var providesHessian: Bool { hessianAvailable }

    func lossAndGradient(into gradient: UnsafeMutableBufferPointer<S>) throws -> Double {
        guard gradientAvailable else { throw ObjectiveError.unavailable("gradient") }
        gradientCalls += 1
        let x = self.x
        for i in x.indices { gradient[i] = S(curvature[i] * (x[i] - center[i])) }
        return value(at: x)
    }

    func hessianDiagonal(into diagonal: UnsafeMutableBufferPointer<Double>) throws {
        guard hessianAvailable else { throw ObjectiveError.unavailable("Hessian diagonal") }
        for i in curvature.indices { diagonal[i] = curvature[i] }
    }

    func hessian(into hessian: UnsafeMutableBufferPointer<Double>) throws {
        guard hessianAvailable else { throw ObjectiveError.unavailable("Hessian") }
        let d = curvature.count
        for i in 0..<(d * d) { hessian[i] = 0 }
        for i in 0..<d { hessian[i * d + i] = curvature[i] }
    }

    /// Two blocks: "layer0" = w0 [rows × cols] weight + b0 [cols] bias, "layer1" = w1 [cols × rows]
    /// + ln [rows] norm. Curvatures 1…κ geometric, centre 0, start from a fixed pseudo-random draw.
    static func twoLayer(rows: Int, cols: Int, kappa: Double = 4, seed: UInt64 = 11) -> LayoutQuadratic {
        var layout = ParameterLayout()
        layout.beginBlock("layer0", layer: 0)
        layout.add("w0", Shape([rows, cols]), role: .weight)
        layout.add("b0", Shape([cols]), role: .bias)
        layout.beginBlock("layer1", layer: 1)
        layout.add("w1", Shape([cols, rows]), role: .weight)
        layout.add("ln", Shape([rows]), role: .norm)
        let d = layout.count
        let lambda = (0..<d).map { Double.pow(kappa, Double($0) / Double(max(d - 1, 1))) }
        var rng = PhiloxRandom(seed: seed)
        let start = (0..<d).map { _ in rng.nextGaussian() }
        return LayoutQuadratic(layout: layout, curvature: lambda, start: start)
    }
}

/// Wraps an objective and hides its gradient / Hessian (for the requires… errors).
final class ForwardOnly<S: ZOScalar>: Objective {
    typealias Scalar = S
    let inner: any Objective<S>
    init(_ inner: any Objective<S>) { self.inner = inner }
    var parameters: ParameterSet<S> { inner.parameters }
    func loss() throws -> Double { try inner.loss() }
}

enum ZOFamilyTesting {
    /// Runs `steps` steps of `optimizer` from `startStep`, calling `step` directly (no driver).
    static func steps<S>(_ optimizer: any Optimizer<S>, on f: any Objective<S>, from startStep: Int, count: Int,
                         seed: UInt64) throws {
        for t in startStep..<(startStep + count) {
            f.selectBatch(t)
            _ = try optimizer.step(f, context: StepContext(step: t, runSeed: seed))
        }
    }

    /// The registry's ZO-family and first-order methods this branch adds, with small-problem options.
    static let methods: [(name: String, options: [String: String])] = [
        ("zo-sgd-mmt", ["lr": "1e-3"]),
        ("zo-sgd-cons", ["lr": "1e-3"]),
        ("zo-sgd-sign", ["lr": "1e-3"]),
        ("zo-adam", ["lr": "1e-3"]),
        ("sparse-mezo", ["lr": "1e-3", "sparsity": "0.5"]),
        ("subzero", ["lr": "1e-3", "rank": "2", "period": "3"]),
        ("sgd", ["lr": "1e-2", "momentum": "0.9", "nesterov": "true"]),
        ("adam", ["lr": "1e-2"]),
        ("adamw", ["lr": "1e-2"]),
        ("gd", ["lr": "1e-2"]),
        ("newton", ["lr": "0.5"]),
        ("diag-newton", ["lr": "0.5"]),
    ]
}
