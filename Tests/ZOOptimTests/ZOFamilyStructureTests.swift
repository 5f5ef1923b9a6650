import Testing
import ZOCore
@testable import ZOOptim

/// Properties every method of the ZO family and the baselines must have: pass counts, measured
/// state, bit-identical save/load and reruns, regenerated directions, divergence handling.
@Suite("ZO family and baselines: shared contracts")
struct ZOFamilyStructureTests {
    static let names: [String] = ZOFamilyTesting.methods.map(\.name)

    static func options(_ name: String) -> [String: String] {
        ZOFamilyTesting.methods.first { $0.name == name }!.options
    }

    static let expectedPasses: [String: (forward: Int, backward: Int)] = [
        "zo-sgd-mmt": (2, 0), "zo-sgd-cons": (5, 0), "zo-sgd-sign": (2, 0), "zo-adam": (2, 0),
        "sparse-mezo": (2, 0), "subzero": (2, 0), "sgd": (1, 1), "adam": (1, 1), "adamw": (1, 1),
        "gd": (1, 1), "newton": (1, 1), "diag-newton": (1, 1),
    ]

    @Test func everyMethodIsRegisteredWithItsFamily() throws {
        let families: [String: OptimizerFamily] = [
            "zo-sgd-mmt": .zerothOrder, "zo-sgd-cons": .zerothOrder, "zo-sgd-sign": .zerothOrder, "zo-adam": .zerothOrder,
            "sparse-mezo": .zerothOrder, "subzero": .zerothOrder, "sgd": .firstOrder, "adam": .firstOrder,
            "adamw": .firstOrder, "gd": .oracle, "newton": .oracle, "diag-newton": .oracle,
        ]
        for (name, family) in families {
            let f = try OptimizerRegistry.factory(named: name)
            #expect(f.family == family, "\(name)")
            // Every declared default passes its own validation.
            _ = try OptimizerOptions(optimizer: name, specs: f.options, given: [:])
        }
    }

    @Test(arguments: names)
    func countsForwardAndBackwardPasses(_ name: String) throws {
        let f = LayoutQuadratic<Double>.twoLayer(rows: 4, cols: 3)
        let opt = try OptimizerRegistry.make(name, options: Self.options(name), parameters: f.parameters)
        let report = try opt.step(f, context: StepContext(step: 0, runSeed: 5))
        let expected = try #require(Self.expectedPasses[name])
        #expect(report.forwardPasses == expected.forward && report.backwardPasses == expected.backward, "\(name)")
        if expected.backward == 0 {
            #expect(f.lossCalls == expected.forward && f.gradientCalls == 0 && report.losses.count == expected.forward)
            #expect(report.projectedGradients.count == 1)
        } else {
            #expect(f.lossCalls == 0 && f.gradientCalls == 1 && report.projectedGradients.isEmpty)
        }
        #expect(report.stateBytes == opt.stateBytes)
    }

    static func expectedStateBytes<S: ZOScalar>(_ name: String, _ p: ParameterSet<S>, _ type: S.Type) -> Int {
        let size = MemoryLayout<S>.stride, d = p.count
        switch name {
        case "zo-sgd-mmt": return d * size
        case "zo-adam", "adam", "adamw": return 2 * d * size
        case "sgd": return d * size                                  // momentum 0.9 in the test options
        case "sparse-mezo": return p.tensors.count * size              // one threshold (a scalar) per tensor
        case "subzero": return p.tensors.filter(\.isMatrix).reduce(0) { $0 + ($1.shape[0] + $1.shape[1]) * 2 * size }
        default: return 0
        }
    }

    @Test(arguments: names)
    func stateBytesAreMeasuredFromTheBuffers(_ name: String) throws {
        func check<S: ZOScalar>(_ type: S.Type) throws {
            let f = LayoutQuadratic<S>.twoLayer(rows: 5, cols: 3)
            let opt = try OptimizerRegistry.make(name, options: Self.options(name), parameters: f.parameters)
            _ = try opt.step(f, context: StepContext(step: 0, runSeed: 1))
            #expect(opt.stateBytes == Self.expectedStateBytes(name, f.parameters, S.self), "\(name) \(S.self)")
        }
        try check(Float.self)
        try check(Double.self)
    }

