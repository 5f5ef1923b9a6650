import ZOFunctions
import ZOOptim

/// A figure preset: everything that determines one figure of the gallery — functions and
/// their view, optimizers with their hyper-parameters or the search that picks them, steps,
/// seed, outputs. Read from `plots/*.json` by ``PresetParser``; rendered by ``FigureRenderer``.
/// The JSON format is documented in `docs/gallery.md` ("Preset format").
public struct FigurePreset: Sendable {
    /// Identifier (the file name without `.json` by convention).
    public var id: String
    /// Figure title (default: the function's display name).
    public var title: String?
    /// One paragraph for the gallery (not drawn).
    public var description: String?
    /// PNG path, relative to the directory `zolab plot` runs in (the repository root).
    public var output: String
    /// Logical size in pixels.
    public var width: Int
    public var height: Int
    public var layout: FigureLayout
    /// Rows of the figure (one for most figures).
    public var functions: [FigureFunction]
    public var optimizers: [FigureOptimizer]
    public var steps: Int
    public var seed: UInt64
    /// Tolerance of the sidecar's "steps to reach" numbers (‖θ − x*‖ and per coordinate).
    public var tolerance: Double
    /// What the loss panels show.
    public var lossPanel: LossPanelSpec
    public var animation: AnimationSpec?
    public var gnuplot: GnuplotSpec?
    /// Where the preset was read from (for the reproducing command); nil for ad-hoc figures.
    public var source: String?

    public init(id: String, output: String, functions: [FigureFunction], optimizers: [FigureOptimizer],
                steps: Int, seed: UInt64, layout: FigureLayout = .contour, width: Int = 800, height: Int = 800) {
        self.id = id
        self.output = output
        self.functions = functions
        self.optimizers = optimizers
        self.steps = steps
        self.seed = seed
        self.layout = layout
        self.width = width
        self.height = height
        self.tolerance = 1e-2
        self.lossPanel = LossPanelSpec()
    }

    /// Number of trajectories (function × optimizer runs) the figure needs.
    public var runCount: Int { functions.count * optimizers.count }
}

/// How the panels of a figure are arranged. Rows are the preset's functions.
public enum FigureLayout: String, Sendable, CaseIterable {
    /// One contour panel per function view, every optimizer's trajectory on it.
    case contour
    /// Contour panel(s) and a loss-versus-step panel side by side, per function.
    case contourAndLoss = "contour+loss"
    /// Functions × optimizers: one contour panel per optimizer (one trajectory each), then
    /// the loss panel.
    case grid
    /// Loss-versus-step panels only (functions of many variables).
    case loss
}

/// One function of a figure, with its view.
public struct FigureFunction: Sendable {
    public var name: String
    public var dimension: Int?
    public var parameters: FunctionParameters
    public var start: [Double]?
    /// Plot window (default: the function's `viewDomain` on the view's axes).
    public var domain: (x: ClosedRange<Double>, y: ClosedRange<Double>)?
    public var levels: LevelSpec
    /// Coordinate pairs drawn as contour panels: the plane itself for d = 2, slices through
    /// ``slicePoint`` with the trajectory projected onto them for d > 2.
    public var views: [[Int]]
    /// The point the slices pass through (default: the known minimiser, else the start).
    public var slicePoint: [Double]?
    public var partition: BlockPartition
    /// Row header / panel title (default: the function's display name).
    public var label: String?
    /// Grid nodes per side of the contour field.
    public var resolution: Int

    public init(name: String, dimension: Int? = nil, parameters: FunctionParameters = .init(), start: [Double]? = nil) {
        self.name = name
        self.dimension = dimension
        self.parameters = parameters
        self.start = start
        self.domain = nil
        self.levels = LevelSpec()
        self.views = [[0, 1]]
        self.slicePoint = nil
        self.partition = .natural
        self.label = nil
        self.resolution = 300
    }

    /// The catalog function (validated).
    public func make() throws -> any TestFunction {
        try FunctionCatalog.make(name, dimension: dimension, parameters: parameters)
    }
}

/// Contour levels: linear or log-spaced, about `count` of them.
public struct LevelSpec: Sendable, Hashable {
    public enum Scale: String, Sendable, CaseIterable { case linear, log }
    public var scale: Scale
    public var count: Int
    /// Lowest log level (default: ZOPlot's, the smallest positive value ≥ 10⁻⁸ × max).
    public var minimum: Double?

