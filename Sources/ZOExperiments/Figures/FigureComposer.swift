import Foundation
import ZOFunctions
import ZOOptim
import ZOPlot

/// Turns a preset and its runs into a ZOPlot ``Figure``: contour panels (2-D functions, or
/// slices with projected paths for d > 2), loss panels, the grid of functions × optimizers,
/// with the settings on the figure and the chosen learning rates in the legends.
public struct FigureComposer {
    public let preset: FigurePreset
    public let runs: [FigureRun]

    public init(preset: FigurePreset, runs: [FigureRun]) {
        self.preset = preset
        self.runs = runs
    }

    /// The runs of function row `i`, in optimizer order.
    func runs(ofFunction i: Int) -> [FigureRun] { runs.filter { $0.functionIndex == i } }

    // MARK: Figure

    /// The whole figure.
    public func figure() throws -> Figure {
        var panels: [PlotPanel?] = []
        var columns = 1
        var columnTitles: [String] = []
        let many = preset.functions.count > 1
        for (i, f) in preset.functions.enumerated() {
            let rowRuns = runs(ofFunction: i)
            switch preset.layout {
            case .contour:
                let views = try f.views.map { try contourPanel(function: f, row: i, view: $0, runs: rowRuns) }
                panels += views.map { $0 as PlotPanel }
                columns = max(columns, f.views.count)
            case .contourAndLoss:
                let views = try f.views.map { try contourPanel(function: f, row: i, view: $0, runs: rowRuns) }
                panels += views.map { $0 as PlotPanel } + [lossPanel(function: f, runs: rowRuns) as PlotPanel]
                columns = max(columns, f.views.count + 1)
            case .grid:
                for run in rowRuns {
                    // Column headers (or the panel title) name the optimizer; the subtitle
                    // carries η and a divergence flag; the figure legend (`gridLegend`) keys
                    // each optimizer's line and marker and the start ○, minimum ★ and divergence marks.
                    var panel = try contourPanel(function: f, row: i, view: f.views[0], runs: [run])
                    panel.title = many ? "" : run.name
                    panel.subtitle = gridSubtitle(run)
                    panel.legendPlacement = .hidden
                    panels.append(panel)
                }
                var chart = lossPanel(function: f, runs: rowRuns)
                if many { chart.title = "" }
                panels.append(chart)
                columns = rowRuns.count + 1
                columnTitles = many ? runs(ofFunction: 0).map(\.name) + [lossTitle(function: try f.make())] : []
            case .loss:
                panels.append(lossPanel(function: f, runs: rowRuns))
                columns = min(preset.functions.count, 3)
            }
        }
        // Pad ragged rows (functions with fewer views) so rows stay aligned.
        if preset.layout == .contour || preset.layout == .contourAndLoss, many {
            var padded: [PlotPanel?] = []
            var k = 0
            for f in preset.functions {
                let n = f.views.count + (preset.layout == .contourAndLoss ? 1 : 0)
                padded += panels[k..<k + n] + Array(repeating: nil, count: columns - n)
                k += n
            }
            panels = padded
        }
        let single = panels.count == 1
        var figure = Figure(columns: columns, panels: panels, title: single ? "" : figureTitle,
                            subtitle: single ? "" : settings.text, style: RunStyle.figureStyle)
        figure.columnTitles = columnTitles
        if preset.layout == .grid { figure.legend = gridLegend }
        if many { figure.rowTitles = preset.functions.enumerated().map { i, f in f.label ?? "" } }
        return figure
    }

    /// The preset's title, or the (first) function's display name.
    var figureTitle: String {
        if let t = preset.title { return t }
        return (try? preset.functions[0].make().descriptor.displayName) ?? preset.functions[0].name
    }

    // MARK: Settings and labels

    /// Steps, seed, the common ε/μ, and how η was chosen (the grid's marker key is in `gridLegend`).
    var settings: PlotSettings {
        var s = PlotSettings(steps: preset.steps, seed: preset.seed)
        if let p = commonPerturbation { s.extra.append("\(p.symbol) = \(NumberFormat.compact(p.value))") }
        if let phrase = searchPhrase { s.extra.append(phrase) }
        return s
    }