    @Test func stateBytesOfTheReferenceMethods() throws {
        let p = ParameterSet<Float>(vector: [Float](repeating: 1, count: 100))
        #expect(try OptimizerRegistry.make("mezo", parameters: p).stateBytes == 0)
        #expect(try OptimizerRegistry.make("zo-sgd-mmt", parameters: p).stateBytes == 400)
        #expect(try OptimizerRegistry.make("zo-adam", parameters: p).stateBytes == 800)
        #expect(try OptimizerRegistry.make("adam", parameters: p).stateBytes == 800)
        #expect(try OptimizerRegistry.make("sgd", parameters: p).stateBytes == 0)
        #expect(try OptimizerRegistry.make("sgd", options: ["momentum": "0.9"], parameters: p).stateBytes == 400)
    }

    /// Stop after k steps, save, rebuild from the registry, load, continue ⇒ the same θ, bit for
    /// bit, as an uninterrupted run (Float32, where any deviation would show).
    @Test(arguments: names + ["sparse-mezo/refresh"])
    func saveAndLoadContinueBitIdentically(_ label: String) throws {
        let name = label.hasSuffix("/refresh") ? "sparse-mezo" : label
        var options = Self.options(name)
        if label.hasSuffix("/refresh") { options["threshold-refresh"] = "2" }
        let seed: UInt64 = 21
        let a = LayoutQuadratic<Float>.twoLayer(rows: 4, cols: 3)
        let uninterrupted = try OptimizerRegistry.make(name, options: options, parameters: a.parameters)
        try ZOFamilyTesting.steps(uninterrupted, on: a, from: 0, count: 10, seed: seed)

        let b = LayoutQuadratic<Float>.twoLayer(rows: 4, cols: 3)
        let first = try OptimizerRegistry.make(name, options: options, parameters: b.parameters)
        try ZOFamilyTesting.steps(first, on: b, from: 0, count: 5, seed: seed)
        let saved = first.saveState()
        let resumed = try OptimizerRegistry.make(name, options: options, parameters: b.parameters)
        try resumed.loadState(saved)
        #expect(resumed.saveState() == saved)
        try ZOFamilyTesting.steps(resumed, on: b, from: 5, count: 5, seed: seed)
        #expect(a.parameters.snapshot() == b.parameters.snapshot(), "\(label)")
        #expect(uninterrupted.saveState() == resumed.saveState(), "\(label)")
    }

    @Test(arguments: names)
    func sameSeedGivesBitIdenticalRunsAndAnotherSeedDoesNot(_ name: String) throws {
        func run(seed: UInt64) throws -> [Float] {
            let f = LayoutQuadratic<Float>.twoLayer(rows: 4, cols: 3)
            let opt = try OptimizerRegistry.make(name, options: Self.options(name), parameters: f.parameters)
            try ZOFamilyTesting.steps(opt, on: f, from: 0, count: 4, seed: seed)
            return f.parameters.snapshot()
        }
        let a = try run(seed: 3), b = try run(seed: 3), c = try run(seed: 4)
        #expect(a == b)
        let deterministic = ["sgd", "adam", "adamw", "gd", "newton", "diag-newton"].contains(name)
        #expect((a == c) == deterministic, "\(name)")
    }

    @Test(arguments: names)
    func learningRateMultiplierScalesTheRate(_ name: String) throws {
        func run(lr: String, multiplier: Double) throws -> [Double] {
            let f = LayoutQuadratic<Double>.twoLayer(rows: 4, cols: 3)
            var options = Self.options(name)
            options["lr"] = lr
            let opt = try OptimizerRegistry.make(name, options: options, parameters: f.parameters)
            for t in 0..<3 {
                _ = try opt.step(f, context: StepContext(step: t, runSeed: 9, learningRateMultiplier: multiplier))
            }
            return f.x
        }
        let halved = try run(lr: "2e-3", multiplier: 0.5), plain = try run(lr: "1e-3", multiplier: 1)
        let doubled = try run(lr: "1e-3", multiplier: 2)
        #expect(halved == plain, "\(name)")
        #expect(halved != doubled, "\(name)")
    }

