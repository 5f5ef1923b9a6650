/// Naive twin of ``MarchingSquares/segments(grid:levels:)``: for every level, every cell,
/// tests the four edges one by one for a sign change, and pairs the crossings directly
/// (two crossings: one segment; four: cut off the corners whose class differs from the
/// cell-centre mean's). No case table, no level search. Used only by tests.
public enum MarchingSquaresReference {
    public static func segments(grid: ScalarGrid, levels: [Double]) -> [ContourSegment] {
        var out: [ContourSegment] = []
        for (k, level) in levels.enumerated() {
            for j in 0..<(grid.rows - 1) {
                for i in 0..<(grid.columns - 1) {
                    // Corners in the order v00, v10, v11, v01 (counter-clockwise).
                    let corners = [grid[i, j], grid[i + 1, j], grid[i + 1, j + 1], grid[i, j + 1]]
                    guard corners.allSatisfy(\.isFinite) else { continue }
                    let above = corners.map { $0 >= level }
                    // Edge e joins corner e and corner (e + 1) % 4: bottom, right, top, left.
                    let crossed = (0..<4).filter { above[$0] != above[($0 + 1) % 4] }
                    if crossed.count == 2 {
                        out.append(MarchingSquares.segment(grid, i, j, level: level, levelIndex: k, crossed[0], crossed[1]))
                    } else if crossed.count == 4 {
                        let centreAbove = (corners[0] + corners[1] + corners[3] + corners[2]) * 0.25 >= level
                        // Corner c touches edges c (leaving it) and (c + 3) % 4 (arriving at it).
                        for c in 0..<4 where above[c] != centreAbove {
                            out.append(MarchingSquares.segment(grid, i, j, level: level, levelIndex: k, c, (c + 3) % 4))
                        }
                    }
                }
            }
        }
        return out
    }
}
