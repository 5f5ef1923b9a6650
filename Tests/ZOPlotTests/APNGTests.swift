import Foundation
import Testing
@testable import ZOPlot

@Suite("CRC-32, PNG chunks, APNG writer, animations")
struct APNGTests {
    @Test func crc32CheckValues() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32.checksum(Array("IEND".utf8)) == 0xAE42_6082)  // every PNG ends with this CRC
        // Incremental update equals one pass.
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        #expect(CRC32.update(CRC32.checksum(bytes[..<400]), bytes[400...]) == CRC32.checksum(bytes))
    }

    func smallPNG(_ color: PlotColor, size: Int = 64) throws -> Data {
        let chart = LineChart(series: [LineSeries(label: "a", values: [3, 2, 1], color: color)])
        return try Figure(chart).render(width: size * 2, height: size * 2).pngData()
    }

    @Test func cairoPNGsParseAndReencodeIdentically() throws {
        let png = try smallPNG(.black)
        let chunks = try PNGChunks.parse(png)
        #expect(chunks.first?.type == "IHDR" && chunks.last?.type == "IEND")
        #expect(chunks.contains { $0.type == "IDAT" })
        #expect(PNGChunks.encode(chunks) == png)
        // A flipped bit is caught by the CRC; a cut file by the length check.
        var corrupt = [UInt8](png)
        corrupt[40] ^= 0x10
        #expect(throws: PlotError.self) { try PNGChunks.parse(Data(corrupt)) }
        #expect(throws: PlotError.self) { try PNGChunks.parse(png.prefix(png.count - 20)) }
        #expect(throws: PlotError.self) { try PNGChunks.parse(Data("not a png".utf8)) }
    }

    @Test func writerProducesAValidAPNG() throws {
        let frames = try [PlotColor(hex: 0xFF0000), PlotColor(hex: 0x00AA00), PlotColor(hex: 0x0000FF)].map { try smallPNG($0) }
        var writer = APNGWriter(loopCount: 2)
        for (k, f) in frames.enumerated() { writer.addFrame(png: f, delay: 0.1 * Double(k + 1)) }
        let apng = try writer.encoded()
        let s = try APNGStructure(apng)
        #expect(s.frameCount == 3 && s.declaredFrameCount == 3 && s.loopCount == 2)
        #expect(s.defaultImageIsFirstFrame)
        #expect(s.delays == [0.1, 0.2, 0.3])
        // Chunk order: IHDR, acTL, (Cairo's bKGD), fcTL, IDAT…, then (fcTL, fdAT…) per frame, IEND.
        #expect(Array(s.chunkTypes.prefix(2)) == ["IHDR", "acTL"])
        #expect(s.chunkTypes.firstIndex(of: "fcTL")! + 1 == s.chunkTypes.firstIndex(of: "IDAT")!)
        #expect(s.chunkTypes.last == "IEND")
        #expect(s.chunkTypes.filter { $0 == "fcTL" }.count == 3)
        #expect(s.chunkTypes.firstIndex(of: "fdAT")! > s.chunkTypes.lastIndex(of: "IDAT")!)
        // Every CRC verifies (parse checks them) and Cairo decodes the default image = frame 0.
        let decoded = try PNGReader.decode(apng)
        let first = try PNGReader.decode(frames[0])
        #expect(decoded.pixels == first.pixels)
        // Each frame, rebuilt from its fcTL's IDAT/fdAT payloads, decodes to the input frame.
        let rebuilt = try Self.frames(of: apng)
        #expect(rebuilt.count == 3)
        for (k, f) in rebuilt.enumerated() {
            #expect(try PNGReader.decode(f).pixels == PNGReader.decode(frames[k]).pixels, "frame \(k)")
        }
    }

    /// Standalone PNGs of an APNG's animation frames (IHDR + the frame's data as IDAT + IEND).
    static func frames(of apng: Data) throws -> [Data] {
        let chunks = try PNGChunks.parse(apng)
        var out: [[PNGChunk]] = []
        for c in chunks {
            switch c.type {
            case "fcTL": out.append([chunks[0]])
            case "IDAT" where !out.isEmpty: out[out.count - 1].append(c)
            case "fdAT": out[out.count - 1].append(PNGChunk(type: "IDAT", data: Array(c.data.dropFirst(4))))
            default: break
            }
        }
        return out.map { PNGChunks.encode($0 + [PNGChunk(type: "IEND", data: [])]) }
    }

    @Test func separateDefaultImage() throws {
        let frames = try [PlotColor(hex: 0xFF0000), PlotColor(hex: 0x0000FF)].map { try smallPNG($0) }
        let still = try smallPNG(PlotColor(hex: 0x00AA00))
        var writer = APNGWriter(defaultImage: still)
        for f in frames { writer.addFrame(png: f, delay: 0.05) }
        let apng = try writer.encoded()
        let s = try APNGStructure(apng)
        #expect(!s.defaultImageIsFirstFrame && s.frameCount == 2)
        #expect(s.chunkTypes.firstIndex(of: "IDAT")! < s.chunkTypes.firstIndex(of: "fcTL")!)
        #expect(try PNGReader.decode(apng).pixels == PNGReader.decode(still).pixels)
        let rebuilt = try Self.frames(of: apng)
        #expect(rebuilt.count == 2)
        for (k, f) in rebuilt.enumerated() { #expect(try PNGReader.decode(f).pixels == PNGReader.decode(frames[k]).pixels) }
    }

    @Test func writerRejectsBadFrames() throws {
        #expect(throws: PlotError.self) { try APNGWriter().encoded() }
        var mixed = APNGWriter()
        mixed.addFrame(png: try smallPNG(.black, size: 64), delay: 0.1)
        mixed.addFrame(png: try smallPNG(.black, size: 70), delay: 0.1)
        #expect(throws: PlotError.animation("frame 1 header differs from the first image's (size or colour type)")) { try mixed.encoded() }
        var garbage = APNGWriter()
        garbage.addFrame(png: Data([1, 2, 3]), delay: 0.1)
        #expect(throws: PlotError.self) { try garbage.encoded() }
        // A plain PNG is not an APNG.
        #expect(throws: PlotError.self) { try APNGStructure(try smallPNG(.black)) }
    }

    @Test func trajectoryAnimation() throws {
        let domain = try PlotDomain(x: -1...1, y: -1...1)
        var plot = try ContourPlot(field: { x, y in x * x + 3 * y * y }, domain: domain, resolution: 40)
        plot.trajectories = [
            Trajectory(label: "spiral", points: (0..<40).map { k in
                let r = 0.9 * pow(0.93, Double(k)), a = Double(k) * 0.5
                return PlotPoint(r * cos(a), r * sin(a))
            }, color: probeMagenta),
            Trajectory(label: "diverges", points: (0..<30).map { k in k < 20 ? PlotPoint(-0.5 + 0.02 * Double(k), -0.5) : PlotPoint(.nan, .nan) }),
        ]
        plot.title = "Spiral"
        let animation = TrajectoryAnimation(plot: plot, frameCount: 6, frameDelay: 0.05, finalDelay: 1)
        #expect(animation.revealedCounts == [1, 9, 17, 24, 32, 40])
        let apng = try animation.render(width: 240, height: 200)
        saveSample(data: apng, "sample-animation.apng.png")
        for (k, f) in try Self.frames(of: apng).enumerated() { saveSample(data: f, "sample-animation-frame\(k).png") }
        let s = try APNGStructure(apng)
        #expect(s.frameCount == 6 && s.width == 240 && s.height == 200)
        #expect(s.delays.last == 1 && s.delays.first == 0.05)
        #expect(!s.defaultImageIsFirstFrame)
        // The default image is the complete figure: the whole spiral is there.
        let still = try PNGReader.decode(apng)
        let full = try Figure(plot).render(width: 240, height: 200)
        let area = try #require(full.plotAreas.first)
        // Point 24 is revealed only from the fifth frame on (counts 1, 9, 17, 24, 32, 40).
        let q = area.pixel(for: plot.trajectories[0].points[24])
        let c = still.rgba(x: Int(q.x), y: Int(q.y))
        #expect(isProbeMagenta(c))
        #expect(throws: PlotError.self) { try TrajectoryAnimation(plot: plot, frameCount: 0).render(width: 100, height: 100) }
        #expect(throws: PlotError.self) { try TrajectoryAnimation(plot: plot, frameCount: 2).render(width: 0, height: 100) }
    }
}