    /// The grid's figure-wide legend: each optimizer's line, marker and dash (η differs per
    /// panel and is in the panel subtitles), then the start, minimum and divergence marks.
    var gridLegend: [LegendItem] {
        var items = runs(ofFunction: 0).map { run in
            LegendItem(label: run.name, color: RunStyle.color(run.optimizerIndex), lineWidth: RunStyle.figureStyle.lineWidth,
                       dash: RunStyle.dash(run.optimizerIndex), marker: RunStyle.marker(run.optimizerIndex))
        }
        items.append(LegendItem(label: "start", color: .black, marker: .circle, markerFill: .white))
        items.append(LegendItem(label: "minimum", color: .black, marker: .star, markerFill: PlotColor(hex: 0xFFD21F),
                                markerSize: RunStyle.figureStyle.markerSize * 1.15))
        if runs.contains(where: { $0.divergence != nil }) {
            items.append(LegendItem(label: "diverged", color: .black, marker: .cross))
        }
        return items
    }

    /// A grid panel's subtitle: η (tuned or fixed), its own ε/μ, the final f, divergence.
    func gridSubtitle(_ run: FigureRun) -> String {
        var parts: [String] = []
        if let lr = run.learningRate { parts.append("η = \(NumberFormat.compact(lr))" + (run.search != nil ? " (tuned)" : "")) }
        if commonPerturbation == nil, let p = run.perturbation { parts.append("\(p.symbol) = \(NumberFormat.compact(p.value))") }
        if let final = finalValueText(run, metric: .loss) { parts.append(final) }
        if let d = run.divergence { parts.append("✗ diverged at step \(d.step)") }
        return parts.joined(separator: ", ")
    }

    /// "final f = 0.87" (the metric's symbol and its value after the last step); nil for a run
    /// that diverged or has no value.
    func finalValueText(_ run: FigureRun, metric: LossPanelSpec.Metric) -> String? {
        guard run.divergence == nil, let last = FigureSeries.values(run, metric: metric).last, last.value.isFinite else { return nil }
        return "final \(FigureSeries.symbol(metric, function: run.function)) = \(NumberFormat.compact(last.value))"
    }

    /// ``legendLabel(_:)`` followed by the final value of `metric`, for legends that list runs.
    func legendLabel(_ run: FigureRun, final metric: LossPanelSpec.Metric) -> String {
        guard let final = finalValueText(run, metric: metric) else { return legendLabel(run) }
        return legendLabel(run) + ": " + final
    }

    /// The ε/μ shared by every ZO run (nil when they differ or there are none).
    var commonPerturbation: (symbol: String, value: Double)? {
        let ps = runs.compactMap(\.perturbation)
        guard let first = ps.first, ps.count == runs.filter({ $0.perturbation != nil }).count,
              ps.allSatisfy({ $0.value == first.value }) else { return nil }
        let symbols = Set(ps.map(\.symbol))
        return (symbols.count == 1 ? first.symbol : "ε = μ", first.value)
    }

    /// "η tuned on mean of f(θ_t) over t = 0…500, 19 runs in [10⁻⁶, 10], search seed 0" when every
    /// searched run used the same search; a shorter phrase otherwise.
    var searchPhrase: String? {
        let searches = runs.compactMap(\.search)
        guard let s = searches.first else { return nil }
        // Exactly what the search scores (LearningRateSearch): the mean is over every
        // evaluated step of the horizon, t = 0 included; the others are taken at its end.
        let T = s.horizon
        let criterion: String
        switch s.criterion {
        case .distanceToMinimum: criterion = "‖θ_\(T) − x*‖"
        case .finalLoss: criterion = "f(θ_\(T))"
        case .meanLoss: criterion = "mean of f(θ_t) over t = 0…\(T)"
        }
        guard searches.allSatisfy({ $0 == s }) else { return "η tuned per run (see the .json sidecar)" }
        return "η tuned on \(criterion), \(s.budget.runs) runs in "
            + "[\(NumberFormat.compact(s.low)), \(NumberFormat.compact(s.high))], search seed \(s.seed)"
    }

    /// Legend text of a run: name, η (tuned or fixed), its own ε/μ when not common.
    func legendLabel(_ run: FigureRun) -> String {
        var parts = [run.name]
        if let lr = run.learningRate {
            parts.append("η = \(NumberFormat.compact(lr))" + (run.search != nil ? " (tuned)" : ""))
        }
        if commonPerturbation == nil, let p = run.perturbation { parts.append("\(p.symbol) = \(NumberFormat.compact(p.value))") }
        return parts.joined(separator: ", ")
    }

