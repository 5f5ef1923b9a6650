import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes files so that a reader (or a crash) sees either the old content or the new one,
/// never a torn mix: write to a temporary file in the same directory, fsync it, rename it over
/// the target, fsync the directory.
public enum AtomicFile {
    /// Atomically replaces `url` with `data`, creating parent directories as needed.
    public static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw CoreError.io(path: directory.path, reason: "cannot create directory: \(error.localizedDescription)")
        }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw CoreError.io(path: temporary.path, reason: String(cString: strerror(errno))) }
        var ok = false
        defer {
            if !ok { unlink(temporary.path) }
        }
        do {
            defer { close(fd) }
            try data.withUnsafeBytes { raw in
                var done = 0
                while done < raw.count {
                    let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw CoreError.io(path: temporary.path, reason: String(cString: strerror(errno)))
                    }
                    done += n
                }
            }
            guard fsync(fd) == 0 else { throw CoreError.io(path: temporary.path, reason: "fsync: " + String(cString: strerror(errno))) }
        }
        guard rename(temporary.path, url.path) == 0 else {
            throw CoreError.io(path: url.path, reason: "rename: " + String(cString: strerror(errno)))
        }
        ok = true
        let dfd = open(directory.path, O_RDONLY)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }

    /// Atomically replaces `url` with the UTF-8 encoding of `text`.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }
}
