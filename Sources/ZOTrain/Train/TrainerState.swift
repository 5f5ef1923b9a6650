/// The trainer's own state beyond weights and optimizer: what a checkpoint stores so that a
/// resumed run writes the same metrics and summary as an uninterrupted one.
public struct TrainerState: Codable, Equatable, Sendable {
    /// The next step to run (= steps completed).
    public var nextStep = 0
    /// Byte length of the metrics file at this state (resume truncates it there).
    public var metricsBytes: UInt64 = 0
    public var forwardPasses = 0
    public var backwardPasses = 0
    /// Loss-curve points: mean training loss of each window of `curveWindow` steps.
    public var curve: [CurvePoint] = []
    var windowSum = 0.0
    var windowCount = 0
    /// Evaluations so far (step 0 = before training).
    public var evaluations: [Evaluation] = []
    /// Largest optimizer state seen in a step report.
    public var peakStateBytes = 0
    /// The evaluation after step 0 with the highest selection metric so far (earliest on ties);
    /// its weights are in the run's `best.safetensors` (nil: no selection metric or no
    /// evaluation after step 0 yet). Optional, so checkpoints written before it existed load.
    public var best: Evaluation?

    public init() {}

    public struct CurvePoint: Codable, Equatable, Sendable {
        /// The window's last step + 1 (steps completed).
        public var step: Int
        public var loss: Double
    }

    public struct Evaluation: Codable, Equatable, Sendable {
        /// Steps completed when evaluated.
        public var step: Int
        /// Forward passes spent by then.
        public var forwardPasses: Int
        public var metrics: [String: Double]
    }

    mutating func record(loss: Double, step: Int, window: Int) {
        windowSum += loss
        windowCount += 1
        if windowCount == window {
            curve.append(CurvePoint(step: step + 1, loss: windowSum / Double(windowCount)))
            windowSum = 0
            windowCount = 0
        }
    }
}
