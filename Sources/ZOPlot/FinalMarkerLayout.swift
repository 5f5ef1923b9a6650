import Foundation

/// Where a contour panel draws its runs' final-point markers so that none hides another or
/// a known minimum's ★.
///
/// Final points closer than ``overlapFactor`` × marker size (pixels) form a group; a group of
/// two or more, or one within that distance of a ★, is fanned out evenly on a circle around
/// the ★ it touches (else around the group's centroid), starting straight above, with a
/// radius at which neighbouring markers do not touch. Every other marker stays on its point.
/// The caller joins each moved marker to its true point with a thin leader line.
enum FinalMarkerLayout {
    /// Centres closer than this × the nominal marker size are treated as overlapping.
    static let overlapFactor = 1.3

    /// Display positions for markers at `points` (pixels), in the same order.
    static func positions(of points: [PlotPoint], avoiding anchors: [PlotPoint], markerSize: Double) -> [PlotPoint] {
        let near = markerSize * overlapFactor
        func distance(_ a: PlotPoint, _ b: PlotPoint) -> Double { ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot() }
        // Single-linkage groups (union-find over pairs closer than `near`).
        var parent = Array(points.indices)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        for i in points.indices {
            for j in points.indices where j > i && distance(points[i], points[j]) < near {
                parent[root(i)] = root(j)
            }
        }
        var groups: [Int: [Int]] = [:]
        for i in points.indices { groups[root(i), default: []].append(i) }
        var out = points
        for members in groups.values.map({ $0.sorted() }) {
            let anchor = anchors.first { a in members.contains { distance(points[$0], a) < near } }
            guard members.count >= 2 || anchor != nil else { continue }
            let centre = anchor ?? PlotPoint(x: members.map { points[$0].x }.reduce(0, +) / Double(members.count),
                                             y: members.map { points[$0].y }.reduce(0, +) / Double(members.count))
            let n = Double(members.count)
            // Chord between neighbours ≥ 1.5 marker sizes; never closer than 1.75 sizes to the centre.
            let radius = max(markerSize * 1.75, members.count >= 2 ? markerSize * 0.75 / sin(Double.pi / n) : 0)
            for (k, i) in members.enumerated() {
                let angle = -Double.pi / 2 + 2 * Double.pi * Double(k) / n + (members.count == 1 ? Double.pi / 4 : 0)
                out[i] = PlotPoint(x: centre.x + radius * cos(angle), y: centre.y + radius * sin(angle))
            }
        }
        return out
    }
}
