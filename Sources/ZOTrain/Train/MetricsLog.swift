import Foundation
import ZOCore

/// The run's metrics as JSON Lines (one object per step, one per evaluation), appended as
/// the run goes. Each line is written with one `write(2)`; ``synchronize()`` fsyncs before a
/// checkpoint records ``byteCount``, and a resumed run truncates the file back to the
/// checkpoint's byte count — so after a resume the file equals an uninterrupted run's.
public final class MetricsLog {
    public let url: URL
    private let handle: FileHandle
    public private(set) var byteCount: UInt64

    /// Opens (creating) `url`; with `truncateTo`, cuts it to that many bytes first (resume),
    /// else empties it.
    public init(url: URL, truncateTo bytes: UInt64? = nil) throws {
        self.url = url
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: url.path), !FileManager.default.createFile(atPath: url.path, contents: nil) {
                throw CoreError.io(path: url.path, reason: "cannot create the metrics file")
            }
            handle = try FileHandle(forUpdating: url)
            let size = try handle.seekToEnd()
            let keep = min(bytes ?? 0, size)
            if let bytes, bytes > size {
                throw CoreError.io(path: url.path, reason: "the metrics file is shorter (\(size) bytes) than the checkpoint recorded (\(bytes))")
            }
            try handle.truncate(atOffset: keep)
            try handle.seek(toOffset: keep)
            byteCount = keep
        } catch let e as CoreError {
            throw e
        } catch {
            throw CoreError.io(path: url.path, reason: error.localizedDescription)
        }
    }

    deinit { try? handle.close() }

    /// Appends one JSON object (keys sorted; Double values written so they round-trip).
    public func append(_ object: [String: MetricValue]) throws {
        let body = object.keys.sorted().map { "\"\($0)\":\(object[$0]!.json)" }.joined(separator: ",")
        let line = Data(("{" + body + "}\n").utf8)
        do { try handle.write(contentsOf: line) } catch {
            throw CoreError.io(path: url.path, reason: error.localizedDescription)
        }
        byteCount += UInt64(line.count)
    }

    public func synchronize() throws {
        do { try handle.synchronize() } catch { throw CoreError.io(path: url.path, reason: error.localizedDescription) }
    }
}

/// A value in a metrics line.
public enum MetricValue: Sendable, Equatable {
    case int(Int), double(Double), text(String)

    var json: String {
        switch self {
        case .int(let v): return "\(v)"
        case .double(let v): return v.isFinite ? "\(v)" : "\"\(v)\""
        case .text(let s): return DatasetGenerator.quoted(s)
        }
    }
}
