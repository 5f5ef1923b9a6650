import Foundation
import ZOOptim

/// The `<figure>.png.json` written next to every figure: the exact command that reproduces
/// it, the settings, and per run the options used (η chosen by the search), the search's
/// result, final loss and point, forward passes, divergence and steps to the tolerance.
public struct FigureSidecar: Codable, Sendable {
    public struct Run: Codable, Sendable {
        public var function: String
        public var optimizer: String
        public var label: String
        public var options: [String: String]
        public var learningRate: Double?
        public var search: SearchRecord?
        /// Optimizer steps the run completed (fewer than the figure's when it diverged).
        public var steps: Int
        public var forwardPasses: Int
        public var backwardPasses: Int
        public var finalLoss: Double?
        public var finalPoint: [Double]?
        public var diverged: Divergence?
        public var convergence: ConvergenceSummary?
        /// min_t ‖∇f(θ_t)‖ and ‖∇f(θ_T)‖ over the recorded iterates (t ≥ 1; nil without a trajectory).
        public var minGradientNorm: Double?
        public var finalGradientNorm: Double?
    }

    public struct SearchRecord: Codable, Sendable {
        public var criterion: String
        public var low: Double
        public var high: Double
        public var horizon: Int
        public var seed: UInt64
        public var runs: Int
        public var best: Double
        public var bestScore: Double
        /// Candidates that diverged (scored +∞).
        public var divergedCandidates: Int
    }

    public var id: String
    public var title: String
    public var command: String
    public var preset: String?
    public var output: String
    public var animation: String?
    public var gnuplot: String?
    public var size: [Int]
    public var layout: String
    public var steps: Int
    public var seed: UInt64
    public var runs: [Run]
    /// Labels of runs that diverged (also marked ✗ on the figure).
    public var divergedRuns: [String]

    init(preset: FigurePreset, composer: FigureComposer, command: String, outputs: FigureOutputs) {
        id = preset.id
        title = composer.figureTitle
        self.command = command
        self.preset = preset.source
        output = outputs.figure
        animation = outputs.animation
        gnuplot = outputs.gnuplot
        size = [preset.width, preset.height]
        layout = preset.layout.rawValue
        steps = preset.steps
        seed = preset.seed
        runs = composer.runs.map { r in
            Run(function: r.function.name, optimizer: r.optimizer, label: composer.legendLabel(r), options: r.options,
                learningRate: r.learningRate,
                search: Self.record(r.search, r.searchOutcome),
                steps: r.stepsCompleted, forwardPasses: r.forwardPasses.reduce(0, +),
                backwardPasses: r.backwardPasses, finalLoss: r.evaluations.last?.loss, finalPoint: r.finalPoint,
                diverged: r.divergence, convergence: ConvergenceSummary(run: r, tolerance: preset.tolerance),
                minGradientNorm: Self.gradientNorms(r).min(), finalGradientNorm: Self.gradientNorms(r).last)
        }
        divergedRuns = composer.runs.filter { $0.divergence != nil }.map { "\($0.function.name): \(composer.legendLabel($0))" }
    }

    static func gradientNorms(_ r: FigureRun) -> [Double] {
        FigureSeries.values(r, metric: .gradientNorm).dropFirst().map(\.value)
    }

    static func record(_ search: LearningRateSearch?, _ outcome: LearningRateSearch.Outcome?) -> SearchRecord? {
        guard let s = search, let o = outcome else { return nil }
        return SearchRecord(criterion: s.criterion.rawValue, low: s.low, high: s.high, horizon: s.horizon, seed: s.seed,
                                 runs: o.trials.count, best: o.best, bestScore: o.bestScore,
                                 divergedCandidates: o.trials.filter { !$0.score.isFinite }.count)
    }

    /// Pretty-printed JSON with sorted keys; non-finite numbers (a search score of +∞) as strings.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }
}
