/// A check's figure as plain data (stored in the JSON report, rendered by ``FigureRenderer``):
/// a grid of panels, each a line chart or an interval chart.
public struct FigureData: Codable, Sendable {
    public var title: String
    public var columns: Int
    public var panels: [PanelData]

    public init(title: String, columns: Int = 2, panels: [PanelData]) {
        self.title = title
        self.columns = max(1, min(columns, panels.count))
        self.panels = panels
    }
}

/// One panel: x/y series (lines) or categories with intervals, plus horizontal reference lines.
public struct PanelData: Codable, Sendable {
    public enum Kind: String, Codable, Sendable {
        /// ``series`` as lines over a numeric x axis.
        case lines
        /// ``categories`` as points with interval bars over a categorical x axis.
        case intervals
    }

    public var kind: Kind
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var logX: Bool
    public var logY: Bool
    public var series: [SeriesData]
    public var categories: [CategoryData]
    public var references: [ReferenceLine]
    /// Fixed axis ranges [lower, upper] (nil: from the data). Set where the quantity has a
    /// natural range — probabilities in [0, 1], byte ratios and variances ≥ 0 — so padding
    /// never draws an axis into impossible values.
    public var xRange: [Double]?
    public var yRange: [Double]?

    public init(lines series: [SeriesData], title: String, xLabel: String, yLabel: String, logX: Bool = false,
                logY: Bool = false, references: [ReferenceLine] = [], xRange: ClosedRange<Double>? = nil,
                yRange: ClosedRange<Double>? = nil) {
        self.kind = .lines
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logX = logX
        self.logY = logY
        self.series = series
        self.categories = []
        self.references = references
        self.xRange = xRange.map { [$0.lowerBound, $0.upperBound] }
        self.yRange = yRange.map { [$0.lowerBound, $0.upperBound] }
    }

    public init(intervals categories: [CategoryData], title: String, yLabel: String, logY: Bool = false,
                references: [ReferenceLine] = [], yRange: ClosedRange<Double>? = nil) {
        self.kind = .intervals
        self.title = title
        self.xLabel = ""
        self.yLabel = yLabel
        self.logX = false
        self.logY = logY
        self.series = []
        self.categories = categories
        self.references = references
        self.xRange = nil
        self.yRange = yRange.map { [$0.lowerBound, $0.upperBound] }
    }

    /// [lower, upper] as a range (nil when absent or malformed).
    static func range(_ r: [Double]?) -> ClosedRange<Double>? {
        guard let r, r.count == 2, r[0] < r[1] else { return nil }
        return r[0]...r[1]
    }
}

public struct SeriesData: Codable, Sendable {
    public var label: String
    public var x: [Double]
    public var y: [Double]
    /// Drawn dashed (theory curves).
    public var dashed: Bool

    public init(label: String, x: [Double], y: [Double], dashed: Bool = false) {
        precondition(x.count == y.count, "series \(label): \(x.count) x values for \(y.count) y values")
        self.label = label
        self.x = x
        self.y = y
        self.dashed = dashed
    }
}

public struct CategoryData: Codable, Sendable {
    public var label: String
    public var value: Double
    public var lower: Double?
    public var upper: Double?
    /// A theory or reference value drawn as an open marker beside the estimate.
    public var expected: Double?

    public init(label: String, value: Double, lower: Double? = nil, upper: Double? = nil, expected: Double? = nil) {
        self.label = label
        self.value = value
        self.lower = lower
        self.upper = upper
        self.expected = expected
    }
}

public struct ReferenceLine: Codable, Sendable {
    public var label: String
    public var value: Double

    public init(_ label: String, _ value: Double) {
        self.label = label
        self.value = value
    }
}
