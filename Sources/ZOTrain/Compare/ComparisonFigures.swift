import Foundation
import ZOPlot

/// Figures of a comparison: training-loss curves (mean over seeds) against steps, and dev
/// accuracy against forward passes (mean over seeds, from the zero-shot point at 0), one line
/// per method.
public enum ComparisonFigures {
    public static func render(_ aggregates: [MethodAggregate], to url: URL) throws {
        var loss: [LineSeries] = [], accuracy: [LineSeries] = []
        for a in aggregates where !a.runs.isEmpty {
            let curves = a.runs.map(\.curve)
            let n = curves.map(\.count).min() ?? 0
            if n > 0 {
                let steps = (0..<n).map { curves[0][$0].step }
                let values = (0..<n).map { i in curves.map { $0[i].loss }.reduce(0, +) / Double(curves.count) }
                loss.append(try LineSeries(label: a.method, steps: steps, values: values))
            }
            let evals = a.runs.map(\.evaluations)
            let m = evals.map(\.count).min() ?? 0
            if m > 0 {
                let points = (0..<m).map { i in
                    PlotPoint(Double(evals[0][i].forwardPasses),
                              evals.map { $0[i].metrics["dev_accuracy"] ?? .nan }.reduce(0, +) / Double(evals.count))
                }
                accuracy.append(LineSeries(label: a.method, points: points))
            }
        }
        var lossChart = LineChart(series: loss, yScale: .linear)
        lossChart.title = "training loss (mean over seeds)"
        lossChart.xLabel = "step"
        lossChart.yLabel = "prompt cross-entropy"
        var accuracyChart = LineChart(series: accuracy, yScale: .linear)
        accuracyChart.title = "dev accuracy (mean over seeds)"
        accuracyChart.xLabel = "forward passes"
        accuracyChart.yLabel = "accuracy"
        accuracyChart.capsRunawayValues = false   // the cap is for diverging losses; high accuracy is data
        let figure = Figure(columns: 2, panels: [lossChart, accuracyChart], title: "Fine-tuning comparison")
        try figure.render(width: 1600, height: 650).writePNG(to: url)
    }
}