    /// A NaN loss in the middle of a step: `diverged` is thrown and θ is back at θ_t (ZO methods
    /// restore it; first-order methods never moved it).
    @Test(arguments: names)
    func nonFiniteLossThrowsDivergedAndRestoresTheParameters(_ name: String) throws {
        let expected = try #require(Self.expectedPasses[name])
        // NaN at the last loss evaluation of the step (ZO) or at the only one (FO: via NaN θ).
        let f = QuadraticObjective<Double>.diagonal(d: 6, kappa: 3)
        let opt = try OptimizerRegistry.make(name, options: Self.options(name).merging(["rank": "1", "reshape": "all"]) { a, _ in a }
                                             .filter { name == "subzero" || ($0.key != "rank" && $0.key != "reshape") },
                                             parameters: f.parameters)
        let before = f.x
        if expected.backward == 0 {
            f.nanAfterCalls = name == "zo-sgd-cons" ? 2 : 1
            #expect(throws: OptimizerError.self) { try opt.step(f, context: StepContext(step: 0, runSeed: 1)) }
            for (a, b) in zip(f.x, before) { #expect(abs(a - b) < 1e-12, "\(name)") }
        } else {
            var p = f.parameters.snapshot()
            p[0] = .nan
            f.parameters.assign(p)
            #expect(throws: OptimizerError.self) { try opt.step(f, context: StepContext(step: 0, runSeed: 1)) }
        }
    }

    @Test(arguments: ["sgd", "adam", "adamw", "gd", "newton", "diag-newton"])
    func firstOrderMethodsNeedAGradientAndOraclesAHessian(_ name: String) throws {
        let f = LayoutQuadratic<Double>.twoLayer(rows: 3, cols: 2)
        let opt = try OptimizerRegistry.make(name, options: Self.options(name), parameters: f.parameters)
        #expect(throws: OptimizerError.requiresGradient(name)) {
            try opt.step(ForwardOnly(f), context: StepContext(step: 0, runSeed: 1))
        }
        if name == "newton" || name == "diag-newton" {
            f.hessianAvailable = false
            #expect(throws: OptimizerError.requiresHessian(name)) {
                try opt.step(f, context: StepContext(step: 0, runSeed: 1))
            }
        }
    }

    /// θ at the first perturbed loss call minus θ_t equals ε times the direction regenerated
    /// from the step's key (MeZOTests' check, for every ZO method).
    @Test(arguments: ["zo-sgd-mmt", "zo-sgd-cons", "zo-sgd-sign", "zo-adam", "sparse-mezo", "subzero"])
    func regeneratedDirectionEqualsTheOneUsed(_ name: String) throws {
        let f = LayoutQuadratic<Float>.twoLayer(rows: 6, cols: 5)
        var options = Self.options(name)
        options["eps"] = "1e-2"
        let opt = try OptimizerRegistry.make(name, options: options, parameters: f.parameters)
        let p = f.parameters
        let theta0 = f.x
        let key = NoiseKey(seed: 99, stream: 7)
        // The direction as each method defines it, regenerated at θ_t (before the step).
        var z: [Float]
        switch name {
        case "sparse-mezo":
            let tau = try SparseMeZO<Float>.thresholds(of: p, sparsity: 0.5)
            z = MagnitudeMaskedDirection(blocks: Array(p.blocks.indices), thresholds: tau).materialize(key: key, parameters: p)
        default:
            z = StreamDirection<Float>(parameters: p).materialize(key: key, parameters: p)
        }
        f.recordedPoints = []
        _ = try opt.step(f, context: StepContext(step: 7, runSeed: 99))
        if name == "subzero" {   // bases exist only after the step; they do not change it
            z = (opt as! SubZero<Float>).direction(blocks: Array(p.blocks.indices)).materialize(key: key, parameters: p)
        }
        let plus = try #require(f.recordedPoints?[name == "zo-sgd-cons" ? 1 : 0])
        if name == "zo-sgd-cons" { #expect(f.recordedPoints![0] == theta0) }
        var nonzero = 0
        for i in theta0.indices {
            #expect(abs((plus[i] - theta0[i]) - 1e-2 * Double(z[i])) < 1e-6, "\(name) element \(i)")
            if z[i] != 0 { nonzero += 1 }
        }
        #expect(nonzero > p.count / 3)
    }
}

