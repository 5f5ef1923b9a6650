import Foundation
import ZOCore
import ZOOptim
import ZOStats

/// Steps-to-tolerance experiments (claim 8): run an optimizer until the loss falls below a
/// fraction of its start, then fit log(steps) against log(x) over replicate seeds.
enum StepsToTolerance {
    /// Steps until L ≤ `fraction`·L₀ (checked every step), or nil when `cap` steps do not
    /// suffice or the run diverges. θ is restored afterwards.
    static func run<S: ZOScalar>(_ objective: any Objective<S>, optimizer name: String, options: [String: String],
                                 fraction: Double, cap: Int, seed: UInt64, floor: Double = 0) throws -> Int? {
        let p = objective.parameters
        let start = p.snapshot()
        defer { p.assign(start) }
        let opt = try OptimizerRegistry.make(name, options: options, parameters: p)
        let target = floor + fraction * (try objective.loss() - floor)
        for t in 0..<cap {
            do { _ = try opt.step(objective, context: StepContext(step: t, runSeed: seed)) } catch OptimizerError.diverged { return nil }
            let l = try objective.loss()
            guard l.isFinite else { return nil }
            if l <= target { return t + 1 }
        }
        return nil
    }

    /// The option set (from `candidates`) with the smallest median steps on `tuningSeeds` seeds.
    static func tune<S: ZOScalar>(_ objective: any Objective<S>, optimizer name: String, candidates: [[String: String]],
                                  fraction: Double, cap: Int, seeds: [UInt64]) throws -> ([String: String], Double) {
        var best: ([String: String], Double) = (candidates[0], .infinity)
        for options in candidates {
            let steps = try seeds.map { try run(objective, optimizer: name, options: options, fraction: fraction, cap: cap, seed: $0).map(Double.init) ?? .infinity }
            let median = steps.sorted()[steps.count / 2]
            if median < best.1 { best = (options, median) }
        }
        return best
    }
}

/// A log–log slope with its interval and an equivalence decision against a margin.
struct SlopeStudy {
    var x: [Double] = []
    var steps: [Double] = []

    mutating func add(_ xValue: Double, _ s: Double) {
        x.append(xValue)
        steps.append(s)
    }

    var censored: Int { steps.filter { !$0.isFinite }.count }

    func fit() throws -> LinearFit {
        let finite = zip(x, steps).filter { $0.1.isFinite }
        return try LinearFit(x: finite.map { log($0.0) }, y: finite.map { log($0.1) })
    }

    /// The slope's t interval at level α and the equivalence decision against [lower, upper]
    /// (with the slope shift detectable with power 1 − β).
    func equivalence(_ c: CheckConfiguration, name: String, hypothesis: String, lower: Double = 0.8,
                     upper: Double = 1.2) throws -> (SubResult, IntervalDecision) {
        let fit = try fit()
        let interval = try fit.slopeInterval(alpha: c.alpha)
        let decision = IntervalDecision.equivalence(interval, lower: lower, upper: upper)
        let t = try StudentT(degreesOfFreedom: Double(fit.count - 2))
        return (SubResult(name: name, hypothesis: hypothesis, statistic: "OLS slope, t interval", value: fit.slope, alpha: c.alpha,
                          rejected: decision == .outside, estimate: fit.slope, interval: interval,
                          detectable: (try t.upperQuantile(c.alpha / 2) + (try t.upperQuantile(c.beta))) * fit.slopeStandardError,
                          sampleSize: fit.count, note: "decision \(decision.rawValue); \(censored) run(s) censored at the step cap"), decision)
    }

    /// The same runs needing (x/x₀)^exponent times the steps: a negative control with an injected
    /// power law (no extra runs).
    func injected(exponent: Double) -> SlopeStudy {
        let x0 = x.min()!
        var out = SlopeStudy()
        for (v, s) in zip(x, steps) { out.add(v, s * pow(v / x0, exponent)) }
        return out
    }

    /// Mean steps per x (finite runs), for figures.
    func means() -> [(Double, Double)] {
        Set(x).sorted().map { v in
            let s = zip(x, steps).filter { $0.0 == v && $0.1.isFinite }.map(\.1)
            return (v, s.isEmpty ? .nan : s.reduce(0, +) / Double(s.count))
        }
    }
}
