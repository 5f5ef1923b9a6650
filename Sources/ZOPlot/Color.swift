/// An sRGB colour with straight (not premultiplied) alpha, components in [0, 1].
public struct PlotColor: Hashable, Sendable, CustomStringConvertible {
    public var red: Double
    public var green: Double
    public var blue: Double
    public var alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = Self.unit(red)
        self.green = Self.unit(green)
        self.blue = Self.unit(blue)
        self.alpha = Self.unit(alpha)
    }

    /// `PlotColor(hex: 0xD62728)`.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(red: Double((hex >> 16) & 0xFF) / 255, green: Double((hex >> 8) & 0xFF) / 255,
                  blue: Double(hex & 0xFF) / 255, alpha: alpha)
    }

    /// The same colour with another alpha.
    public func withAlpha(_ a: Double) -> PlotColor { PlotColor(red: red, green: green, blue: blue, alpha: a) }

    /// Linear mix in sRGB: `t = 0` gives `self`, `t = 1` gives `other`.
    public func mixed(with other: PlotColor, _ t: Double) -> PlotColor {
        PlotColor(red: red + (other.red - red) * t, green: green + (other.green - green) * t,
                  blue: blue + (other.blue - blue) * t, alpha: alpha + (other.alpha - alpha) * t)
    }

    /// 8-bit components (rounded), for comparisons against decoded pixels.
    public var rgba8: (r: UInt8, g: UInt8, b: UInt8, a: UInt8) {
        (Self.byte(red), Self.byte(green), Self.byte(blue), Self.byte(alpha))
    }

    /// Relative luminance (Rec. 709 weights on sRGB values; a contrast heuristic, not colorimetry).
    public var luminance: Double { 0.2126 * red + 0.7152 * green + 0.0722 * blue }

    public var description: String {
        let c = rgba8
        return "#" + [c.r, c.g, c.b].map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    public static let black = PlotColor(red: 0, green: 0, blue: 0)
    public static let white = PlotColor(red: 1, green: 1, blue: 1)
    public static let clear = PlotColor(red: 0, green: 0, blue: 0, alpha: 0)
    public static let darkGray = PlotColor(hex: 0x333333)
    public static let gray = PlotColor(hex: 0x777777)
    public static let lightGray = PlotColor(hex: 0xD9D9D9)

    static func unit(_ v: Double) -> Double { v.isNaN ? 0 : min(1, max(0, v)) }
    static func byte(_ v: Double) -> UInt8 { UInt8((unit(v) * 255).rounded()) }
}

/// Categorical colours for series drawn on one figure.
///
/// The default takes the Tableau-10 hues minus its green and olive (they vanish on viridis'
/// green bands) plus magenta and near-black; red first, since it reads on viridis' purple low
/// region and its yellow high region alike. Trajectories are drawn with a white halo so every
/// hue stays visible on any band colour.
public struct Palette: Sendable {
    public var colors: [PlotColor]

    public init(_ colors: [PlotColor]) {
        precondition(!colors.isEmpty, "a palette needs at least one colour")
        self.colors = colors
    }

    /// Colour `i`, cycling.
    public subscript(i: Int) -> PlotColor { colors[((i % colors.count) + colors.count) % colors.count] }

    public static let categorical = Palette([
        0xD62728, 0x1F77B4, 0xFF7F0E, 0xD6219C, 0x222222, 0x17BECF, 0x9467BD, 0x8C564B, 0x7F7F7F,
    ].map { PlotColor(hex: $0) })
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
