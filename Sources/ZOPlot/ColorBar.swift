import Foundation

/// The colour key of filled contours: one block per band, labels at (a readable subset of)
/// the levels between blocks, and a rotated title.
struct ColorBar {
    var levels: [Double]
    var colorMap: ColorMap
    var label: String
    var logarithmic: Bool

    static let barWidth = 14.0

    /// Labelled level indices: powers of ten first on log bars, thinned so that labels are at
    /// least one text line apart on a bar `height` px high.
    func labelledIndices(height: Double, style: PlotStyle) -> [Int] {
        let n = levels.count
        guard n > 0, height > 0 else { return [] }
        let lineHeight = style.tickFont.size * 1.25
        let spacing = height / Double(n + 1)
        var candidates = Array(0..<n)
        if logarithmic {
            let decades = candidates.filter { k in
                let e = log10(levels[k])
                return abs(e - e.rounded()) < 1e-9
            }
            if decades.count >= 2 { candidates = decades }
        }
        guard candidates.count > 1 else { return candidates }
        let minGap = zip(candidates, candidates.dropFirst()).map { $1 - $0 }.min() ?? 1
        let every = max(1, Int((lineHeight / (spacing * Double(minGap))).rounded(.up)))
        return candidates.enumerated().filter { $0.offset % every == 0 }.map(\.element)
    }

    func labels() -> [String] {
        if logarithmic {
            return levels.map { v in
                let e = log10(v)
                return abs(e - e.rounded()) < 1e-9 ? NumberFormat.power(Int(e.rounded())) : NumberFormat.compact(v, significant: 2)
            }
        }
        guard levels.count >= 2 else { return levels.map { NumberFormat.compact($0) } }
        return Ticks.labels(for: levels, step: levels[1] - levels[0])
    }

    /// Width the bar, its labels and its title take.
    func width(canvas: Canvas, style: PlotStyle) -> Double {
        let labelWidth = labels().map { canvas.measure($0, font: style.tickFont).width }.max() ?? 0
        let title = label.isEmpty ? 0 : canvas.measure("Xy", font: style.axisLabelFont).height + 6
        return style.padding * 1.5 + Self.barWidth + style.tickLength + 3 + labelWidth + title
    }

    /// Draws the bar with its left edge `style.padding · 1.5` right of `x`, spanning `top…bottom`.
    func draw(on canvas: Canvas, x: Double, top: Double, bottom: Double, style: PlotStyle) {
        let n = levels.count
        guard n > 0, bottom > top else { return }
        let bar = PlotRect(x: x + style.padding * 1.5, y: top, width: Self.barWidth, height: bottom - top)
        let block = bar.height / Double(n + 1)
        for b in 0...n {
            let c = colorMap.color(at: Double(b) / Double(n))
            canvas.fill(PlotRect(x: bar.minX, y: bar.maxY - Double(b + 1) * block, width: bar.width, height: block + 0.5), color: c)
        }
        canvas.stroke(bar, color: style.frameColor, lineWidth: style.frameWidth * 0.8)
        let text = labels()
        var widest = 0.0
        for k in labelledIndices(height: bar.height, style: style) {
            let y = bar.maxY - Double(k + 1) * block
            canvas.line(from: PlotPoint(x: bar.maxX, y: y), to: PlotPoint(x: bar.maxX + style.tickLength, y: y),
                        color: style.frameColor, lineWidth: style.frameWidth * 0.8)
            canvas.text(text[k], at: PlotPoint(x: bar.maxX + style.tickLength + 3, y: y), font: style.tickFont,
                        color: style.textColor, anchor: .left)
            widest = max(widest, canvas.measure(text[k], font: style.tickFont).width)
        }
        if !label.isEmpty {
            canvas.text(label, at: PlotPoint(x: bar.maxX + style.tickLength + 3 + widest + 6, y: bar.midY),
                        font: style.axisLabelFont, color: style.textColor, anchor: TextAnchor(.center, .top), rotation: -.pi / 2)
        }
    }
}
