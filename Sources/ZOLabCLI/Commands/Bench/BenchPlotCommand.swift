import ArgumentParser
import Foundation
import ZOCore
import ZOPlot

/// `zolab bench plot`: time one paper figure end to end — a 400×400 Rosenbrock grid with log
/// levels, six 500-step trajectories, an 800×800 PNG — split into grid evaluation,
/// contouring, drawing and PNG encoding.
struct BenchPlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Contour figure render time (grid, contour, draw, PNG encode) against the 1 s target."
    )

    @Option(help: "Figure side in pixels (square).")
    var size = 800

    @Option(help: "Grid nodes per side.")
    var grid = 400

    @Option(help: "Number of trajectories.")
    var trajectories = 6

    @Option(help: "Steps per trajectory.")
    var steps = 500

    @Option(help: "Approximate number of (log-spaced) contour levels.")
    var levels = 24

    @Option(help: "Timed repeats (median reported).")
    var repeats = 5

    @Option(help: "Seed of the synthetic trajectories.")
    var seed: UInt64 = 1

    @Option(help: "Target seconds for the whole figure.")
    var target = 1.0

    @Option(help: "Also write the figure to this PNG path.")
    var output: String?

    func validate() throws {
        guard (100...4000).contains(size) else { throw ValidationError("--size must be in 100…4000") }
        guard (2...4000).contains(grid) else { throw ValidationError("--grid must be in 2…4000") }
        guard (0...100).contains(trajectories) else { throw ValidationError("--trajectories must be in 0…100") }
        guard (1...1_000_000).contains(steps) else { throw ValidationError("--steps must be in 1…1000000") }
        guard (1...200).contains(levels) else { throw ValidationError("--levels must be in 1…200") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be ≥ 1") }
    }

    /// The benchmark field: Rosenbrock, f(x, y) = (1 − x)² + 100 (y − x²)².
    static func field(_ x: Double, _ y: Double) -> Double {
        let a = 1 - x, b = y - x * x
        return a * a + 100 * b * b
    }

    /// Seeded spirals converging to the minimum (1, 1) with a little Gaussian jitter.
    static func spirals(count: Int, steps: Int, seed: UInt64) -> [Trajectory] {
        (0..<count).map { k in
            var rng = PhiloxRandom(seed: seed, stream: UInt64(k))
            let r0 = 1.2 + 0.8 * rng.nextUniform(), a0 = 2 * Double.pi * rng.nextUniform()
            let turns = 2 + 3 * rng.nextUniform(), decay = 0.985 + 0.01 * rng.nextUniform()
            let points = (0...steps).map { t -> PlotPoint in
                let r = r0 * pow(decay, Double(t)), a = a0 + 2 * Double.pi * turns * Double(t) / Double(steps)
                return PlotPoint(1 + r * cos(a) + 0.004 * rng.nextGaussian(), 1 + r * sin(a) + 0.004 * rng.nextGaussian())
            }
            return Trajectory(label: "spiral \(k + 1) (seed \(seed), stream \(k))", points: points)
        }
    }

    func run() throws {
        let domain = try PlotDomain(x: -2...2, y: -1...3)
        let paths = Self.spirals(count: trajectories, steps: steps, seed: seed)
        var phases = (grid: [Double](), contour: [Double](), draw: [Double](), encode: [Double](), total: [Double]())
        var png = Data()
        for r in 0...repeats {  // run 0 is the warm-up (font cache, page faults)
            var watch = Stopwatch()
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
            phases.grid.append(tGrid)
            phases.contour.append(tContour)
            phases.draw.append(tDraw)
            phases.encode.append(tEncode)
            phases.total.append(tGrid + tContour + tDraw + tEncode)
        }
        if let output {
            let url = URL(fileURLWithPath: output)
            try AtomicFile.write(png, to: url)
            print("wrote \(url.path) (\(png.count) bytes)")
        }
        func median(_ v: [Double]) -> Double { TimingSample(seconds: v).median }
        let total = median(phases.total)
        let rows: [(String, [Double])] = [
            ("grid evaluation (\(grid)×\(grid), \(Parallel.threadCount) threads)", phases.grid),
            ("contouring (marching squares + joining)", phases.contour),
            ("drawing (bands, lines, \(trajectories)×\(steps) steps, text)", phases.draw),
            ("PNG encode (Cairo/libpng)", phases.encode),
        ]
        print("Contour figure \(size)×\(size) px, median of \(repeats) (after 1 warm-up)")
        print(Output.table(["phase", "median ms", "share"], rows.map { name, v in
            [name, Output.format(median(v) * 1e3, digits: 4), Output.format(100 * median(v) / total, digits: 3) + " %"]
        } + [["total (median of per-run sums)", Output.format(total * 1e3, digits: 4), "100 %"]]))
        let verdict = total < target ? "meets" : "MISSES"
        print("figure render: \(Output.format(total, digits: 3)) s — \(verdict) the < \(Output.format(target, digits: 3)) s target")
    }
}
