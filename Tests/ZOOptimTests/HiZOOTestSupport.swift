import ZOCore
@testable import ZOOptim

/// f(θ) = ½ Σ λ_i (θ_i − c_i)² over the parameters of an arbitrary layout (matrix-shaped
/// tensors for HiZOO-L), with call counting.
final class LayoutQuadraticObjective<S: ZOScalar>: Objective {
    typealias Scalar = S
    let parameters: ParameterSet<S>
    let curvature: [Double]
    var lossCalls = 0

    init(layout: ParameterLayout, curvature: [Double], start: [Double]? = nil) {
        parameters = ParameterSet(layout: layout)
        precondition(curvature.count == parameters.count)
        self.curvature = curvature
        parameters.assign((start ?? [Double](repeating: 1, count: curvature.count)).map { S($0) })
    }

    func loss() throws -> Double {
        lossCalls += 1
        var s = 0.0
        for (i, v) in parameters.buffer.enumerated() { s += 0.5 * curvature[i] * Double(v) * Double(v) }
        return s
    }
}

/// Returns the losses of `script` in turn (cycling): for feeding HiZOO chosen L₀, L₊, L₋.
/// θ = 1 over `layout` (matrices for HiZOO-L) or over `count` coordinates in `blocks`.
final class ScriptedObjective<S: ZOScalar>: Objective {
    typealias Scalar = S
    let parameters: ParameterSet<S>
    let script: [Double]
    var calls = 0

    init(layout: ParameterLayout, script: [Double]) {
        parameters = ParameterSet(layout: layout)
        parameters.assign([S](repeating: 1, count: parameters.count))
        self.script = script
    }

    convenience init(count: Int, script: [Double], blocks: [Int]? = nil) {
        var layout = ParameterLayout()
        for (b, n) in (blocks ?? [count]).enumerated() {
            layout.beginBlock("block\(b)")
            layout.add("x\(b)", Shape([n]), role: .coordinates)
        }
        self.init(layout: layout, script: script)
    }

    func loss() throws -> Double {
        defer { calls += 1 }
        return script[calls % script.count]
    }
}

/// Mean and standard error of the mean of each coordinate over samples.
struct CoordinateMeans {
    var sum: [Double]
    var sumSquares: [Double]
    var n = 0

    init(count: Int) {
        sum = [Double](repeating: 0, count: count)
        sumSquares = sum
    }

    mutating func add(_ x: [Double]) {
        for i in x.indices {
            sum[i] += x[i]
            sumSquares[i] += x[i] * x[i]
        }
        n += 1
    }

    var mean: [Double] { sum.map { $0 / Double(n) } }
    var standardError: [Double] {
        sum.indices.map { i in
            let m = sum[i] / Double(n)
            let variance = (sumSquares[i] / Double(n) - m * m) * Double(n) / Double(n - 1)
            return (max(variance, 0) / Double(n)).squareRoot()
        }
    }
}

/// λ_i = κ^{i/(d−1)}.
func geometricCurvature(d: Int, kappa: Double) -> [Double] {
    (0..<d).map { d == 1 ? 1 : Double.pow(kappa, Double($0) / Double(d - 1)) }
}

/// f(θ) = ½ θᵀAθ with a dense symmetric A (rotated quadratics for the Hessian estimator).
final class DenseQuadraticObjective: Objective {
    typealias Scalar = Double
    let parameters: ParameterSet<Double>
    let matrix: [[Double]]

    init(matrix: [[Double]], start: [Double]) {
        self.matrix = matrix
        parameters = ParameterSet(vector: start)
    }

    func loss() throws -> Double {
        let x = parameters.snapshot()
        var s = 0.0
        for i in x.indices { for j in x.indices { s += 0.5 * x[i] * matrix[i][j] * x[j] } }
        return s
    }
}
