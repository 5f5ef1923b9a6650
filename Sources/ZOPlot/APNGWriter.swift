import Foundation

/// Assembles an animated PNG (APNG 1.0) from PNG frames, without re-compressing them.
///
/// Each frame arrives as a complete PNG (Cairo's encoder). The writer keeps the first image's
/// IHDR, adds `acTL` (frame count, plays), and for every frame an `fcTL` (size, offset 0,
/// delay, dispose none, blend source) followed by its image data: as `IDAT` for a frame that
/// is also the default image, otherwise as `fdAT` (sequence number + the IDAT payload).
/// `fcTL` and `fdAT` share one sequence counter from 0. CRCs are computed by ``CRC32``.
///
/// With ``defaultImage`` set, decoders without APNG support (and Cairo's reader) show that
/// image and it is not part of the animation; otherwise they show the first frame.
public struct APNGWriter {
    public struct Frame {
        public var png: Data
        /// Display time in seconds (stored as milliseconds, ≤ 65.535 s).
        public var delay: Double
    }

    public var frames: [Frame] = []
    /// 0 plays forever.
    public var loopCount: UInt32
    public var defaultImage: Data?

    public init(loopCount: UInt32 = 0, defaultImage: Data? = nil) {
        self.loopCount = loopCount
        self.defaultImage = defaultImage
    }

    public mutating func addFrame(png: Data, delay: Double) {
        frames.append(Frame(png: png, delay: delay))
    }

    /// The APNG bytes. Throws ``PlotError/animation(_:)`` without frames or when the images'
    /// headers (size, bit depth, colour type) differ, ``PlotError/malformedPNG(_:)`` for a bad frame.
    public func encoded() throws -> Data {
        guard !frames.isEmpty else { throw PlotError.animation("no frames to write") }
        let parsed = try frames.map { try PNGChunks.parse($0.png) }
        let defaultChunks = try defaultImage.map { try PNGChunks.parse($0) }
        let header = (defaultChunks ?? parsed[0])[0]
        for (k, chunks) in parsed.enumerated() where chunks[0] != header {
            throw PlotError.animation("frame \(k) header differs from the first image's (size or colour type)")
        }
        let (width, height) = try PNGChunks.size(ofHeader: header)
        func imageData(_ chunks: [PNGChunk]) throws -> [[UInt8]] {
            let idat = chunks.filter { $0.type == "IDAT" }.map(\.data)
            guard !idat.isEmpty else { throw PlotError.malformedPNG("image without IDAT") }
            return idat
        }

        var out: [PNGChunk] = [header]
        var actl: [UInt8] = []
        PNGChunks.appendUInt32(&actl, UInt32(frames.count))
        PNGChunks.appendUInt32(&actl, loopCount)
        out.append(PNGChunk(type: "acTL", data: actl))
        // Ancillary chunks of the default image that precede its data (e.g. sRGB, pHYs).
        let first = defaultChunks ?? parsed[0]
        out += first.dropFirst().prefix { $0.type != "IDAT" }.filter { $0.type != "IEND" }

        var sequence: UInt32 = 0
        func fcTL(delay: Double) -> PNGChunk {
            var d: [UInt8] = []
            PNGChunks.appendUInt32(&d, sequence); sequence += 1
            PNGChunks.appendUInt32(&d, UInt32(width))
            PNGChunks.appendUInt32(&d, UInt32(height))
            PNGChunks.appendUInt32(&d, 0)  // x offset
            PNGChunks.appendUInt32(&d, 0)  // y offset
            let ms = delay.isFinite ? min(65535, max(0, (delay * 1000).rounded())) : 0
            PNGChunks.appendUInt16(&d, UInt16(ms))
            PNGChunks.appendUInt16(&d, 1000)
            d += [0, 0]  // dispose_op NONE, blend_op SOURCE
            return PNGChunk(type: "fcTL", data: d)
        }

        if let defaultChunks {
            out += try imageData(defaultChunks).map { PNGChunk(type: "IDAT", data: $0) }
        }
        for (k, frame) in frames.enumerated() {
            out.append(fcTL(delay: frame.delay))
            let data = try imageData(parsed[k])
            if k == 0 && defaultChunks == nil {
                out += data.map { PNGChunk(type: "IDAT", data: $0) }
            } else {
                for payload in data {
                    var d: [UInt8] = []
                    PNGChunks.appendUInt32(&d, sequence); sequence += 1
                    out.append(PNGChunk(type: "fdAT", data: d + payload))
                }
            }
        }
        out.append(PNGChunk(type: "IEND", data: []))
        return PNGChunks.encode(out)
    }
}

