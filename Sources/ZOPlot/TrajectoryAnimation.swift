import Foundation
import ZOCore

/// An animated contour figure: trajectories grow step by step, written as APNG.
///
/// Frame f (of F) shows the first `1 + round((n − 1)·f/(F − 1))` points of every trajectory
/// (n: the longest trajectory) and "step k" in the title. The band raster is computed once
/// and reused; the legend keeps the position it has for the full paths. By default the
/// complete figure is also stored as the APNG's default image, so viewers without APNG
/// support (and `PNGReader`) show the final state.
///
/// ```swift
/// try TrajectoryAnimation(plot: plot, frameCount: 60).writeAPNG(to: url, width: 800, height: 800)
/// ```
public struct TrajectoryAnimation {
    public var plot: ContourPlot
    public var frameCount: Int
    /// Seconds per frame.
    public var frameDelay: Double
    /// Seconds the last frame stays before the loop restarts.
    public var finalDelay: Double
    /// 0 loops forever.
    public var loopCount: UInt32
    public var style: PlotStyle
    /// Store the final figure as the default image (shown by non-APNG viewers).
    public var finalFigureAsDefaultImage: Bool

    public init(plot: ContourPlot, frameCount: Int = 48, frameDelay: Double = 0.06, finalDelay: Double = 1.5,
                loopCount: UInt32 = 0, style: PlotStyle = PlotStyle(), finalFigureAsDefaultImage: Bool = true) {
        self.plot = plot
        self.frameCount = frameCount
        self.frameDelay = frameDelay
        self.finalDelay = finalDelay
        self.loopCount = loopCount
        self.style = style
        self.finalFigureAsDefaultImage = finalFigureAsDefaultImage
    }

    /// Points revealed in each frame.
    public var revealedCounts: [Int] {
        let n = plot.trajectories.map(\.points.count).max() ?? 0
        guard frameCount > 1 else { return [max(1, n)] }
        return (0..<frameCount).map { f in 1 + Int((Double(max(0, n - 1)) * Double(f) / Double(frameCount - 1)).rounded()) }
    }

    /// The APNG bytes.
    public func render(width: Int, height: Int, scale: Double = 1) throws -> Data {
        guard frameCount >= 1, frameCount <= 10_000 else {
            throw PlotError.invalidArgument("frameCount must be in 1…10000, got \(frameCount)")
        }
        guard frameDelay.isFinite, frameDelay >= 0, finalDelay.isFinite, finalDelay >= 0 else {
            throw PlotError.invalidArgument("frame delays must be finite and ≥ 0")
        }
        var animated = plot
        animated.rasterCache = BandRasterCache()
        let baseTitle = plot.title
        let longest = plot.trajectories.max { $0.points.count < $1.points.count }
        var writer = APNGWriter(loopCount: loopCount)
        if finalFigureAsDefaultImage {
            writer.defaultImage = try Figure(animated, style: style).render(width: width, height: height, scale: scale).pngData()
        }
        let counts = revealedCounts
        for (f, count) in counts.enumerated() {
            animated.revealedPointCount = count
            if let longest {
                let step = longest.step(at: min(count, longest.points.count) - 1)
                animated.title = baseTitle.isEmpty ? "step \(step)" : "\(baseTitle) — step \(step)"
            }
            let png = try Figure(animated, style: style).render(width: width, height: height, scale: scale).pngData()
            writer.addFrame(png: png, delay: f == counts.count - 1 ? finalDelay : frameDelay)
        }
        return try writer.encoded()
    }

    /// Writes the APNG atomically.
    public func writeAPNG(to url: URL, width: Int, height: Int, scale: Double = 1) throws {
        let data = try render(width: width, height: height, scale: scale)
        do {
            try AtomicFile.write(data, to: url)
        } catch let error as CoreError {
            throw PlotError.io(path: url.path, reason: error.description)
        }
    }
}
