/// The run settings a figure carries in its subtitle (optimizer, η, ε, steps, seed, extras),
/// so that a figure can be matched to the command that reproduces it.
public struct PlotSettings: Sendable, Hashable {
    public var optimizer: String?
    public var learningRate: Double?
    public var epsilon: Double?
    public var steps: Int?
    public var seed: UInt64?
    /// Further "name = value" items, printed in order after the standard ones.
    public var extra: [String]

    public init(optimizer: String? = nil, learningRate: Double? = nil, epsilon: Double? = nil,
                steps: Int? = nil, seed: UInt64? = nil, extra: [String] = []) {
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.epsilon = epsilon
        self.steps = steps
        self.seed = seed
        self.extra = extra
    }

    /// The items, e.g. ["MeZO", "η = 10⁻³", "ε = 10⁻³", "500 steps", "seed 0"].
    public var items: [String] {
        var out: [String] = []
        if let optimizer { out.append(optimizer) }
        if let learningRate { out.append("η = " + NumberFormat.compact(learningRate)) }
        if let epsilon { out.append("ε = " + NumberFormat.compact(epsilon)) }
        if let steps { out.append("\(steps) steps") }
        if let seed { out.append("seed \(seed)") }
        return out + extra
    }

    /// The items joined by " · " (the subtitle line; wrapped at the separators when too wide).
    public var text: String { items.joined(separator: TitleBlock.separator) }
}

/// A panel's title and subtitle, wrapped to the panel width (subtitle at its " · "
/// separators first, then at spaces) and shrunk to at most 70 % size before wrapping.
struct TitleBlock {
    static let separator = " · "

    var title: String
    var subtitle: String

    struct Line { var text: String; var font: FontSpec; var color: PlotColor; var height: Double }

    func lines(width: Double, canvas: Canvas, style: PlotStyle) -> [Line] {
        var out: [Line] = []
        if !title.isEmpty {
            for t in Self.wrap(title, width: width, font: style.titleFont, canvas: canvas) {
                out.append(Line(text: t.0, font: t.1, color: style.textColor, height: t.1.size * 1.3))
            }
        }
        if !subtitle.isEmpty {
            for t in Self.wrap(subtitle, width: width, font: style.subtitleFont, canvas: canvas) {
                out.append(Line(text: t.0, font: t.1, color: style.subtitleColor, height: t.1.size * 1.35))
            }
        }
        return out
    }

    /// Total height of the block (plus a gap below when not empty).
    func height(width: Double, canvas: Canvas, style: PlotStyle) -> Double {
        let ls = lines(width: width, canvas: canvas, style: style)
        return ls.isEmpty ? 0 : ls.reduce(0) { $0 + $1.height } + style.padding / 2
    }

    /// Draws the block centred at the top of `frame`; returns the height used.
    @discardableResult
    func draw(on canvas: Canvas, frame: PlotRect, style: PlotStyle) -> Double {
        var y = frame.minY
        for line in lines(width: frame.width, canvas: canvas, style: style) {
            canvas.text(line.text, at: PlotPoint(x: frame.midX, y: y), font: line.font, color: line.color, anchor: .topCenter)
            y += line.height
        }
        return y == frame.minY ? 0 : y - frame.minY + style.padding / 2
    }

    /// Greedy wrap into lines that fit `width`, preferring breaks at " · ".
    static func wrap(_ text: String, width: Double, font: FontSpec, canvas: Canvas) -> [(String, FontSpec)] {
        var f = font
        while canvas.measure(text, font: f).width > width && f.size > font.size * 0.7 {
            f.size -= 0.5
        }
        if canvas.measure(text, font: f).width <= width { return [(text, f)] }
        let pieces = text.components(separatedBy: separator)
        var tokens: [(String, String)] = []  // (token, separator before it)
        for (i, piece) in pieces.enumerated() {
            let words = piece.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            for (k, w) in words.enumerated() {
                tokens.append((w, k == 0 ? (i == 0 ? "" : separator) : " "))
            }
        }
        var lines: [String] = []
        var current = ""
        for (token, sep) in tokens {
            let candidate = current.isEmpty ? token : current + sep + token
            if current.isEmpty || canvas.measure(candidate, font: f).width <= width {
                current = candidate
            } else {
                lines.append(current)
                current = token
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.map { ($0, f) }
    }
}
