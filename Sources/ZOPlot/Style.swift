/// A font request for Cairo's toy text API (family resolved by fontconfig).
public struct FontSpec: Hashable, Sendable {
    public var family: String
    public var size: Double
    public var bold: Bool
    public var italic: Bool

    public init(family: String = PlotStyle.defaultFontFamily, size: Double, bold: Bool = false, italic: Bool = false) {
        self.family = family
        self.size = size
        self.bold = bold
        self.italic = italic
    }
}

extension FontSpec {
    /// Characters drawn from another face of the same weight because this family's glyph is
    /// illegible at figure sizes. DejaVu Sans draws ‖ (U+2016) and ∥ (U+2225) as two strokes
    /// 0.083 em wide only 0.078 em apart — under a pixel at 11–13 px — so greyscale
    /// antialiasing merges them into one grey bar (worst in rotated axis labels, which are not
    /// hinted). DejaVu Sans Mono's ‖ has a 0.155 em gap (≈ 2 px at 12 px) and the same style.
    public static let glyphFallbacks: [String: [Character: String]] = [
        "DejaVu Sans": ["‖": "DejaVu Sans Mono", "∥": "DejaVu Sans Mono"],
    ]

    /// `text` split into runs that share a face: (substring, family to draw it in).
    func runs(of text: String) -> [(text: String, family: String)] {
        guard let fallbacks = Self.glyphFallbacks[family], text.contains(where: { fallbacks[$0] != nil }) else {
            return [(text, family)]
        }
        var out: [(text: String, family: String)] = []
        for ch in text {
            let f = fallbacks[ch] ?? family
            if let last = out.last, last.family == f {
                out[out.count - 1].text.append(ch)
            } else {
                out.append((String(ch), f))
            }
        }
        return out
    }
}

/// Where a text's anchor point sits on the text.
public struct TextAnchor: Hashable, Sendable {
    public enum Horizontal: Sendable { case left, center, right }
    /// `top` / `bottom`: the font's ascent / descent line; `middle`: half the cap height
    /// above the baseline (centres digits and capitals visually).
    public enum Vertical: Sendable { case top, middle, baseline, bottom }
    public var horizontal: Horizontal
    public var vertical: Vertical

    public init(_ horizontal: Horizontal, _ vertical: Vertical) {
        self.horizontal = horizontal
        self.vertical = vertical
    }

    public static let topLeft = TextAnchor(.left, .top)
    public static let topCenter = TextAnchor(.center, .top)
    public static let center = TextAnchor(.center, .middle)
    public static let left = TextAnchor(.left, .middle)
    public static let right = TextAnchor(.right, .middle)
}

/// Fonts, sizes and colours shared by all panels of a figure. `PlotStyle()` is the paper
/// style: DejaVu Sans, 15 px bold titles, 11 px ticks, thin dark frames, outward ticks.
public struct PlotStyle: Sendable {
    public static let defaultFontFamily = "DejaVu Sans"

    public var titleFont = FontSpec(size: 15, bold: true)
    public var subtitleFont = FontSpec(size: 11)
    public var axisLabelFont = FontSpec(size: 12)
    public var tickFont = FontSpec(size: 11)
    public var legendFont = FontSpec(size: 11)
    public var figureTitleFont = FontSpec(size: 18, bold: true)

    public var background = PlotColor.white
    public var textColor = PlotColor(hex: 0x222222)
    public var subtitleColor = PlotColor(hex: 0x555555)
    public var frameColor = PlotColor(hex: 0x222222)
    public var gridColor = PlotColor(hex: 0xE3E3E3)
    /// Colour of holes (non-finite field values) under their hatching.
    public var holeColor = PlotColor(hex: 0xEDEDED)

    public var frameWidth = 1.0
    public var tickLength = 5.0
    public var minorTickLength = 3.0
    public var lineWidth = 2.0
    /// White outline drawn under trajectory lines so they read on any band colour.
    public var haloWidth = 2.0
    public var markerSize = 8.0
    /// Space between elements (title, axes, colour bar, legend), in pixels.
    public var padding = 8.0

    public var palette = Palette.categorical
    public var markers: [MarkerShape] = [.circle, .square, .triangleUp, .diamond, .triangleDown, .pentagon, .hexagon, .plus]

    public init() {}

    /// Marker `i`, cycling.
    public func marker(_ i: Int) -> MarkerShape { markers[((i % markers.count) + markers.count) % markers.count] }
}