/// The animation structure of an APNG, as read back by ``APNGStructure/init(_:)``.
public struct APNGStructure: Sendable {
    public var width: Int
    public var height: Int
    /// From acTL.
    public var declaredFrameCount: Int
    public var loopCount: UInt32
    /// fcTL chunks found.
    public var frameCount: Int
    /// Delays of the frames, in seconds.
    public var delays: [Double]
    /// Whether the default (IDAT) image is the first animation frame.
    public var defaultImageIsFirstFrame: Bool
    /// Chunk types in file order.
    public var chunkTypes: [String]

    /// Parses (CRCs checked) and validates the APNG rules ZOPlot relies on: acTL before the
    /// first IDAT, frame counts agree, sequence numbers run 0, 1, 2, … over fcTL and fdAT,
    /// every fcTL is followed by image data, fcTL sizes fit the canvas.
    public init(_ data: Data) throws {
        let chunks = try PNGChunks.parse(data)
        (width, height) = try PNGChunks.size(ofHeader: chunks[0])
        chunkTypes = chunks.map(\.type)
        guard let actlIndex = chunkTypes.firstIndex(of: "acTL") else { throw PlotError.animation("no acTL chunk") }
        guard let firstIDAT = chunkTypes.firstIndex(of: "IDAT") else { throw PlotError.animation("no IDAT chunk") }
        guard actlIndex < firstIDAT else { throw PlotError.animation("acTL after the first IDAT") }
        let actl = chunks[actlIndex].data
        guard actl.count == 8 else { throw PlotError.animation("acTL has \(actl.count) bytes, expected 8") }
        declaredFrameCount = Int(PNGChunks.readUInt32(actl, 0))
        loopCount = PNGChunks.readUInt32(actl, 4)
        var expected: UInt32 = 0
        var delays: [Double] = []
        var pendingFrame = false
        var firstFcTLIndex: Int?
        for (k, c) in chunks.enumerated() {
            switch c.type {
            case "fcTL":
                guard c.data.count == 26 else { throw PlotError.animation("fcTL has \(c.data.count) bytes, expected 26") }
                guard !pendingFrame else { throw PlotError.animation("fcTL without image data before it") }
                guard PNGChunks.readUInt32(c.data, 0) == expected else { throw PlotError.animation("sequence number out of order at fcTL") }
                expected += 1
                let w = Int(PNGChunks.readUInt32(c.data, 4)), h = Int(PNGChunks.readUInt32(c.data, 8))
                let x = Int(PNGChunks.readUInt32(c.data, 12)), y = Int(PNGChunks.readUInt32(c.data, 16))
                guard w > 0, h > 0, x + w <= width, y + h <= height else { throw PlotError.animation("fcTL region outside the canvas") }
                let num = Double(PNGChunks.readUInt16(c.data, 20)), den = Double(PNGChunks.readUInt16(c.data, 22))
                delays.append(num / (den == 0 ? 100 : den))
                pendingFrame = true
                if firstFcTLIndex == nil { firstFcTLIndex = k }
            case "fdAT":
                guard c.data.count >= 4, PNGChunks.readUInt32(c.data, 0) == expected else {
                    throw PlotError.animation("sequence number out of order at fdAT")
                }
                expected += 1
                pendingFrame = false
            case "IDAT":
                pendingFrame = false
            default: break
            }
        }
        guard !pendingFrame else { throw PlotError.animation("last fcTL has no image data") }
        frameCount = delays.count
        self.delays = delays
        guard frameCount == declaredFrameCount else {
            throw PlotError.animation("acTL declares \(declaredFrameCount) frames, found \(frameCount) fcTL chunks")
        }
        defaultImageIsFirstFrame = firstFcTLIndex.map { $0 < firstIDAT } ?? false
    }
}
