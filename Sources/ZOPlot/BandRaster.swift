import ZOCore

/// Filled contour bands as a raster: each device pixel of the plot area takes the colour of
/// the band its bilinearly interpolated field value falls in.
///
/// Band b (0…n for n levels) holds values v with levels[b−1] ≤ v < levels[b]; it is coloured
/// `colorMap(b / n)`. This draws exactly the filled regions bounded by the marching-squares
/// iso-lines (the bilinear interpolant restricted to a cell edge is the linear interpolation
/// the iso-lines use), at pixel resolution, in O(pixels · log levels) — cheaper and more robust
/// than building band polygons. Pixels in a cell with a non-finite node, or outside the
/// grid's domain, stay transparent (holes).
enum BandRaster {
    /// Opaque premultiplied ARGB32 words of the band colours.
    static func bandWords(levelCount n: Int, colorMap: ColorMap) -> [UInt32] {
        (0...max(0, n)).map { b in
            let c = colorMap.color(at: n == 0 ? 0.5 : Double(b) / Double(n)).rgba8
            return 0xFF00_0000 | UInt32(c.r) << 16 | UInt32(c.g) << 8 | UInt32(c.b)
        }
    }

    /// Renders a `width × height` (device pixels) raster of the bands for the data window
    /// x ∈ [x.lower, x.upper], y ∈ [y.lower, y.upper] (linear axes).
    static func render(grid: ScalarGrid, levels: [Double], colorMap: ColorMap, x: Axis, y: Axis,
                       width: Int, height: Int) throws -> CairoSurface {
        let surface = try CairoSurface(width: width, height: height, opaque: false)
        let words = bandWords(levelCount: levels.count, colorMap: colorMap)
        let nx = grid.columns, ny = grid.rows
        let d = grid.domain
        // Per column: grid cell index and fraction (or −1 outside the grid).
        var cellX = [Int](repeating: -1, count: width), fracX = [Double](repeating: 0, count: width)
        for px in 0..<width {
            let xv = x.lower + (Double(px) + 0.5) / Double(width) * (x.upper - x.lower)
            let g = (xv - d.xMin) / d.width * Double(nx - 1)
            if g >= 0 && g <= Double(nx - 1) {
                let i = min(nx - 2, Int(g))
                cellX[px] = i
                fracX[px] = g - Double(i)
            }
        }
        try surface.withPixels { pixels, wordsPerRow in
            grid.values.withUnsafeBufferPointer { v in
                levels.withUnsafeBufferPointer { lv in
                    Parallel.forChunks(count: height, minimumChunk: 32) { rows in
                        for py in rows {
                            let row = pixels + py * wordsPerRow
                            let yv = y.upper - (Double(py) + 0.5) / Double(height) * (y.upper - y.lower)
                            let g = (yv - d.yMin) / d.height * Double(ny - 1)
                            guard g >= 0 && g <= Double(ny - 1) else {
                                for px in 0..<width { row[px] = 0 }
                                continue
                            }
                            let j = min(ny - 2, Int(g))
                            let ty = g - Double(j)
                            let base0 = j * nx, base1 = (j + 1) * nx
                            for px in 0..<width {
                                let i = cellX[px]
                                guard i >= 0 else { row[px] = 0; continue }
                                let tx = fracX[px]
                                let v00 = v[base0 + i], v10 = v[base0 + i + 1], v01 = v[base1 + i], v11 = v[base1 + i + 1]
                                let value = (v00 * (1 - tx) + v10 * tx) * (1 - ty) + (v01 * (1 - tx) + v11 * tx) * ty
                                guard value.isFinite, v00.isFinite, v10.isFinite, v01.isFinite, v11.isFinite else {
                                    row[px] = 0
                                    continue
                                }
                                // band = number of levels ≤ value
                                var lo = 0, hi = lv.count
                                while lo < hi {
                                    let mid = (lo + hi) >> 1
                                    if lv[mid] <= value { lo = mid + 1 } else { hi = mid }
                                }
                                row[px] = words[lo]
                            }
                        }
                    }
                }
            }
        }
        return surface
    }
}
