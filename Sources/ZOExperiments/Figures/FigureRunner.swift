import ZOFunctions
import ZOOptim

/// Runs every function × optimizer pair of a preset (searching learning rates where asked)
/// and returns the trajectories in row-major order (function, then optimizer).
public enum FigureRunner {
    /// Trajectories (θ per step) are recorded for d ≤ this; larger functions need layout "loss".
    public static let trajectoryLimit = 16

    /// - Parameter progress: called with one line per run (for stderr).
    public static func run(_ preset: FigurePreset, progress: ((String) -> Void)? = nil) throws -> [FigureRun] {
        var runs: [FigureRun] = []
        let total = preset.runCount
        for (i, f) in preset.functions.enumerated() {
            for (j, o) in preset.optimizers.enumerated() {
                let index = runs.count + 1
                let what = "[\(index)/\(total)] \(f.name) × \(o.label ?? OptimizerDisplayName.of(o.name))"
                if let s = o.search {
                    progress?("\(what): searching η (\(s.coarse + s.refine) runs × \(s.horizon ?? preset.steps) steps)…")
                }
                let run = try self.run(function: f, functionIndex: i, optimizer: o, optimizerIndex: j, preset: preset)
                var line = "\(what): "
                if let lr = run.learningRate { line += "η = \(shortNumber(lr))\(run.search != nil ? " (searched)" : ""), " }
                if let last = run.evaluations.last { line += "f = \(shortNumber(last.loss)) after \(last.step) steps" }
                if let d = run.divergence { line += " — diverged at step \(d.step): \(d.reason)" }
                progress?(line)
                runs.append(run)
            }
        }
        return runs
    }

    static func shortNumber(_ v: Double) -> String {
        guard v.isFinite else { return "\(v)" }
        return String(format: "%.3g", v)
    }

    /// One run of `optimizer` on `function`.
    public static func run(function f: FigureFunction, functionIndex: Int, optimizer o: FigureOptimizer, optimizerIndex: Int,
                           preset: FigurePreset) throws -> FigureRun {
        let function = try f.make()
        let start = f.start ?? function.defaultStart
        if o.isExactCoordinateDescent {
            let path = try ExactCoordinateDescent.path(function, from: start, steps: preset.steps)
            let evaluations = path.enumerated().map { FigureRun.Evaluation(step: $0.offset, loss: function.value($0.element)) }
            return FigureRun(functionIndex: functionIndex, optimizerIndex: optimizerIndex, function: function, optimizer: o.name,
                             family: nil, name: o.label ?? OptimizerDisplayName.of(o.name), options: [:], search: nil, searchOutcome: nil,
                             stepsCompleted: path.count - 1, trajectory: path, evaluations: evaluations, forwardPasses: [], backwardPasses: 0, divergence: nil)
        }
        let search = o.search?.resolved(steps: preset.steps, seed: preset.seed, hasMinima: !function.minimum.points.isEmpty)
        let spec = FunctionRunSpec(function: f.name, dimension: f.dimension, functionParameters: f.parameters, start: f.start,
                                   partition: o.partition ?? f.partition, optimizer: o.name, options: o.options, steps: preset.steps,
                                   seed: preset.seed, learningRateSearch: search)
        let outcome = try spec.run(trajectoryLimit: trajectoryLimit, evaluateEvery: 1)
        let factory = try OptimizerRegistry.factory(named: o.name)
        let effective = try OptimizerOptions(optimizer: factory.name, specs: factory.options, given: outcome.options).values
        let result = outcome.result
        var trajectory = result.trajectory
        var evaluations = result.evaluations.map { FigureRun.Evaluation(step: $0.step, loss: $0.loss) }
        if let d = result.divergence {
            // Keep the finite prefix up to the step the run stopped at; the renderer appends
            // the non-finite marker that ZOPlot draws as ✗ with "(diverged at step k)".
            trajectory = Array(trajectory.prefix(while: { $0.allSatisfy(\.isFinite) }).prefix(d.step + 1))
            evaluations = evaluations.filter { $0.loss.isFinite && $0.step <= d.step }
            if let last = evaluations.last, last.step == d.step, let first = evaluations.first,
               last.loss > (result.configuration.blowUpFactor ?? .infinity) * max(abs(first.loss), 1) {
                evaluations.removeLast()  // the blow-up value itself is not drawn
            }
        }
        return FigureRun(functionIndex: functionIndex, optimizerIndex: optimizerIndex, function: outcome.function,
                         optimizer: factory.name, family: factory.family, name: o.label ?? OptimizerDisplayName.of(factory.name), options: effective,
                         search: search, searchOutcome: outcome.search, stepsCompleted: result.reports.count, trajectory: trajectory, evaluations: evaluations,
                         forwardPasses: result.reports.map(\.forwardPasses), backwardPasses: result.totalBackwardPasses,
                         divergence: result.divergence)
    }
}