@Suite("Every optimizer: results do not depend on the thread count")
struct OptimizerThreadCountTests {
    /// Options that make each method do its characteristic work on the two-block layout
    /// (matrices, bias, norm): state-carrying methods, a block switch within the run for the
    /// BCD wrappers, several Hessian samples. Methods not listed run with their defaults.
    static let options: [String: [String: String]] = [
        "sparse-mezo": ["sparsity": "0.5", "threshold-refresh": "2"],
        "subzero": ["rank": "2", "period": "2"],
        "mezo": ["q": "2"],
        "hizoo": ["alpha": "0.1"],
        "hizoo-multi": ["alpha": "0.1", "gradient-samples": "all"],
        "hizoo-l": ["alpha": "0.1"],
        "bcd": ["base": "zo-adam", "rule": "bandit", "switch-interval": "2"],
        "b-pdf": ["active-blocks": "1", "switch-interval": "2", "alpha": "0.1"],
        "bcd-adam": ["switch-interval": "2"],
        "sgd": ["momentum": "0.9"],
        "newton": ["lr": "0.5"],
        "diag-newton": ["lr": "0.5"],
    ]

    /// The layout: two 100×90 weights (9 000 elements each, more than two of HiZOO's
    /// 4 096-element noise chunks, so its chunked passes and their tallies split three ways),
    /// a bias and a norm; `newton` (dense d×d Hessian) gets a 12×10 version.
    static func layout(for name: String) -> LayoutQuadratic<Float> {
        name == "newton" ? .twoLayer(rows: 12, cols: 10) : .twoLayer(rows: 100, cols: 90)
    }

    /// Every registered optimizer, 5 steps on a Float32 layout with every element-wise loop
    /// split as finely as the thread count allows (``Parallel/withThreads(_:splitEverything:_:)``):
    /// identical θ, losses and state on 1, 2 and 3 threads (HiZOO's chunk tallies and block
    /// sums included).
    @Test(arguments: OptimizerRegistry.names)
    func oneTwoAndThreeThreadsGiveTheSameBits(_ name: String) throws {
        #expect(Parallel.withThreads(3, splitEverything: true) {
            Parallel.plannedParts(count: (9_000 + 4_095) / 4_096)
        } == 3, "HiZOO's chunk loop over a 9 000-element tensor splits three ways")
        func run(threads: Int) throws -> (theta: [Float], losses: [Double], state: OptimizerState<Float>) {
            try Parallel.withThreads(threads, splitEverything: true) {
                let f = Self.layout(for: name)
                var options = Self.options[name] ?? [:]
                if options["lr"] == nil { options["lr"] = "1e-3" }
                let opt = try OptimizerRegistry.make(name, options: options, parameters: f.parameters)
                var losses: [Double] = []
                for t in 0..<5 {
                    losses.append(try opt.step(f, context: StepContext(step: t, runSeed: 77)).loss)
                }
                return (f.parameters.snapshot(), losses, opt.saveState())
            }
        }
        let one = try run(threads: 1)
        #expect(one.theta != Self.layout(for: name).parameters.snapshot(), "\(name) moved θ")
        for threads in [2, 3] {
            let other = try run(threads: threads)
            #expect(other.theta == one.theta, "\(name): θ after 5 steps on \(threads) threads")
            #expect(other.losses == one.losses, "\(name): losses on \(threads) threads")
            #expect(other.state == one.state, "\(name): optimizer state on \(threads) threads")
        }
    }
}
