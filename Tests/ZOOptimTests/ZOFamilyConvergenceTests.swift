import Testing
import ZOCore
@testable import ZOOptim

/// The convergence budgets stated in each method's doc comment, tested exactly as stated.
@Suite("ZO family and baselines: documented convergence budgets")
struct ZOFamilyConvergenceTests {
    struct Budget: CustomStringConvertible, Sendable {
        let method: String
        let options: [String: String]
        let steps: Int
        let ratio: Double
        var description: String { "\(method) \(options) \(steps) steps < \(ratio)" }
    }

    /// Diagonal quadratic d = 10, κ = 10, θ₀ = 1, Float64, seed 1.
    static let diagonalBudgets: [Budget] = [
        Budget(method: "mezo", options: ["lr": "0.02", "eps": "1e-4"], steps: 3000, ratio: 1e-3),
        // q = 4 directions per step (8 forwards): measured 5e-21 … 3e-19 over seeds 1–5.
        Budget(method: "mezo", options: ["lr": "0.02", "eps": "1e-4", "q": "4"], steps: 1000, ratio: 1e-12),
        // One-sided differences (2 forwards, bias O(ε)): measured 2e-8 … 3.4e-8 over seeds 1–5.
        Budget(method: "mezo", options: ["lr": "0.02", "eps": "1e-4", "one-sided": "true"], steps: 3000, ratio: 1e-6),
        Budget(method: "zo-sgd-mmt", options: ["lr": "0.002", "beta": "0.9", "eps": "1e-4"], steps: 500, ratio: 1e-3),
        Budget(method: "zo-sgd-cons", options: ["lr": "0.02", "eps": "1e-4"], steps: 300, ratio: 1e-3),
        Budget(method: "zo-sgd-sign", options: ["lr": "3e-3", "eps": "1e-4"], steps: 2000, ratio: 1e-2),
        Budget(method: "zo-adam", options: ["lr": "0.01", "eps": "1e-4"], steps: 2000, ratio: 1e-3),
        Budget(method: "sgd", options: ["lr": "0.1"], steps: 100, ratio: 1e-8),
        Budget(method: "sgd", options: ["lr": "0.1", "momentum": "0.5", "nesterov": "true"], steps: 60, ratio: 1e-8),
        Budget(method: "adam", options: ["lr": "0.05"], steps: 200, ratio: 1e-6),
        Budget(method: "adamw", options: ["lr": "0.05"], steps: 200, ratio: 1e-6),
        Budget(method: "gd", options: ["lr": "0.1"], steps: 100, ratio: 1e-8),
        Budget(method: "newton", options: ["lr": "1"], steps: 1, ratio: 1e-20),
        Budget(method: "diag-newton", options: ["lr": "1"], steps: 1, ratio: 1e-20),
    ]

    @Test(arguments: diagonalBudgets)
    func convergesOnTheDiagonalQuadratic(_ b: Budget) throws {
        let f = QuadraticObjective<Double>.diagonal(d: 10, kappa: 10)
        let start = try f.loss()
        let opt = try OptimizerRegistry.make(b.method, options: b.options, parameters: f.parameters)
        let result = try OptimizationRun.run(f, optimizer: opt,
                                             configuration: RunConfiguration(steps: b.steps, seed: 1, evaluateEvery: b.steps))
        #expect(result.divergence == nil)
        let end = try #require(result.finalLoss)
        #expect(end < b.ratio * start, "\(b): start \(start), end \(end), ratio \(end / start)")
    }

    @Test func sparseMeZOConvergesOnItsMaskedCoordinates() throws {
        // d = 20, κ = 10 spectrum; the first 10 coordinates (|θ₀| 0.1…0.5, alternating signs,
        // centre 0) are the updated half at s = 0.5 (τ = 2); the last 10 (2…5) sit at their centres.
        let d = 20
        let lambda: [Double] = (0..<d).map { i -> Double in Double.pow(10, Double(i) / Double(d - 1)) }
        let small: [Double] = (0..<10).map { i -> Double in
            let magnitude = 0.1 + 0.4 * Double(i) / 9
            return i % 2 == 0 ? magnitude : -magnitude
        }
        let large: [Double] = (0..<10).map { i -> Double in 2 + 3 * Double(i) / 9 }
        let center: [Double] = [Double](repeating: 0, count: 10) + large
        let f = QuadraticObjective<Double>(curvature: lambda, center: center, start: small + large)
        let start = try f.loss()
        let opt = try OptimizerRegistry.make("sparse-mezo", options: ["lr": "0.02", "eps": "1e-4", "sparsity": "0.5"],
                                             parameters: f.parameters)
        let result = try OptimizationRun.run(f, optimizer: opt, configuration: RunConfiguration(steps: 500, seed: 1, evaluateEvery: 500))
        #expect(result.divergence == nil)
        let end = try #require(result.finalLoss)
        #expect(end < 1e-3 * start, "start \(start), end \(end), ratio \(end / start)")
        #expect(Array(f.x[10...]) == large)
    }

    @Test func subZeroConvergesOnTheReshapedDiagonalQuadratic() throws {
        let f = QuadraticObjective<Double>.diagonal(d: 16, kappa: 10)
        let start = try f.loss()
        let opt = try OptimizerRegistry.make("subzero", options: ["lr": "0.05", "eps": "1e-4", "rank": "2", "period": "20",
                                                                 "reshape": "all"], parameters: f.parameters)
        let result = try OptimizationRun.run(f, optimizer: opt, configuration: RunConfiguration(steps: 1000, seed: 1, evaluateEvery: 1000))
        #expect(result.divergence == nil)
        let end = try #require(result.finalLoss)
        #expect(end < 1e-3 * start, "start \(start), end \(end), ratio \(end / start)")
    }
}