    public init(scale: Scale = .linear, count: Int = 14, minimum: Double? = nil) {
        self.scale = scale
        self.count = count
        self.minimum = minimum
    }
}

/// One optimizer of a figure: the registry name (or ``ExactCoordinateDescent/methodName``),
/// its options, and optionally the learning-rate search that sets "lr".
public struct FigureOptimizer: Sendable {
    public var name: String
    public var label: String?
    public var options: [String: String]
    public var search: SearchSpec?
    /// The blocks this optimizer sees (block-coordinate methods select among them); nil: the
    /// function's `partition`.
    public var partition: BlockPartition?

    public init(name: String, label: String? = nil, options: [String: String] = [:], search: SearchSpec? = nil) {
        self.name = name
        self.label = label
        self.options = options
        self.search = search
    }

    /// True for the analytic exact coordinate descent (no registry optimizer).
    public var isExactCoordinateDescent: Bool { name == ExactCoordinateDescent.methodName }
}

/// The learning-rate search of one optimizer, as written in a preset. Unset fields take the
/// figure's values: horizon = the figure's steps, seed = the figure's seed.
public struct SearchSpec: Sendable, Hashable {
    /// nil: distance to the minimum when the function has known minimisers, else final loss.
    public var criterion: LearningRateSearch.Criterion?
    public var low: Double
    public var high: Double
    public var horizon: Int?
    public var coarse: Int
    public var refine: Int
    public var seed: UInt64?

    public init(criterion: LearningRateSearch.Criterion? = nil, low: Double = 1e-5, high: Double = 1, horizon: Int? = nil,
                coarse: Int = 13, refine: Int = 6, seed: UInt64? = nil) {
        self.criterion = criterion
        self.low = low
        self.high = high
        self.horizon = horizon
        self.coarse = coarse
        self.refine = refine
        self.seed = seed
    }

    /// The search for `function` in a figure of `steps` steps and seed `seed`.
    public func resolved(steps: Int, seed figureSeed: UInt64, hasMinima: Bool) -> LearningRateSearch {
        LearningRateSearch(low: low, high: high, horizon: horizon ?? steps, seed: seed ?? figureSeed,
                           criterion: criterion ?? (hasMinima ? .distanceToMinimum : .finalLoss),
                           budget: .init(coarse: coarse, refine: refine))
    }
}

/// What the loss panels plot against the step.
public struct LossPanelSpec: Sendable, Hashable {
    public enum Metric: String, Sendable, CaseIterable {
        /// f(θ_t); for functions whose minimum is not 0, f(θ_t) − f* when f* is known.
        case loss
        /// ‖θ_t − x*‖ to the nearest known minimiser.
        case distance
        /// ‖∇f(θ_t)‖.
        case gradientNorm = "gradient-norm"
    }

    public var metric: Metric
    public var logarithmic: Bool
    /// A dashed horizontal reference line (e.g. ‖∇f‖ = 2 for Powell's cycle).
    public var reference: Double?
    public var referenceLabel: String?
    /// Fixed y range; nil: from the data, on a log axis floored at 10⁻¹² × the largest value
    /// so a run that reaches exactly 0 (or 10⁻³⁰) does not flatten the others.
    public var range: ClosedRange<Double>?

    public init(metric: Metric = .loss, logarithmic: Bool = true, reference: Double? = nil, referenceLabel: String? = nil,
                range: ClosedRange<Double>? = nil) {
        self.metric = metric
        self.logarithmic = logarithmic
        self.reference = reference
        self.referenceLabel = referenceLabel
        self.range = range
    }

    /// Relative floor of an automatic log range.
    public static let logFloor = 1e-12
}

/// Optional APNG of the (first) contour panel.
public struct AnimationSpec: Sendable, Hashable {
    public var output: String
    public var frames: Int
    public var width: Int
    public var height: Int

    public init(output: String, frames: Int = 40, width: Int = 480, height: Int = 480) {
        self.output = output
        self.frames = frames
        self.width = width
        self.height = height
    }
}

/// Optional gnuplot rendering of the (first) loss chart; skipped when gnuplot is missing.
public struct GnuplotSpec: Sendable, Hashable {
    public var output: String
    public var width: Int
    public var height: Int

    public init(output: String, width: Int = 800, height: Int = 500) {
        self.output = output
        self.width = width
        self.height = height
    }
}
