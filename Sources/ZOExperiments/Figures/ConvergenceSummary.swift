import ZOFunctions

/// When a run reached the minimiser, measured on its recorded iterates: the first step from
/// which ‖θ_t − x*‖ ≤ tol holds until the end (so a path that passes through and leaves
/// again does not count), the same per coordinate (|θ_t,i − x*_i| ≤ tol), and the forward
/// passes spent up to that step. x* is the known minimiser nearest to the final iterate.
public struct ConvergenceSummary: Codable, Sendable, Hashable {
    public var tolerance: Double
    /// First step from which ‖θ − x*‖ ≤ tolerance to the end; nil if never.
    public var stepsToTolerance: Int?
    /// Forward passes used by the end of that step (nil: never, or no forward count).
    public var forwardsToTolerance: Int?
    /// Per coordinate, the first step from which |θ_i − x*_i| ≤ tolerance to the end.
    public var coordinateSteps: [Int?]
    /// ‖θ_T − x*‖ and |θ_T,i − x*_i| at the last finite iterate.
    public var finalDistance: Double
    public var finalCoordinateErrors: [Double]

    /// nil when the function has no known minimiser or the run has no iterates.
    public init?(run: FigureRun, tolerance: Double) {
        let minima = run.function.minimum.points
        guard let last = run.trajectory.last, !minima.isEmpty else { return nil }
        let target = minima.min { FigureSeries.distance(last, to: [$0]) < FigureSeries.distance(last, to: [$1]) }!
        self.tolerance = tolerance
        func settled(_ within: ([Double]) -> Bool) -> Int? {
            var first: Int? = nil
            for (t, x) in run.trajectory.enumerated() {
                if within(x) { first = first ?? t } else { first = nil }
            }
            // A run that diverged did not settle, whatever its last finite iterates did.
            return run.divergence == nil ? first : nil
        }
        stepsToTolerance = settled { FigureSeries.distance($0, to: [target]) <= tolerance }
        coordinateSteps = target.indices.map { i in settled { abs($0[i] - target[i]) <= tolerance } }
        if let t = stepsToTolerance, !run.forwardPasses.isEmpty {
            forwardsToTolerance = run.forwardPasses.prefix(t).reduce(0, +)
        }
        finalDistance = FigureSeries.distance(last, to: [target])
        finalCoordinateErrors = zip(last, target).map { abs($0 - $1) }
    }

    enum CodingKeys: String, CodingKey {
        case tolerance, stepsToTolerance, forwardsToTolerance, coordinateSteps, finalDistance, finalCoordinateErrors
    }

    /// Writes "never reached" as an explicit null rather than leaving the key out.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tolerance, forKey: .tolerance)
        try c.encode(stepsToTolerance, forKey: .stepsToTolerance)
        try c.encode(forwardsToTolerance, forKey: .forwardsToTolerance)
        try c.encode(coordinateSteps, forKey: .coordinateSteps)
        try c.encode(finalDistance, forKey: .finalDistance)
        try c.encode(finalCoordinateErrors, forKey: .finalCoordinateErrors)
    }
}
