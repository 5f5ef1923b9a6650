import Testing
import ZOCore
@testable import ZOOptim

@Suite("MeZO and the shared ZO machinery")
struct MeZOTests {
    // The convergence budgets (q = 1, q = 4, one-sided) are in ZOFamilyConvergenceTests.

    @Test func regeneratedPerturbationEqualsTheOneUsed() throws {
        let f = QuadraticObjective<Float>.diagonal(d: 300, kappa: 5)
        f.recordedPoints = []
        let opt = MeZO(parameters: f.parameters, learningRate: 1e-3, epsilon: 1e-2)
        let theta0 = f.x
        _ = try opt.step(f, context: StepContext(step: 7, runSeed: 99))
        let plus = try #require(f.recordedPoints?.first)
        let z = StreamDirection<Float>(parameters: f.parameters).materialize(key: NoiseKey(seed: 99, stream: 7),
                                                                              parameters: f.parameters)
        for i in 0..<300 {
            #expect(abs((plus[i] - theta0[i]) - 1e-2 * Double(z[i])) < 1e-6)
        }
    }

    @Test func sameSeedGivesABitIdenticalTrajectory() throws {
        func trajectory(seed: UInt64) throws -> [[Double]] {
            let f = QuadraticObjective<Float>.diagonal(d: 8, kappa: 100)
            let opt = try OptimizerRegistry.make("mezo", options: ["lr": "1e-3"], parameters: f.parameters)
            return try OptimizationRun.run(f, optimizer: opt, configuration: RunConfiguration(steps: 50, seed: seed)).trajectory
        }
        let a = try trajectory(seed: 5), b = try trajectory(seed: 5), c = try trajectory(seed: 6)
        #expect(a == b)
        #expect(a != c)
        #expect(a.count == 51)
    }

    @Test(arguments: [(false, 1, 2), (true, 1, 2), (false, 3, 6), (true, 4, 5)])
    func countsForwardPasses(oneSided: Bool, q: Int, expected: Int) throws {
        let f = QuadraticObjective<Double>.diagonal(d: 4, kappa: 2)
        let opt = MeZO(parameters: f.parameters, learningRate: 1e-3, directions: q, oneSided: oneSided)
        let report = try opt.step(f, context: StepContext(step: 0, runSeed: 1))
        #expect(report.forwardPasses == expected && f.lossCalls == expected)
        #expect(report.projectedGradients.count == q && report.stateBytes == 0 && report.backwardPasses == 0)
        #expect(report.losses.count == expected)
    }

    @Test func weightDecaySkipsNonDecayingGroupsAndMatchesTheUnfusedFormula() throws {
        // Two blocks: a weight (decays) and a bias (does not). Compare one step against
        // θ − η (g z + λ θ) computed by hand from the recorded losses.
        var layout = ParameterLayout()
        layout.beginBlock("w")
        layout.add("w", [3], role: .weight)
        layout.add("b", [2], role: .bias)
        let f = QuadraticObjective<Double>(curvature: [1, 2, 3, 4, 5], start: [0.5, -0.5, 1, 2, -1])
        let p = ParameterSet<Double>(layout: layout)
        p.assign(f.parameters.snapshot())
        let g = WrappedObjective(inner: f, parameters: p)
        let theta0 = p.snapshot()
        let opt = MeZO(parameters: p, learningRate: 0.1, epsilon: 1e-3, weightDecay: 0.5)
        let report = try opt.step(g, context: StepContext(step: 3, runSeed: 4))
        let z = StreamDirection<Double>(parameters: p).materialize(key: NoiseKey(seed: 4, stream: 3), parameters: p)
        let gHat = report.projectedGradients[0]
        let after = p.snapshot()
        for i in 0..<5 {
            let decay = i < 3 ? 0.5 * theta0[i] : 0
            #expect(abs(after[i] - (theta0[i] - 0.1 * (gHat * z[i] + decay))) < 1e-12)
        }
    }

