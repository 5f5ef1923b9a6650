import Testing
import ZOCore
@testable import ZOOptim

@Suite("SubZero: low-rank perturbations in lazy subspaces")
struct SubZeroTests {
    static func make(_ f: LayoutQuadratic<Double>, _ options: [String: String]) throws -> SubZero<Double> {
        try OptimizerRegistry.make("subzero", options: options, parameters: f.parameters) as! SubZero<Double>
    }

    /// ‖AᵀA − I‖_max for a rows × cols row-major A.
    static func orthonormalityError(_ a: [Double], rows: Int, cols: Int) -> Double {
        var worst = 0.0
        for i in 0..<cols {
            for j in 0..<cols {
                var s = 0.0
                for r in 0..<rows { s += a[r * cols + i] * a[r * cols + j] }
                worst = max(worst, abs(s - (i == j ? 1 : 0)))
            }
        }
        return worst
    }

    @Test func perturbationsOfMatricesHaveRankAtMostR() throws {
        let f = LayoutQuadratic<Double>.twoLayer(rows: 9, cols: 7)
        for r in [1, 3] {
            let opt = try Self.make(f, ["rank": "\(r)", "period": "5"])
            _ = try opt.step(f, context: StepContext(step: 0, runSeed: 2))
            let p = f.parameters
            let z = opt.direction(blocks: Array(p.blocks.indices)).materialize(key: NoiseKey(seed: 2, stream: 0), parameters: p)
            for tensor in p.tensors {
                let slice = Array(z[tensor.range])
                if tensor.isMatrix {
                    let rank = DenseLinearAlgebra.numericalRank(slice, rows: tensor.shape[0], cols: tensor.shape[1])
                    #expect(rank == r, "\(tensor.name) rank \(rank), r = \(r)")
                } else {
                    #expect(slice.allSatisfy { $0 != 0 }, "\(tensor.name) gets a full Gaussian")
                }
            }
        }
    }

