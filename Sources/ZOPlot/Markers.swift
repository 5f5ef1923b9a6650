import Foundation

/// Point markers. Filled shapes take a fill and an edge colour; ``cross`` (✗) and ``plus``
/// are stroked only.
public enum MarkerShape: String, CaseIterable, Sendable {
    case circle, square, triangleUp, triangleDown, diamond, pentagon, hexagon, star, cross, plus

    /// Whether the shape has an interior to fill.
    public var isFilled: Bool { self != .cross && self != .plus }

    /// Outline vertices (pixels) of a filled shape of nominal diameter `size` centred at `c`;
    /// the two strokes' end points for cross and plus. Shapes are scaled to equal visual area
    /// roughly (a square looks bigger than a circle of the same width).
    func outline(at c: PlotPoint, size: Double) -> [PlotPoint] {
        let r = size / 2
        func polygon(_ n: Int, radius: Double, rotation: Double) -> [PlotPoint] {
            (0..<n).map { k in
                let a = rotation + 2 * Double.pi * Double(k) / Double(n)
                return PlotPoint(x: c.x + radius * cos(a), y: c.y + radius * sin(a))
            }
        }
        switch self {
        case .circle: return []
        case .square: return polygon(4, radius: r * 1.25, rotation: .pi / 4)
        case .diamond: return polygon(4, radius: r * 1.3, rotation: -.pi / 2)
        case .triangleUp: return polygon(3, radius: r * 1.35, rotation: -.pi / 2)
        case .triangleDown: return polygon(3, radius: r * 1.35, rotation: .pi / 2)
        case .pentagon: return polygon(5, radius: r * 1.15, rotation: -.pi / 2)
        case .hexagon: return polygon(6, radius: r * 1.1, rotation: 0)
        case .star:
            let outer = polygon(5, radius: r * 1.5, rotation: -.pi / 2)
            let inner = polygon(5, radius: r * 0.62, rotation: -.pi / 2 + .pi / 5)
            return (0..<5).flatMap { [outer[$0], inner[$0]] }
        case .cross:
            let d = r * 0.9
            return [PlotPoint(x: c.x - d, y: c.y - d), PlotPoint(x: c.x + d, y: c.y + d),
                    PlotPoint(x: c.x - d, y: c.y + d), PlotPoint(x: c.x + d, y: c.y - d)]
        case .plus:
            let d = r * 1.1
            return [PlotPoint(x: c.x - d, y: c.y), PlotPoint(x: c.x + d, y: c.y),
                    PlotPoint(x: c.x, y: c.y - d), PlotPoint(x: c.x, y: c.y + d)]
        }
    }
}
