import ZOFunctions
import ZOOptim

/// The per-step curves a figure draws for a run: loss (or gap to f*), distance to the nearest
/// minimiser, gradient norm — computed from the recorded iterates.
enum FigureSeries {
    /// (step, value) pairs of `metric` for `run`, up to its last finite point.
    static func values(_ run: FigureRun, metric: LossPanelSpec.Metric) -> [(step: Int, value: Double)] {
        let f = run.function
        switch metric {
        case .loss:
            let shift = lossShift(f)
            return run.evaluations.map { ($0.step, $0.loss - shift) }
        case .distance:
            let minima = f.minimum.points
            return run.trajectory.enumerated().map { t, x in (t, distance(x, to: minima)) }
        case .gradientNorm:
            return run.trajectory.enumerated().map { t, x in (t, f.gradient(x).reduce(0) { $0 + $1 * $1 }.squareRoot()) }
        }
    }

    /// f* when it is known and not 0 (the loss panel then shows f − f*), else 0.
    static func lossShift(_ f: any TestFunction) -> Double {
        if let v = f.minimum.value, v != 0 { return v }
        return 0
    }

    /// Axis label of `metric` for `f`.
    static func label(_ metric: LossPanelSpec.Metric, function f: any TestFunction) -> String {
        switch metric {
        case .loss: return lossShift(f) != 0 ? "f(θ) − f*" : "f(θ)"
        case .distance: return "‖θ − x*‖"
        case .gradientNorm: return "‖∇f(θ)‖"
        }
    }

    /// The short symbol of `metric` in running text ("f", "f − f*", "‖∇f‖", "‖θ − x*‖").
    static func symbol(_ metric: LossPanelSpec.Metric, function f: any TestFunction) -> String {
        switch metric {
        case .loss: return lossShift(f) != 0 ? "f − f*" : "f"
        case .distance: return "‖θ − x*‖"
        case .gradientNorm: return "‖∇f‖"
        }
    }

    /// Euclidean distance from `x` to the nearest of `minima` (NaN when there are none).
    static func distance(_ x: [Double], to minima: [[Double]]) -> Double {
        minima.map { m in zip(x, m).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot() }.min() ?? .nan
    }
}
