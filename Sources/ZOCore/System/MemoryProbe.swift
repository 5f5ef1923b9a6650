import Foundation

/// Process memory as the kernel sees it (Linux `/proc/self/status`), for the memory reports.
///
/// `peakResidentBytes` is VmHWM, the high-water mark of the resident set; `resetPeak()` resets it
/// by writing "5" to `/proc/self/clear_refs` (Linux ≥ 4.0). Caveat: the mark counts every page
/// the process touched (code, libraries, freed-but-cached malloc arenas), so compare *differences*
/// between configurations measured the same way, and prefer ``MemoryLedger`` (bytes in live
/// slabs) for per-buffer accounting.
public enum MemoryProbe {
    /// Current resident set (VmRSS) in bytes, nil when unavailable.
    public static var residentBytes: Int? { field("VmRSS") }

    /// Peak resident set (VmHWM) in bytes since start or the last `resetPeak()`.
    public static var peakResidentBytes: Int? { field("VmHWM") }

    /// Resets the peak resident set to the current one. Returns false when not supported.
    @discardableResult
    public static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: Data("5".utf8)) } catch { return false }
        return true
    }

    static func field(_ name: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 2, let kb = Int(parts[1]) else { return nil }
            return kb * 1024
        }
        return nil
    }
}
