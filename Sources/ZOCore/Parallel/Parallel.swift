import Dispatch
import Foundation

/// Data-parallel loops over index ranges on the machine's cores.
///
/// `forChunks` splits `0..<count` into at most ``threadCount`` contiguous ranges (boundaries
/// multiples of `alignment`) and runs them concurrently; it returns when all are done.
/// Results must not depend on the split (every ZOLab kernel computes each element
/// independently, and reductions combine fixed-size pieces in a fixed order), which the tests
/// check by running the same work under ``withThreads(_:splitEverything:_:)`` with several
/// thread counts.
///
/// The thread count is not a mutable global: the process default comes from `ZOLAB_THREADS`
/// (read once), and a scope can override it with ``withThreads(_:splitEverything:_:)``. The
/// override is a task-local value, so it holds for the calling task (and the workers its loops
/// start) only — concurrently running code, e.g. other test suites, keeps its own setting.
public enum Parallel {
    /// The process-wide worker count: `ZOLAB_THREADS` if set to a positive integer, else the
    /// active cores.
    public static let defaultThreadCount: Int = {
        if let s = ProcessInfo.processInfo.environment["ZOLAB_THREADS"], let n = Int(s), n > 0 { return n }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// A scoped setting installed by ``withThreads(_:splitEverything:_:)``.
    public struct Override: Sendable, Equatable {
        /// Worker count in the scope (≥ 1).
        public var threadCount: Int
        /// Ignore the loops' minimum chunk sizes, so even short loops are split across
        /// `threadCount` workers (for tests that check results do not depend on the split).
        public var splitEverything: Bool
    }

    @TaskLocal static var override: Override?

    /// The worker count in effect: the innermost ``withThreads(_:splitEverything:_:)`` scope
    /// of the current task, else ``defaultThreadCount``.
    public static var threadCount: Int { override?.threadCount ?? defaultThreadCount }

    /// Runs `body` with ``threadCount`` = `threads` for this task only. With
    /// `splitEverything`, loops split whenever they have at least two elements (minimum chunk
    /// 1), which makes thread-count tests meaningful on small inputs.
    public static func withThreads<T>(_ threads: Int, splitEverything: Bool = false, _ body: () throws -> T) rethrows -> T {
        precondition(threads >= 1, "thread count must be ≥ 1, got \(threads)")
        return try $override.withValue(Override(threadCount: threads, splitEverything: splitEverything), operation: body)
    }

    /// Runs `body` over a partition of `0..<count`. Stays on the calling thread when
    /// `count < 2·minimumChunk` or ``threadCount`` is 1. Workers inherit the caller's
    /// override, so nested loops see the same setting.
    public static func forChunks(
        count: Int, minimumChunk: Int = 1 << 14, alignment: Int = 1, _ body: (Range<Int>) -> Void
    ) {
        guard count > 0 else { return }
        let context = WorkerContext.current
        let ranges = plan(count: count, minimumChunk: minimumChunk, alignment: alignment, setting: context.setting)
        if ranges.count <= 1 {
            body(0..<count)
            return
        }
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: ranges.count) { i in
                context.run { body(ranges[i]) }
            }
        }
    }

    /// The caller's task-local settings that worker threads must see — the thread-count
    /// override and ``MemoryLedger``'s measuring scope. Task-locals do not cross into
    /// `DispatchQueue` workers by themselves; every worker loop captures this and runs its
    /// body inside ``run(_:)``.
    public struct WorkerContext: @unchecked Sendable {
        let setting: Override?
        let scope: MemoryLedger?

        public static var current: WorkerContext { WorkerContext(setting: override, scope: MemoryLedger.scope) }

        public func run<T>(_ body: () throws -> T) rethrows -> T {
            try MemoryLedger.$scope.withValue(scope) { try Parallel.$override.withValue(setting, operation: body) }
        }
    }

    /// The ranges `forChunks` runs under `setting` (one range: stay on the calling thread).
    private static func plan(count: Int, minimumChunk: Int, alignment: Int, setting: Override?) -> [Range<Int>] {
        let threads = setting?.threadCount ?? defaultThreadCount
        let smallest = setting?.splitEverything == true ? 1 : max(minimumChunk, 1)
        let parts = min(threads, max(1, count / smallest))
        return parts <= 1 ? [0..<count] : partition(count: count, parts: parts, alignment: alignment)
    }

    /// `0..<count` cut into `parts` contiguous ranges of near-equal size whose inner
    /// boundaries are multiples of `alignment`. Empty ranges are dropped.
    public static func partition(count: Int, parts: Int, alignment: Int = 1) -> [Range<Int>] {
        precondition(parts >= 1 && alignment >= 1)
        var ranges: [Range<Int>] = []
        var start = 0
        for p in 1...parts {
            var end = p == parts ? count : (count * p / parts) / alignment * alignment
            end = min(max(end, start), count)
            if end > start { ranges.append(start..<end) }
            start = end
        }
        return ranges
    }

    /// Number of ranges ``forChunks(count:minimumChunk:alignment:_:)`` would run for these
    /// arguments in the current scope (1 = on the calling thread). For tests and reports.
    public static func plannedParts(count: Int, minimumChunk: Int = 1 << 14, alignment: Int = 1) -> Int {
        guard count > 0 else { return 0 }
        return plan(count: count, minimumChunk: minimumChunk, alignment: alignment, setting: override).count
    }
}
