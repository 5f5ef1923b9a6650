import ZOPlot

/// How the gallery tells runs apart: colour, marker and dash pattern, each picked by the
/// optimizer's position in the preset, so a run looks the same in every panel, legend,
/// animation and gnuplot chart of a figure.
///
/// The palette is ZOPlot's categorical one reordered so that the first four runs (most
/// figures have four) take hues far apart — red, blue, near-black, magenta — with orange,
/// which is hard to tell from red, fifth; three more hues extend it to 12 runs (used only on
/// loss charts, whose white background they read on). Dash patterns cycle solid, dashed,
/// dotted, dash-dotted — the first four runs all differ — a third channel, so two runs whose
/// curves coincide both stay visible (the broken one on top lets the other show through).
enum RunStyle {
    static let palette = Palette([
        0xD62728, 0x1F77B4, 0x222222, 0xD6219C, 0xFF7F0E, 0x17BECF, 0x9467BD, 0x8C564B, 0x7F7F7F,
        0x2CA02C, 0x393B79, 0xA6761D,
    ].map { PlotColor(hex: $0) })

    static let dashes: [[Double]] = [[], [7, 3.5], [1.5, 3.5], [9, 3, 1.5, 3]]

    /// The figure style: ZOPlot's paper style with ``palette``.
    static let figureStyle: PlotStyle = {
        var s = PlotStyle()
        s.palette = palette
        return s
    }()

    static func color(_ optimizerIndex: Int) -> PlotColor { palette[optimizerIndex] }
    static func marker(_ optimizerIndex: Int) -> MarkerShape { figureStyle.marker(optimizerIndex) }
    static func dash(_ optimizerIndex: Int) -> [Double] { dashes[optimizerIndex % dashes.count] }
}
