import CCairo
import Foundation
import ZOCore

/// Throws ``PlotError/cairo(operation:message:)`` unless `status` is success.
@inline(__always) func checkCairo(_ status: cairo_status_t, _ operation: @autoclosure () -> String) throws {
    guard status == CAIRO_STATUS_SUCCESS else {
        throw PlotError.cairo(operation: operation(), message: String(cString: cairo_status_to_string(status)))
    }
}

/// Owns a `cairo_surface_t` image surface; destroys it in `deinit`.
///
/// Pixels are 32-bit native-endian words, premultiplied alpha (`CAIRO_FORMAT_ARGB32`) or
/// with the top byte unused (`CAIRO_FORMAT_RGB24`, opaque; Cairo then writes RGB PNGs).
final class CairoSurface {
    let handle: OpaquePointer
    let width: Int
    let height: Int

    /// Cairo's limit on an image surface's side.
    static let maximumSide = 32767.0

    /// A new surface, cleared to transparent black. Throws for a size Cairo cannot hold.
    init(width: Int, height: Int, opaque: Bool = true) throws {
        guard width > 0, height > 0, Double(width) <= Self.maximumSide, Double(height) <= Self.maximumSide else {
            throw PlotError.invalidSize(width: Double(width), height: Double(height))
        }
        let h = cairo_image_surface_create(opaque ? CAIRO_FORMAT_RGB24 : CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))!
        // Cairo never returns NULL: failures come back as an "error surface" with a status.
        let status = cairo_surface_status(h)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(h)
            try checkCairo(status, "cairo_image_surface_create(\(width)×\(height))")
            fatalError("unreachable")
        }
        handle = h
        self.width = width
        self.height = height
    }

    /// Takes ownership of a surface returned by Cairo (checked; destroyed on failure).
    init(adopting h: OpaquePointer, operation: String) throws {
        let status = cairo_surface_status(h)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(h)
            try checkCairo(status, operation)
            fatalError("unreachable")
        }
        handle = h
        width = Int(cairo_image_surface_get_width(h))
        height = Int(cairo_image_surface_get_height(h))
    }

    deinit { cairo_surface_destroy(handle) }

    /// The surface's status (sticky: the first error Cairo hit on it).
    func check(_ operation: String) throws { try checkCairo(cairo_surface_status(handle), operation) }

    var stride: Int { Int(cairo_image_surface_get_stride(handle)) }
    var isOpaque: Bool { cairo_image_surface_get_format(handle) == CAIRO_FORMAT_RGB24 }

    /// Direct access to the pixel words (rows of `stride / 4` words). Flushes before and marks
    /// the surface dirty after, as Cairo requires around direct writes.
    func withPixels<R>(_ body: (UnsafeMutablePointer<UInt32>, _ wordsPerRow: Int) throws -> R) throws -> R {
        cairo_surface_flush(handle)
        try check("cairo_surface_flush")
        guard let data = cairo_image_surface_get_data(handle) else {
            throw PlotError.cairo(operation: "cairo_image_surface_get_data", message: "no pixel data")
        }
        let words = UnsafeMutableRawPointer(data).bindMemory(to: UInt32.self, capacity: stride / 4 * height)
        defer { cairo_surface_mark_dirty(handle) }
        return try body(words, stride / 4)
    }

    /// The surface encoded as PNG (Cairo's encoder through a write stream; status checked).
    func pngData() throws -> Data {
        cairo_surface_flush(handle)
        try check("cairo_surface_flush")
        let sink = DataSink()
        let box = Unmanaged.passRetained(sink)
        defer { box.release() }
        let status = cairo_surface_write_to_png_stream(handle, { closure, bytes, length in
            guard let closure else { return CAIRO_STATUS_WRITE_ERROR }
            let sink = Unmanaged<DataSink>.fromOpaque(closure).takeUnretainedValue()
            if let bytes, length > 0 { sink.data.append(bytes, count: Int(length)) }
            return CAIRO_STATUS_SUCCESS
        }, box.toOpaque())
        try checkCairo(status, "cairo_surface_write_to_png_stream")
        return sink.data
    }

    /// Decodes PNG bytes with Cairo (`cairo_image_surface_create_from_png_stream`).
    static func decodePNG(_ data: Data) throws -> CairoSurface {
        let source = DataSource(data)
        let box = Unmanaged.passRetained(source)
        defer { box.release() }
        let h = cairo_image_surface_create_from_png_stream({ closure, bytes, length in
            guard let closure, let bytes else { return CAIRO_STATUS_READ_ERROR }
            let source = Unmanaged<DataSource>.fromOpaque(closure).takeUnretainedValue()
            return source.read(into: bytes, count: Int(length)) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_READ_ERROR
        }, box.toOpaque())!
        return try CairoSurface(adopting: h, operation: "cairo_image_surface_create_from_png_stream")
    }

    private final class DataSink { var data = Data() }

    private final class DataSource {
        let data: Data
        var offset = 0
        init(_ data: Data) { self.data = data }
        func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) -> Bool {
            guard count <= data.count - offset else { return false }
            data.withUnsafeBytes { raw in
                let start = raw.baseAddress!.assumingMemoryBound(to: UInt8.self) + offset
                buffer.update(from: start, count: count)
            }
            offset += count
            return true
        }
    }
}

/// Owns a `cairo_t` drawing context; destroys it in `deinit`.
final class CairoContext {
    let handle: OpaquePointer
    let surface: CairoSurface  // keeps the target alive at least as long as the context

    init(surface: CairoSurface) throws {
        let h = cairo_create(surface.handle)!
        let status = cairo_status(h)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_destroy(h)
            try checkCairo(status, "cairo_create")
            fatalError("unreachable")
        }
        handle = h
        self.surface = surface
    }

    deinit { cairo_destroy(handle) }

    /// The context's sticky status: Cairo records the first failure of any drawing call here
    /// (drawing calls themselves return void), so checking it after drawing covers them all.
    func check(_ operation: String) throws { try checkCairo(cairo_status(handle), operation) }
}