    static func axisName(_ i: Int, dimension d: Int) -> String {
        if d <= 3 { return ["x", "y", "z"][i] }
        let subscripts = ["₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"]
        return "x" + String(i + 1).map { subscripts[Int(String($0))!] }.joined()
    }

    // MARK: Panels

    /// The slice point of a function of more than two variables.
    static func slicePoint(_ spec: FigureFunction, _ f: any TestFunction) -> [Double] {
        spec.slicePoint ?? f.minimum.points.first ?? spec.start ?? f.defaultStart
    }

    /// A contour panel of `view` (coordinates i, j) with the trajectories of `runs`.
    func contourPanel(function spec: FigureFunction, row: Int, view: [Int], runs: [FigureRun]) throws -> ContourPlot {
        let f = try spec.make()
        let (i, j) = (view[0], view[1])
        let d = f.dimension
        let through = Self.slicePoint(spec, f)
        let box = f.viewDomain
        let xr = spec.domain?.x ?? box.bounds(i), yr = spec.domain?.y ?? box.bounds(j)
        let domain: PlotDomain
        do {
            domain = try PlotDomain(x: xr, y: yr)
        } catch let e as PlotError {
            throw PresetError.render(file: preset.source ?? preset.id, message: "\(f.name): \(e) (set function.domain)")
        }
        let shift = spec.levels.scale == .log ? FigureSeries.lossShift(f) : 0
        let field: ([Double]) -> Double = { x in f.value(x) - shift }
        let grid = try ScalarGrid(slicing: field, through: through, xAxis: i, yAxis: j, domain: domain,
                                  columns: spec.resolution, rows: spec.resolution)
        let levels: ContourLevels = spec.levels.scale == .log
            ? .logarithmic(count: spec.levels.count, minimum: spec.levels.minimum) : .linear(count: spec.levels.count)
        var plot = ContourPlot(grid: grid, levels: levels)
        plot.xLabel = Self.axisName(i, dimension: d)
        plot.yLabel = Self.axisName(j, dimension: d)
        let others = (0..<d).filter { $0 != i && $0 != j }
        let sliceText = others.map { "\(Self.axisName($0, dimension: d)) = \(NumberFormat.compact(through[$0]))" }.joined(separator: ", ")
        let vars = [i, j].map { Self.axisName($0, dimension: d) }.joined(separator: ", ")
        plot.colorBarLabel = (shift != 0 ? "f − f*" : "f") + (others.isEmpty ? "(\(vars))" : " (slice \(sliceText))")
        plot.trajectories = runs.map { run in trajectory(run, axes: (i, j)) }
        plot.minima = f.minimum.points.filter { m in others.allSatisfy { abs(m[$0] - through[$0]) <= 1e-9 * max(1, abs(m[$0])) } }
            .map { PlotPoint($0[i], $0[j]) }
        if preset.functions.count == 1 && preset.layout == .contour && spec.views.count == 1 {
            plot.title = figureTitle
            plot.settings = settings
        } else {
            // One 2-D function: the figure title already names it.
            if spec.views.count > 1 {
                // Several views of one function: name the plane; the row / figure names the function.
                plot.title = "\(vars) plane"
                if d > 2 { plot.subtitle = "slice \(sliceText); path projected" }
            } else {
                plot.title = preset.functions.count == 1 ? "" : f.descriptor.displayName
                if d > 2 { plot.subtitle = "\(vars) plane, slice \(sliceText); path projected" }
            }
        }
        return plot
    }

    /// The run's path in the (i, j) plane; a diverged run ends in a non-finite point so
    /// ZOPlot marks it ✗ and labels it "(diverged at step k)".
    func trajectory(_ run: FigureRun, axes: (Int, Int)) -> Trajectory {
        var points = run.trajectory.map { PlotPoint($0[axes.0], $0[axes.1]) }
        var steps = Array(points.indices)
        if let d = run.divergence {
            points.append(PlotPoint(.nan, .nan))
            steps.append(d.step)
        }
        let k = run.optimizerIndex
        return Trajectory(label: legendLabel(run, final: .loss), points: points, steps: steps, color: RunStyle.color(k),
                          marker: RunStyle.marker(k), dash: RunStyle.dash(k))
    }

