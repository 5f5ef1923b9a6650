import Testing
import ZOCore
@testable import ZOFunctions

/// FunctionObjective's conformance to ZOCore's Objective contract.
@Suite("FunctionObjective")
struct ObjectiveTests {
    /// Generic use through the protocol, as an optimizer would.
    func evaluate<O: Objective>(_ objective: O) throws -> (loss: Double, gradient: [O.Scalar]) where O.Scalar == Double {
        let loss = try objective.loss()
        return (loss, try objective.gradient())
    }

    @Test func lossGradientAndHessiansMatchTheFunctionAtTheCurrentParameters() throws {
        let f = try Rosenbrock(dimension: 4)
        let objective = try FunctionObjective(f)
        #expect(objective.parameters.snapshot() == f.defaultStart)
        let x = [0.3, -0.2, 1.4, 0.9]
        objective.parameters.assign(x)
        let (loss, gradient) = try evaluate(objective)
        #expect(loss == f.value(x))
        #expect(gradient == f.gradient(x))
        var diagonal = [Double](repeating: 0, count: 4)
        try diagonal.withUnsafeMutableBufferPointer { try objective.hessianDiagonal(into: $0) }
        #expect(diagonal == f.hessianDiagonal(x))
        var hessian = [Double](repeating: 0, count: 16)
        try hessian.withUnsafeMutableBufferPointer { try objective.hessian(into: $0) }
        #expect(hessian == f.hessian(x))
        #expect(objective.providesGradient && objective.providesHessian && !objective.isStochastic)
        #expect(objective.counts.forward == 1 && objective.counts.gradient == 1 && objective.counts.hessian == 2)
        objective.resetCounts()
        #expect(objective.counts == EvaluationCounts())
    }

    @Test func perturbingTheSlabInPlaceChangesTheLoss() throws {
        let objective = try FunctionObjective(DiagonalQuadratic(dimension: 3, conditionNumber: 10))
        let before = try objective.loss()
        Noise.addScaled(objective.parameters.buffer, scale: 0.1, key: NoiseKey(seed: 1, stream: 0))
        let after = try objective.loss()
        Noise.addScaled(objective.parameters.buffer, scale: -0.1, key: NoiseKey(seed: 1, stream: 0))
        #expect(after != before)
        #expect(abs(try objective.loss() - before) < 1e-14)
    }

    @Test func stochasticObjectiveChangesItsLossOnlyThroughSelectBatch() throws {
        let objective = try FunctionObjective(named: "noisy-least-squares", dimension: 5)
        #expect(objective.isStochastic)
        #expect(objective.currentBatch?.index == 0)
        let a = try objective.loss(), b = try objective.loss()
        #expect(a == b)
        objective.selectBatch(1)
        let c = try objective.loss()
        #expect(c != a)
        objective.selectBatch(0)
        #expect(try objective.loss() == a)
        #expect(objective.counts.batchSelections == 2)
        // The full-batch loss is the function's value and is not counted.
        let forward = objective.counts.forward
        #expect(try objective.fullBatchLoss() == objective.function.value(objective.parameters.snapshot()))
        #expect(objective.counts.forward == forward)
    }

    @Test func deterministicObjectiveIgnoresSelectBatch() throws {
        let objective = try FunctionObjective(named: "beale")
        let a = try objective.loss()
        objective.selectBatch(5)
        #expect(try objective.loss() == a)
    }

    @Test func blockHeterogeneousQuadraticExposesItsBlocks() throws {
        let f = try BlockHeterogeneousQuadratic(dimension: 10, blockCount: 3)
        let objective = try FunctionObjective(f)
        let blocks = objective.parameters.blocks
        #expect(blocks.count == 3)
        #expect(blocks.map(\.range) == f.blockRanges)
        #expect(objective.parameters.tensors.allSatisfy { $0.role == .coordinates })
        let single = try FunctionObjective(f, partition: .single)
        #expect(single.parameters.blocks.count == 1 && single.parameters.tensors[0].name == "x")
    }

    @Test func partitionsTileTheCoordinates() throws {
        let f = try Rastrigin(dimension: 7)
        #expect(try FunctionObjective(f, partition: .equal(3)).parameters.blocks.map(\.range) == [0..<2, 2..<4, 4..<7])
        #expect(try FunctionObjective(f, partition: .coordinates).parameters.blocks.count == 7)
        #expect(try FunctionObjective(f, partition: .ranges([0..<1, 1..<7])).parameters.blocks.count == 2)
        #expect(throws: FunctionError.self) { try FunctionObjective(f, partition: .equal(8)) }
        #expect(throws: FunctionError.self) { try FunctionObjective(f, partition: .ranges([0..<3, 4..<7])) }
        #expect(throws: FunctionError.self) { try FunctionObjective(f, partition: .ranges([0..<3])) }
    }

    @Test func nonFiniteParametersAndLossesThrow() throws {
        let objective = try FunctionObjective(named: "rosenbrock")
        objective.parameters.assign([.nan, 1])
        #expect(throws: ObjectiveError.self) { try objective.loss() }
        objective.parameters.assign([1e200, 1])
        #expect(throws: ObjectiveError.nonFiniteLoss(.infinity)) { try objective.loss() }
        var g = [0.0, 0.0, 0.0]
        objective.parameters.assign([1, 1])
        #expect(throws: ObjectiveError.self) { try g.withUnsafeMutableBufferPointer { try objective.lossAndGradient(into: $0) } }
    }

    @Test func startIsValidated() throws {
        let f = try Beale()
        #expect(throws: FunctionError.dimensionMismatch(function: "beale", expected: 2, got: 3)) {
            try FunctionObjective(f, start: [1, 2, 3])
        }
        #expect(throws: FunctionError.self) { try FunctionObjective(f, start: [1, .infinity]) }
        #expect(throws: FunctionError.outsideDomain(function: "beale", coordinate: 0, value: 5, lower: -4.5, upper: 4.5)) {
            try FunctionObjective(f, start: [5, 0], domainPolicy: .reject)
        }
        _ = try FunctionObjective(f, start: [5, 0])  // .ignore evaluates anywhere
    }

    @Test func rejectPolicyThrowsWhenTheParametersLeaveTheDomain() throws {
        let objective = try FunctionObjective(try Beale(), domainPolicy: .reject)
        _ = try objective.loss()
        objective.parameters.assign([4.6, 0])
        #expect(throws: ObjectiveError.self) { try objective.loss() }
    }
}