    @Test func basesAreOrthonormalAndChangeExactlyEveryTSteps() throws {
        let f = LayoutQuadratic<Double>.twoLayer(rows: 8, cols: 6)
        let period = 4
        let opt = try Self.make(f, ["rank": "3", "period": "\(period)", "lr": "1e-4"])
        var previous: [Double]? = nil
        for t in 0..<13 {
            let report = try opt.step(f, context: StepContext(step: t, runSeed: 7))
            let bases = opt.saveState().buffers["bases"]!
            #expect((report.diagnostics["basesRedrawn"] == 1) == (t % period == 0), "step \(t)")
            if let previous { #expect((bases != previous) == (t % period == 0), "step \(t)") }
            previous = bases
            #expect(opt.epoch == t / period)
            for case let slot? in opt.slots {
                let (u, v) = opt.basis(slot)
                #expect(Self.orthonormalityError(u, rows: slot.rows, cols: slot.rank) < 1e-12)
                #expect(Self.orthonormalityError(v, rows: slot.cols, cols: slot.rank) < 1e-12)
            }
        }
        #expect(opt.stateBytes == (8 + 6) * 3 * 2 * 8)
    }

    @Test func basesAreRegeneratedFromTheRunSeedAndEpochAlone() throws {
        let f = LayoutQuadratic<Double>.twoLayer(rows: 8, cols: 6)
        let a = try Self.make(f, ["rank": "2", "period": "3"])
        let b = try Self.make(f, ["rank": "2", "period": "3"])
        _ = try a.step(f, context: StepContext(step: 7, runSeed: 4))           // epoch 2
        _ = try b.step(f, context: StepContext(step: 8, runSeed: 4))           // epoch 2 too
        #expect(a.saveState().buffers["bases"] == b.saveState().buffers["bases"])
        // … and equal the QR of the Gaussian drawn from the documented key.
        let slot = a.slots[0]!
        let g = Noise.values(Double.self, count: slot.rows * slot.rank,
                             key: SubZero<Double>.subspaceKey(runSeed: 4, epoch: 2).derived(0))
        #expect(a.basis(slot).u == DenseLinearAlgebra.householderQR(g, rows: slot.rows, cols: slot.rank).q)
    }

    @Test func referenceScalingMultipliesZBySqrtMNOverR() throws {
        let f = LayoutQuadratic<Double>.twoLayer(rows: 8, cols: 6)
        let none = try Self.make(f, ["rank": "2"]), reference = try Self.make(f, ["rank": "2", "z-scale": "reference"])
        let context = StepContext(step: 0, runSeed: 3)
        let theta = f.parameters.snapshot()
        _ = try none.step(f, context: context)
        f.parameters.assign(theta)
        _ = try reference.step(f, context: context)
        f.parameters.assign(theta)
        let key = context.noiseKey, all = Array(f.parameters.blocks.indices)
        let z1 = none.direction(blocks: all).materialize(key: key, parameters: f.parameters)
        let z2 = reference.direction(blocks: all).materialize(key: key, parameters: f.parameters)
        let w0 = f.parameters.tensors[0]
        let sigma = (Double(8 * 6)).squareRoot() / 2
        for i in w0.range { #expect(abs(z2[i] - sigma * z1[i]) < 1e-12 * max(1, abs(z2[i]))) }
        let b0 = f.parameters.tensors[1]
        for i in b0.range { #expect(z2[i] == z1[i]) }   // vectors are not rescaled
    }

    @Test func withoutMatricesSubZeroIsMeZOBitForBit() throws {
        func run(_ name: String, _ options: [String: String]) throws -> [Float] {
            let f = QuadraticObjective<Float>.diagonal(d: 12, kappa: 5)
            let opt = try OptimizerRegistry.make(name, options: options, parameters: f.parameters)
            try ZOFamilyTesting.steps(opt, on: f, from: 0, count: 15, seed: 30)
            return f.parameters.snapshot()
        }
        #expect(try run("subzero", ["lr": "1e-2", "rank": "2"]) == run("mezo", ["lr": "1e-2"]))
    }

    @Test func rankLargerThanAMatrixIsRejectedOrCapped() throws {
        let f = LayoutQuadratic<Double>.twoLayer(rows: 5, cols: 3)
        do {
            _ = try Self.make(f, ["rank": "4"])
            Issue.record("rank 4 > min(5, 3) must throw")
        } catch let OptimizerError.invalidOption(optimizer, option, reason) {
            #expect(optimizer == "subzero" && option == "rank")
            #expect(reason.contains("w0") && reason.contains("cap-rank"))
        }
        let capped = try Self.make(f, ["rank": "4", "cap-rank": "true"])
        #expect(capped.slots.compactMap { $0?.rank } == [3, 3])
        _ = try capped.step(f, context: StepContext(step: 0, runSeed: 1))
    }

    @Test func reshapingViewsTensorsAsTheMostSquareMatrix() throws {
        func info(_ shape: [Int], _ role: TensorRole) -> ParameterTensorInfo {
            var layout = ParameterLayout()
            layout.beginBlock("b")
            layout.add("t", Shape(shape), role: role)
            return layout.tensors[0]
        }
        typealias Z = SubZero<Float>
        #expect(Z.matrixShape(of: info([6, 4], .weight), reshape: .none)! == (6, 4))
        #expect(Z.matrixShape(of: info([1, 6, 1, 4], .weight), reshape: .none)! == (6, 4))   // unit dims dropped
        #expect(Z.matrixShape(of: info([1, 24], .weight), reshape: .none) == nil)
        #expect(Z.matrixShape(of: info([24], .bias), reshape: .none) == nil)
        #expect(Z.matrixShape(of: info([2, 32], .lora), reshape: .none)! == (2, 32))
        #expect(Z.matrixShape(of: info([2, 32], .lora), reshape: .adapters)! == (8, 8))
        #expect(Z.matrixShape(of: info([24], .bias), reshape: .adapters) == nil)
        #expect(Z.matrixShape(of: info([24], .bias), reshape: .all)! == (4, 6))
        #expect(Z.matrixShape(of: info([13], .bias), reshape: .all) == nil)                     // prime: stays a vector
        #expect(Z.matrixShape(of: info([6, 4], .weight), reshape: .all)! == (6, 4))
    }

    @Test func blockScalesMultiplyTheUpdateOfTheirBlockOnly() throws {
        func delta(scale: Double?) throws -> [Double] {
            let f = LayoutQuadratic<Double>.twoLayer(rows: 5, cols: 4)
            let before = f.x
            let opt = try Self.make(f, ["rank": "2", "lr": "1e-2"])
            _ = try opt.step(f, context: StepContext(step: 1, runSeed: 8), blocks: [0], blockScales: scale.map { [$0] })
            return zip(f.x, before).map { $0 - $1 }
        }
        let one = try delta(scale: nil), two = try delta(scale: 2)
        let block1 = LayoutQuadratic<Double>.twoLayer(rows: 5, cols: 4).parameters.blocks[1].range
        for i in block1 { #expect(one[i] == 0 && two[i] == 0) }
        for i in 0..<block1.lowerBound { #expect(abs(two[i] - 2 * one[i]) < 1e-12) }
    }
}