    func lossTitle(function f: any TestFunction) -> String {
        FigureSeries.label(preset.lossPanel.metric, function: f) + " per step"
    }

    /// Loss-versus-step panel of `runs` (metric and scale from the preset).
    func lossPanel(function spec: FigureFunction, runs: [FigureRun]) -> LineChart {
        let spec2 = preset.lossPanel
        let f = runs.first?.function
        var series: [LineSeries] = runs.map { run in
            var points = FigureSeries.values(run, metric: spec2.metric).map { PlotPoint(Double($0.step), $0.value) }
            if let d = run.divergence { points.append(PlotPoint(Double(d.step), .nan)) }
            let k = run.optimizerIndex
            return LineSeries(label: legendLabel(run, final: spec2.metric), points: points, color: RunStyle.color(k),
                              marker: RunStyle.marker(k), dash: RunStyle.dash(k))
        }
        if let r = spec2.reference {
            series.append(LineSeries(label: spec2.referenceLabel ?? "reference \(NumberFormat.compact(r))",
                                     points: [PlotPoint(0, r), PlotPoint(Double(preset.steps), r)],
                                     color: PlotColor(hex: 0x777777), dash: [6, 4]))
        }
        var chart = LineChart(series: series, yScale: spec2.logarithmic ? .logarithmic : .linear)
        chart.drawOrder = .noisiestFirst
        let label = f.map { FigureSeries.label(spec2.metric, function: $0) } ?? "loss"
        chart.yLabel = label
        chart.xLabel = runs.contains { $0.optimizer == ExactCoordinateDescent.methodName } ? "coordinate update" : "step"
        if preset.layout == .loss && preset.functions.count == 1 {
            chart.title = figureTitle
            chart.settings = settings
        } else {
            chart.title = preset.layout == .loss ? ((try? spec.make().descriptor.displayName) ?? spec.name) : "\(label) per step"
        }
        if preset.layout == .contourAndLoss || preset.layout == .grid {
            // The trajectory panels carry the legend (same colours and markers); a reference
            // line keeps a legend of its own.
            if spec2.reference == nil {
                chart.legendPlacement = .hidden
                chart.subtitle = preset.layout == .grid ? "" : "line styles as in the trajectory panel's legend"
            }
        }
        chart.xRange = 0...Double(preset.steps)
        chart.yRange = spec2.range ?? (spec2.logarithmic ? Self.flooredLogRange(series) : nil)
        return chart
    }

    /// A log y range [10^⌊log₁₀ lo⌋, 10^⌈log₁₀ hi⌉] with lo ≥ ``LossPanelSpec/logFloor`` × hi,
    /// where hi is capped at 10³ × the largest first value (ZOPlot's runaway cap); nil when the
    /// data need no floor (ZOPlot's automatic range is then used).
    static func flooredLogRange(_ series: [LineSeries]) -> ClosedRange<Double>? {
        let values = series.flatMap { $0.finitePoints.map(\.y).filter { $0 > 0 } }
        let firsts = series.compactMap { $0.finitePoints.first(where: { $0.y > 0 })?.y }
        guard let lo = values.min(), var hi = values.max(), let first = firsts.max() else { return nil }
        hi = min(hi, first * 1e3)
        let floor = hi * LossPanelSpec.logFloor
        guard lo < floor else { return nil }
        return pow(10, log10(floor).rounded(.down))...pow(10, log10(hi).rounded(.up))
    }

    /// The first contour panel (for the animation), titled and with settings.
    public func animationPanel() throws -> ContourPlot? {
        guard preset.layout != .loss, let f = preset.functions.first else { return nil }
        var plot = try contourPanel(function: f, row: 0, view: f.views[0], runs: runs(ofFunction: 0))
        plot.title = figureTitle
        plot.settings = settings
        return plot
    }

    /// The first loss chart, titled and with settings (for the gnuplot backend).
    public func gnuplotChart() -> LineChart {
        var chart = lossPanel(function: preset.functions[0], runs: runs(ofFunction: 0))
        chart.title = figureTitle
        chart.settings = settings
        return chart
    }
}
