import Foundation
import ZOCore
#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress display on standard error for long runs: step, smoothed loss, the
/// latest evaluation, speed and ETA. On a terminal the line is redrawn in place; otherwise a
/// line is printed at most every `interval` seconds (logs stay short).
public final class ProgressDisplay {
    public let label: String
    public let totalSteps: Int
    public let interval: Double
    private let isTerminal: Bool
    private var lastPrint = -Double.infinity
    private var clock = Stopwatch()
    private var startStep: Int?
    private var smoothed: Double?
    public var note = ""

    public init(label: String, totalSteps: Int, interval: Double? = nil) {
        self.label = label
        self.totalSteps = totalSteps
        isTerminal = isatty(2) != 0
        self.interval = interval ?? (isatty(2) != 0 ? 0.25 : 10)
    }

    public func update(step: Int, loss: Double, force: Bool = false) {
        if startStep == nil { startStep = step - 1; clock.reset() }
        if loss.isFinite { smoothed = smoothed.map { 0.9 * $0 + 0.1 * loss } ?? loss }
        let now = clock.elapsed
        guard force || now - lastPrint >= interval || step == totalSteps else { return }
        lastPrint = now
        let done = step - (startStep ?? 0)
        let rate = now > 0 ? Double(done) / now : 0
        let eta = rate > 0 ? Double(totalSteps - step) / rate : 0
        var line = String(format: "[%@] step %d/%d (%.0f%%)  loss %.4f", label, step, totalSteps,
                          100 * Double(step) / Double(max(totalSteps, 1)), smoothed ?? .nan)
        if now >= 0.5 { line += String(format: "  %.2f step/s  ETA %@", rate, Self.duration(eta)) }   // no rate from one step
        if !note.isEmpty { line += "  " + note }
        let text = isTerminal ? "\r\u{1B}[K" + line + (step == totalSteps ? "\n" : "") : line + "\n"
        FileHandle.standardError.write(Data(text.utf8))
    }

    public func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func duration(_ s: Double) -> String {
        guard s.isFinite else { return "?" }
        let t = Int(s.rounded())
        return t >= 3600 ? "\(t / 3600)h\(t % 3600 / 60)m" : t >= 60 ? "\(t / 60)m\(t % 60)s" : "\(t)s"
    }
}
