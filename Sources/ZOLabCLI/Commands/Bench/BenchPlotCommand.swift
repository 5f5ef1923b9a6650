import ArgumentParser
import Foundation
import ZOCore
import ZOExperiments
import ZOFunctions
import ZOOptim
import ZOPlot

/// `zolab bench plot`: time one paper figure from real optimizer runs — six optimizers × 500
/// steps on Rosenbrock from (−2, 2) at fixed η, drawn over a 400×400 grid with log levels as an
/// 800×800 PNG. The optimizer runs are timed on their own; the figure is split into grid
/// evaluation, contouring, drawing and PNG encoding, and the < 1 s target applies to the
/// figure (runs excluded: they depend on the optimizers, not on ZOPlot).
struct BenchPlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Figure render time from real optimizer runs (runs; grid, contour, draw, PNG encode) against the 1 s target."
    )

    /// The default runs, at fixed η: MeZO, ZO-Adam, Adam and HiZOO as the gallery's Rosenbrock
    /// search chose them (mean loss over 500 steps, seed 0); ZO-SGD-MMT and SGD as
    /// `zolab run --search-lr` chose them from the same start (distance to x* after 500 steps).
    static let defaultOptimizers = "mezo:lr=0.001,zo-adam:lr=0.0562,adam:lr=0.681,hizoo:lr=0.00147,zo-sgd-mmt:lr=6.81e-5,sgd:lr=0.00139"

    @Option(help: "Figure side in pixels (square).")
    var size = 800

    @Option(help: "Grid nodes per side.")
    var grid = 400

    @Option(help: ArgumentHelp("Optimizers with their fixed η, comma-separated.", valueName: "mezo:lr=0.001,…"))
    var optimizers = Self.defaultOptimizers

    @Option(help: "Steps per optimizer run.")
    var steps = 500

    @Option(help: "Approximate number of (log-spaced) contour levels.")
    var levels = 24

    @Option(help: "Timed repeats (median reported).")
    var repeats = 5

    @Option(help: "Run seed of the optimizers.")
    var seed: UInt64 = 0

    @Option(help: "Target seconds for the figure (runs excluded).")
    var target = 1.0

    @Option(help: "Also write the figure to this PNG path.")
    var output: String?

    func validate() throws {
        guard (100...4000).contains(size) else { throw ValidationError("--size must be in 100…4000") }
        guard (2...4000).contains(grid) else { throw ValidationError("--grid must be in 2…4000") }
        guard (1...1_000_000).contains(steps) else { throw ValidationError("--steps must be in 1…1000000") }
        guard (1...200).contains(levels) else { throw ValidationError("--levels must be in 1…200") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be ≥ 1") }
        _ = try parsedOptimizers()   // names, options and fixed rates: bad input, exit 64
    }

    /// The benchmark field: Rosenbrock, f(x, y) = (1 − x)² + 100 (y − x²)².
    static func field(_ x: Double, _ y: Double) -> Double {
        let a = 1 - x, b = y - x * x
        return a * a + 100 * b * b
    }

    /// The optimizer list; every entry needs a fixed `lr=` (a benchmark runs no search), a
    /// registered name and options its optimizer accepts.
    func parsedOptimizers() throws -> [FigureOptimizer] {
        let list = try CLIError.checkInput { try AdHocFigure.optimizers(optimizers, search: SearchSpec()) }
        for o in list {
            guard o.options["lr"] != nil else {
                throw ValidationError("--optimizers: \(o.name) needs a fixed lr= (the benchmark runs no learning-rate search)")
            }
            try CLIError.checkInput {
                let factory = try OptimizerRegistry.factory(named: o.name)
                _ = try OptimizerOptions(optimizer: factory.name, specs: factory.options, given: o.options)
            }
        }
        return list
    }

    /// Runs every optimizer on Rosenbrock from (−2, 2); a run that diverges ends in a
    /// non-finite point (drawn as ✗), as in the gallery.
    func runOptimizers(_ list: [FigureOptimizer]) throws -> [Trajectory] {
        try list.map { o in
            let spec = FunctionRunSpec(function: "rosenbrock", start: [-2, 2], optimizer: o.name, options: o.options,
                                       steps: steps, seed: seed)
            let result = try spec.run(trajectoryLimit: 2, evaluateEvery: 0).result
            var points = result.trajectory.map { PlotPoint($0[0], $0[1]) }
            if result.divergence != nil { points.append(PlotPoint(.nan, .nan)) }
            return Trajectory(label: "\(OptimizerDisplayName.of(o.name)), η = \(o.options["lr"]!)", points: points)
        }
    }

    func run() throws {
        let domain = try PlotDomain(x: -2...2, y: -1...3)
        let list = try parsedOptimizers()
        var phases = (runs: [Double](), grid: [Double](), contour: [Double](), draw: [Double](), encode: [Double](),
                      figure: [Double]())
        var png = Data()
        for r in 0...repeats {  // run 0 is the warm-up (font cache, page faults)
            var watch = Stopwatch()
            let paths = try runOptimizers(list)
            let tRuns = watch.elapsed; watch.reset()
            let g = try ScalarGrid(sampling: Self.field, domain: domain, columns: grid, rows: grid)
            let tGrid = watch.elapsed; watch.reset()
            let contours = try ContourSet(grid: g, levels: .logarithmic(count: levels))
            let tContour = watch.elapsed; watch.reset()
            var plot = ContourPlot(contours: contours)
            plot.levels = .logarithmic(count: levels)
            plot.trajectories = paths
            plot.minima = [PlotPoint(1, 1)]
            plot.title = "Rosenbrock (benchmark)"
            plot.settings = PlotSettings(steps: steps, seed: seed, extra: ["\(grid)² grid", "\(contours.levels.count) log levels"])
            let image = try Figure(plot).render(width: size, height: size)
            let tDraw = watch.elapsed; watch.reset()
            png = try image.pngData()
            let tEncode = watch.elapsed
            if r == 0 { continue }
            phases.runs.append(tRuns)
            phases.grid.append(tGrid)
            phases.contour.append(tContour)
            phases.draw.append(tDraw)
            phases.encode.append(tEncode)
            phases.figure.append(tGrid + tContour + tDraw + tEncode)
        }
        if let output {
            let url = URL(fileURLWithPath: output)
            try AtomicFile.write(png, to: url)
            print("wrote \(url.path) (\(png.count) bytes)")
        }
        func median(_ v: [Double]) -> Double { TimingSample(seconds: v).median }
        let figure = median(phases.figure)
        let rows: [(String, [Double])] = [
            ("grid evaluation (\(grid)×\(grid), \(Parallel.threadCount) threads)", phases.grid),
            ("contouring (marching squares + joining)", phases.contour),
            ("drawing (bands, lines, \(list.count)×\(steps) steps, text)", phases.draw),
            ("PNG encode (Cairo/libpng)", phases.encode),
        ]
        print("Contour figure \(size)×\(size) px from \(list.count) optimizer runs × \(steps) steps on Rosenbrock, "
              + "median of \(repeats) (after 1 warm-up)")
        print("optimizer runs (\(list.map(\.name).joined(separator: ", "))): "
              + "\(Output.format(median(phases.runs) * 1e3, digits: 4)) ms — timed apart, not part of the target")
        print(Output.table(["figure phase", "median ms", "share"], rows.map { name, v in
            [name, Output.format(median(v) * 1e3, digits: 4), Output.format(100 * median(v) / figure, digits: 3) + " %"]
        } + [["figure total (median of per-run sums)", Output.format(figure * 1e3, digits: 4), "100 %"]]))
        let verdict = figure < target ? "meets" : "MISSES"
        print("figure render: \(Output.format(figure, digits: 3)) s — \(verdict) the < \(Output.format(target, digits: 3)) s target")
    }
}
