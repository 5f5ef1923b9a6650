/// An optimizer's path in the plane: point k is the iterate after step `steps?[k] ?? k`.
///
/// A run that diverged has non-finite points from some step on: figures draw the path up to
/// the last finite point, mark it with ✗ and append "(diverged at step k)" to the label.
public struct Trajectory: Sendable {
    public var label: String
    public var points: [PlotPoint]
    /// Step number of each point (same count as `points`); nil means point k is step k.
    public var steps: [Int]?
    /// nil: the figure palette's colour for this trajectory's position.
    public var color: PlotColor?
    /// nil: the figure style's marker for this trajectory's position.
    public var marker: MarkerShape?
    public var dash: [Double]

    public init(label: String, points: [PlotPoint], steps: [Int]? = nil, color: PlotColor? = nil,
                marker: MarkerShape? = nil, dash: [Double] = []) {
        self.label = label
        self.points = points
        self.steps = steps
        self.color = color
        self.marker = marker
        self.dash = dash
    }

    /// `Trajectory(label:xy:)` from (x, y) tuples.
    public init(label: String, xy: [(Double, Double)], color: PlotColor? = nil, marker: MarkerShape? = nil) {
        self.init(label: label, points: xy.map { PlotPoint(x: $0.0, y: $0.1) }, color: color, marker: marker)
    }

    /// Index of the first non-finite point, or nil if the run stayed finite.
    public var divergenceIndex: Int? { points.firstIndex { !$0.isFinite } }

    /// Step at which the run diverged (the step of the first non-finite point), or nil.
    public var divergenceStep: Int? { divergenceIndex.map { step(at: $0) } }

    /// The points before the first non-finite one.
    public var finitePoints: ArraySlice<PlotPoint> { points[..<(divergenceIndex ?? points.count)] }

    /// Step number of point `index`.
    public func step(at index: Int) -> Int {
        if let steps, index < steps.count { return steps[index] }
        return index
    }

    /// The label with " (diverged at step k)" appended when the run diverged.
    public var legendLabel: String {
        guard let k = divergenceStep else { return label }
        return label + " (diverged at step \(k))"
    }

    func validate() throws {
        if let steps, steps.count != points.count {
            throw PlotError.invalidArgument("trajectory \"\(label)\": \(steps.count) steps for \(points.count) points")
        }
    }
}
