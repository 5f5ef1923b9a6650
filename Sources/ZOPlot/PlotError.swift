/// Errors raised by ZOPlot. Every case says what was wrong and, where it helps, what to do.
///
/// Bad *data* (NaN/∞ in a field, a diverged trajectory, an all-NaN field) is not an error:
/// it is drawn (holes, ✗ markers, "(diverged at step k)") so the figure still tells the story.
/// Errors are reserved for requests that cannot produce a figure at all.
public enum PlotError: Error, Equatable, CustomStringConvertible {
    /// A figure or panel with a zero, negative, non-finite or oversized pixel size.
    case invalidSize(width: Double, height: Double)
    /// A panel cell too small to hold axes and labels (a grid with too many panels for the size).
    case panelTooSmall(width: Double, height: Double)
    /// A domain whose bounds are non-finite, or whose width or height is zero or negative.
    case degenerateDomain(String)
    /// A scalar grid that cannot be contoured (fewer than 2×2 nodes, value count mismatch).
    case invalidGrid(String)
    /// Contour levels that cannot be generated or used (count < 1, non-increasing explicit levels).
    case invalidLevels(String)
    /// Any other argument outside its documented range.
    case invalidArgument(String)
    /// Cairo reported a failure; `operation` names the call, `message` is Cairo's text.
    case cairo(operation: String, message: String)
    /// Bytes that are not a well-formed PNG (bad signature, truncated chunk, CRC mismatch).
    case malformedPNG(String)
    /// Frames that cannot form one APNG (none given, different sizes or colour types).
    case animation(String)
    /// A file could not be read or written.
    case io(path: String, reason: String)
    /// No `gnuplot` executable was found; the gnuplot backend is skipped.
    case gnuplotNotFound(searched: String)
    /// gnuplot ran but failed (non-zero exit, or no output file).
    case gnuplotFailed(status: Int32, message: String)

    public var description: String {
        switch self {
        case .invalidSize(let w, let h):
            return "invalid figure size \(w)×\(h): width and height must be finite, > 0 and ≤ \(Int(CairoSurface.maximumSide)) px"
        case .panelTooSmall(let w, let h):
            return "panel of \(Int(w))×\(Int(h)) px is too small (minimum 40×40 px, and room for axes): enlarge the figure or use fewer panels"
        case .degenerateDomain(let what): return "degenerate domain: \(what)"
        case .invalidGrid(let what): return "invalid grid: \(what)"
        case .invalidLevels(let what): return "invalid contour levels: \(what)"
        case .invalidArgument(let what): return what
        case .cairo(let operation, let message): return "cairo: \(operation) failed: \(message)"
        case .malformedPNG(let what): return "malformed PNG: \(what)"
        case .animation(let what): return "animation: \(what)"
        case .io(let path, let reason): return "\(path): \(reason)"
        case .gnuplotNotFound(let searched):
            return "gnuplot not found (searched \(searched)); install gnuplot-nox or use the Cairo line chart"
        case .gnuplotFailed(let status, let message): return "gnuplot exited with status \(status): \(message)"
        }
    }
}
