import CCairo
import Foundation

/// Decoded pixels of an image, straight (not premultiplied) RGBA8, row-major from the top.
public struct RasterImage: Sendable {
    public let width: Int
    public let height: Int
    /// `width × height` pixels packed as 0xRRGGBBAA.
    public let pixels: [UInt32]

    /// Copies a Cairo image surface, un-premultiplying alpha.
    init(surface: CairoSurface) throws {
        width = surface.width
        height = surface.height
        let opaque = surface.isOpaque
        var out = [UInt32](repeating: 0, count: width * height)
        let w = width, h = height
        try surface.withPixels { words, wordsPerRow in
            for y in 0..<h {
                for x in 0..<w {
                    let p = words[y * wordsPerRow + x]
                    let a = opaque ? 255 : (p >> 24) & 0xFF
                    var r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF
                    if a != 255 && a != 0 {
                        r = min(255, (r * 255 + a / 2) / a); g = min(255, (g * 255 + a / 2) / a); b = min(255, (b * 255 + a / 2) / a)
                    }
                    out[y * w + x] = r << 24 | g << 16 | b << 8 | a
                }
            }
        }
        pixels = out
    }

    /// The pixel at column `x`, row `y` (from the top).
    public func rgba(x: Int, y: Int) -> (r: UInt8, g: UInt8, b: UInt8, a: UInt8) {
        let p = pixels[y * width + x]
        return (UInt8(p >> 24), UInt8((p >> 16) & 0xFF), UInt8((p >> 8) & 0xFF), UInt8(p & 0xFF))
    }

    public func color(x: Int, y: Int) -> PlotColor {
        let c = rgba(x: x, y: y)
        return PlotColor(red: Double(c.r) / 255, green: Double(c.g) / 255, blue: Double(c.b) / 255, alpha: Double(c.a) / 255)
    }

    /// Number of distinct RGBA values.
    public var distinctColorCount: Int { Set(pixels).count }

    /// Variance of the luminance (0…255 scale) over all pixels; 0 for a blank image.
    public var luminanceVariance: Double {
        guard !pixels.isEmpty else { return 0 }
        var sum = 0.0, sumSq = 0.0
        for p in pixels {
            let l = 0.2126 * Double(p >> 24) + 0.7152 * Double((p >> 16) & 0xFF) + 0.0722 * Double((p >> 8) & 0xFF)
            sum += l
            sumSq += l * l
        }
        let n = Double(pixels.count)
        return max(0, sumSq / n - (sum / n) * (sum / n))
    }
}

/// PNG decoding through Cairo (`cairo_image_surface_create_from_png_stream`): Cairo reads the
/// IHDR/IDAT image of a PNG, so for an APNG it returns the default image.
public enum PNGReader {
    public static func decode(_ data: Data) throws -> RasterImage {
        guard data.starts(with: PNGChunks.signature) else {
            throw PlotError.malformedPNG("missing PNG signature (\(data.count) bytes)")
        }
        return try RasterImage(surface: CairoSurface.decodePNG(data))
    }

    public static func read(contentsOf url: URL) throws -> RasterImage {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw PlotError.io(path: url.path, reason: error.localizedDescription)
        }
        return try decode(data)
    }
}

extension RasterImage: CustomStringConvertible {
    public var description: String { "RasterImage(\(width)×\(height))" }
}