    @Test func nonFiniteLossStopsTheRunAndRestoresTheParameters() throws {
        let f = QuadraticObjective<Double>.diagonal(d: 5, kappa: 3)
        f.nanAfterCalls = 1 + 2 * 10 + 10 + 1   // evaluations + 10 good steps, then NaN mid-step
        let opt = MeZO(parameters: f.parameters, learningRate: 1e-2)
        let result = try OptimizationRun.run(f, optimizer: opt, configuration: RunConfiguration(steps: 100, seed: 2))
        let divergence = try #require(result.divergence)
        #expect(divergence.step <= 11)
        #expect(f.parameters.isFinite)
        // θ is back at the last recorded point, up to the rounding of the in-place restore.
        for (a, b) in zip(f.x, result.trajectory.last!) { #expect(abs(a - b) < 1e-12) }
    }

    @Test func registryRejectsBadInput() throws {
        let p = ParameterSet<Double>(vector: [1, 2])
        #expect(throws: OptimizerError.self) { try OptimizerRegistry.make("nope", parameters: p) }
        #expect(throws: OptimizerError.self) { try OptimizerRegistry.make("mezo", options: ["lrr": "1"], parameters: p) }
        for bad in ["-1", "0", "nan", "inf", "abc"] {
            #expect(throws: OptimizerError.self) { try OptimizerRegistry.make("mezo", options: ["lr": bad], parameters: p) }
        }
        #expect(throws: OptimizerError.self) { try OptimizerRegistry.make("mezo", options: ["q": "0"], parameters: p) }
        #expect(throws: OptimizerError.self) {
            try OptimizerRegistry.make("mezo", options: ["distribution": "cauchy"], parameters: p)
        }
        let message = "\(OptimizerError.unknownOptimizer("nope", known: OptimizerRegistry.names))"
        #expect(message.contains("mezo"))
    }
}

/// Evaluates `inner`'s loss at the values of another parameter set with the same count.
final class WrappedObjective<S: ZOScalar>: Objective {
    typealias Scalar = S
    let inner: QuadraticObjective<S>
    let parameters: ParameterSet<S>
    init(inner: QuadraticObjective<S>, parameters: ParameterSet<S>) {
        self.inner = inner
        self.parameters = parameters
    }
    func loss() throws -> Double { inner.value(at: parameters.snapshot().map(Double.init)) }
}

@Suite("Block-restricted MeZO steps")
struct BlockwiseMeZOTests {
    @Test func onlyActiveBlocksChange() throws {
        let f = QuadraticObjective<Float>.diagonal(d: 12, kappa: 4, blocks: [4, 4, 4])
        let before = f.x
        let opt = MeZO(parameters: f.parameters, learningRate: 1e-2)
        let report = try opt.step(f, context: StepContext(step: 0, runSeed: 3), blocks: [1], blockScales: nil)
        let after = f.x
        #expect(report.activeBlocks == [1])
        #expect(Array(after[0..<4]) == Array(before[0..<4]) && Array(after[8..<12]) == Array(before[8..<12]))
        #expect(Array(after[4..<8]) != Array(before[4..<8]))
    }

    @Test func blockScalesMultiplyTheUpdateOnly() throws {
        // Same seed, scale 2 on the single active block: the update is twice the unscaled one.
        func delta(scale: Double?) throws -> [Double] {
            let f = QuadraticObjective<Double>.diagonal(d: 6, kappa: 2, blocks: [3, 3])
            let before = f.x
            let opt = MeZO(parameters: f.parameters, learningRate: 1e-2)
            _ = try opt.step(f, context: StepContext(step: 1, runSeed: 8), blocks: [0], blockScales: scale.map { [$0] })
            return zip(f.x, before).map { $0 - $1 }
        }
        let one = try delta(scale: nil), two = try delta(scale: 2)
        for i in 0..<3 { #expect(abs(two[i] - 2 * one[i]) < 1e-12) }
        for i in 3..<6 { #expect(one[i] == 0 && two[i] == 0) }
    }
}
