import Foundation
import ZOCore
import ZOModel

/// Peak memory of a stretch of work, two ways: ZOCore's MemoryLedger (bytes in live slabs:
/// parameters, optimizer state, activation and gradient buffers) and the process's peak
/// resident set (MemoryProbe, VmHWM — includes the runtime, libraries and heap caching, so
/// compare differences measured the same way, each run in a fresh process).
public struct MemoryPeak: Codable, Equatable, Sendable {
    public var ledgerBytes: Int
    public var residentBytes: Int?
}

public enum MemoryMeter {
    /// glibc's `malloc_trim(0)`: hands freed heap pages back, so the next peak counts live memory.
    public static func trimHeap() {
        typealias Trim = @convention(c) (Int) -> Int32
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
    }

    /// Releases `model`'s activation buffers, trims the heap and resets both peaks.
    public static func reset(_ model: GPTModel) {
        model.releaseBuffers()
        trimHeap()
        MemoryLedger.shared.resetPeak()
        _ = MemoryProbe.resetPeak()
    }

    /// Both peaks since the last `reset`.
    public static func peak() -> MemoryPeak {
        MemoryPeak(ledgerBytes: MemoryLedger.shared.peakBytes, residentBytes: MemoryProbe.peakResidentBytes)
    }
}
