import Dispatch
import Foundation
import ZOCore
#if canImport(Glibc)
import Glibc
#endif

/// How ZOModel spreads work over cores.
///
/// Two levels, never nested: kernels split their loops with ``forChunks`` (→ ZOCore
/// ``Parallel``) and OpenBLAS runs its own threads — or, for the inference pass,
/// ``dataParallel`` gives each core a slice of the batch's sequences to run end to end, with
/// OpenBLAS single-threaded and every kernel inside serial. The second form needs one fork/join
/// per pass instead of one per kernel and per sgemm, which matters on 2 cores: OpenBLAS's idle
/// workers spin (sched_yield) between calls and compete with ZOLab's own threads.
enum Work {
    private static let serialKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// True inside a ``dataParallel`` worker: kernels must not fork.
    static var isSerial: Bool { pthread_getspecific(serialKey) != nil }

    /// Runs `body` on the calling thread with every kernel serial (as inside a data-parallel
    /// worker), without touching any process-wide setting.
    static func serially<R>(_ body: () throws -> R) rethrows -> R {
        let was = pthread_getspecific(serialKey)
        pthread_setspecific(serialKey, UnsafeRawPointer(bitPattern: 1))
        defer { pthread_setspecific(serialKey, was) }
        return try body()
    }

    /// `Parallel.forChunks`, or one call on the whole range inside a data-parallel worker.
    @inline(__always)
    static func forChunks(count: Int, minimumChunk: Int, alignment: Int = 1, _ body: (Range<Int>) -> Void) {
        if isSerial {
            if count > 0 { body(0..<count) }
        } else {
            Parallel.forChunks(count: count, minimumChunk: minimumChunk, alignment: alignment, body)
        }
    }

    /// Runs `body(part, range)` for `parts` contiguous parts of `0..<count` concurrently, with
    /// OpenBLAS on one thread and kernels serial inside each part; restores OpenBLAS's thread
    /// count afterwards. With one part (or inside a worker) it runs inline, unchanged.
    static func dataParallel(count: Int, parts: Int, _ body: (Int, Range<Int>) -> Void) {
        let ranges = Parallel.partition(count: count, parts: max(1, min(parts, count)))
        if ranges.count <= 1 || isSerial {
            for (i, r) in ranges.enumerated() { body(i, r) }
            return
        }
        BLASSingleThreaded.enter()
        defer { BLASSingleThreaded.leave() }
        let context = Parallel.WorkerContext.current
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: ranges.count) { i in
                pthread_setspecific(serialKey, UnsafeRawPointer(bitPattern: 1))
                defer { pthread_setspecific(serialKey, nil) }
                context.run { body(i, ranges[i]) }
            }
        }
    }
}

/// Reference-counted "OpenBLAS on one thread" regions: the first region to open saves the
/// thread count and sets 1, the last to close restores it, so overlapping passes of different
/// models (on different threads) cannot leave OpenBLAS single-threaded. Caveat: OpenBLAS's
/// thread count is process-wide; a BLAS call made elsewhere while a region is open runs on one
/// thread (correct, only slower).
enum BLASSingleThreaded {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var depth = 0
    nonisolated(unsafe) private static var saved = 1

    static func enter() {
        lock.lock()
        defer { lock.unlock() }
        if depth == 0 {
            BLASRuntime.ensureConfigured()
            saved = BLASRuntime.threads
            BLASRuntime.threads = 1
        }
        depth += 1
    }

    static func leave() {
        lock.lock()
        defer { lock.unlock() }
        depth -= 1
        if depth == 0 { BLASRuntime.threads = saved }
    }
}
