import Foundation
import ZOCore
@testable import ZOPlot

/// Small inline optimizers on 2-D test functions: realistic paths for the rendering tests
/// (ZOPlot does not depend on ZOOptim / ZOFunctions).
enum SampleData {
    static func rosenbrock(_ x: Double, _ y: Double) -> Double { (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x) }
    static func rosenbrockGradient(_ x: Double, _ y: Double) -> (Double, Double) {
        (-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x))
    }

    /// Gradient descent with heavy-ball momentum.
    static func momentum(start: PlotPoint, lr: Double, beta: Double = 0.9, steps: Int,
                         gradient: (Double, Double) -> (Double, Double)) -> [PlotPoint] {
        var p = start, v = (0.0, 0.0)
        var out = [p]
        for _ in 0..<steps {
            let g = gradient(p.x, p.y)
            v = (beta * v.0 + g.0, beta * v.1 + g.1)
            p = PlotPoint(p.x - lr * v.0, p.y - lr * v.1)
            out.append(p)
        }
        return out
    }

    /// Adam.
    static func adam(start: PlotPoint, lr: Double, steps: Int, gradient: (Double, Double) -> (Double, Double)) -> [PlotPoint] {
        var p = start, m = (0.0, 0.0), v = (0.0, 0.0)
        var out = [p]
        for t in 1...steps {
            let g = gradient(p.x, p.y)
            m = (0.9 * m.0 + 0.1 * g.0, 0.9 * m.1 + 0.1 * g.1)
            v = (0.999 * v.0 + 0.001 * g.0 * g.0, 0.999 * v.1 + 0.001 * g.1 * g.1)
            let mh = (m.0 / (1 - pow(0.9, Double(t))), m.1 / (1 - pow(0.9, Double(t))))
            let vh = (v.0 / (1 - pow(0.999, Double(t))), v.1 / (1 - pow(0.999, Double(t))))
            p = PlotPoint(p.x - lr * mh.0 / (vh.0.squareRoot() + 1e-8), p.y - lr * mh.1 / (vh.1.squareRoot() + 1e-8))
            out.append(p)
        }
        return out
    }

    /// MeZO-style two-point zeroth-order SGD with Gaussian directions (seeded).
    static func zeroOrder(start: PlotPoint, lr: Double, epsilon: Double, steps: Int, seed: UInt64,
                          f: (Double, Double) -> Double) -> [PlotPoint] {
        var rng = PhiloxRandom(seed: seed)
        var p = start
        var out = [p]
        for _ in 0..<steps {
            let z = (rng.nextGaussian(), rng.nextGaussian())
            let g = (f(p.x + epsilon * z.0, p.y + epsilon * z.1) - f(p.x - epsilon * z.0, p.y - epsilon * z.1)) / (2 * epsilon)
            p = PlotPoint(p.x - lr * g * z.0, p.y - lr * g * z.1)
            out.append(p)
        }
        return out
    }

    /// The sample contour + trajectories figure: Rosenbrock from (−2, 2), log levels,
    /// momentum GD, Adam, ZO-SGD, and a diverging GD.
    static func rosenbrockFigure(resolution: Int = 200, steps: Int = 500) throws -> ContourPlot {
        let domain = try PlotDomain(x: -2...2, y: -1...3)
        var plot = try ContourPlot(field: rosenbrock, domain: domain, resolution: resolution, levels: .logarithmic(count: 22))
        let start = PlotPoint(-2, 2)
        plot.trajectories = [
            Trajectory(label: "GD + momentum (η = 2×10⁻⁴)", points: momentum(start: start, lr: 2e-4, steps: steps, gradient: rosenbrockGradient)),
            Trajectory(label: "Adam (η = 0.05)", points: adam(start: start, lr: 0.05, steps: steps, gradient: rosenbrockGradient)),
            Trajectory(label: "ZO-SGD (η = 10⁻⁴, ε = 10⁻³)", points: zeroOrder(start: start, lr: 1e-4, epsilon: 1e-3, steps: steps, seed: 7, f: rosenbrock)),
            Trajectory(label: "GD (η = 3×10⁻³)", points: momentum(start: start, lr: 3e-3, beta: 0, steps: steps, gradient: rosenbrockGradient)),
        ]
        plot.minima = [PlotPoint(1, 1)]
        plot.title = "Rosenbrock"
        plot.settings = PlotSettings(steps: steps, seed: 7, extra: ["start (−2, 2)", "log levels"])
        return plot
    }

    /// Loss curves of the same runs (f at each iterate).
    static func rosenbrockLosses(_ plot: ContourPlot) -> LineChart {
        var chart = LineChart(series: plot.trajectories.map { t in
            LineSeries(label: t.label, values: t.points.map { $0.isFinite ? rosenbrock($0.x, $0.y) : .nan })
        })
        chart.title = "Rosenbrock: loss"
        chart.settings = plot.settings
        chart.yLabel = "f(x, y)"
        return chart
    }
}
