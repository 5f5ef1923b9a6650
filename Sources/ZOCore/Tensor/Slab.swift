#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One contiguous, 64-byte aligned, zero-initialised allocation of `count` scalars.
///
/// Parameters, gradients, optimizer moments and activations each live in one slab; named
/// tensors are ``TensorView``s into it (llm.c's layout). A slab is a reference type so views
/// can share it; it is not synchronised — concurrent writers must touch disjoint ranges.
public final class Slab<Scalar: ZOScalar>: @unchecked Sendable {
    /// Number of elements.
    public let count: Int
    /// First element. Valid for the lifetime of the slab.
    public let base: UnsafeMutablePointer<Scalar>
    /// The measuring scope that was active where the slab was allocated (``MemoryLedger/measure(_:)``);
    /// it is charged until the slab is freed, on whatever thread that happens.
    private let scope: MemoryLedger?

    /// Allocates `count` zeroed elements.
    public init(count: Int) {
        precondition(count >= 0, "negative slab size")
        self.count = count
        let bytes = max(count, 1) * MemoryLayout<Scalar>.stride
        var raw: UnsafeMutableRawPointer?
        let status = posix_memalign(&raw, 64, bytes)
        guard status == 0, let raw else { fatalError("Slab: cannot allocate \(bytes) bytes (errno \(status))") }
        memset(raw, 0, bytes)
        base = raw.bindMemory(to: Scalar.self, capacity: max(count, 1))
        scope = MemoryLedger.scope
        MemoryLedger.shared.allocated(bytes)
        scope?.allocated(bytes)
    }

    /// Allocates a slab holding a copy of `values`.
    public convenience init(_ values: [Scalar]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { src in
            if let s = src.baseAddress { base.update(from: s, count: values.count) }
        }
    }

    deinit {
        let bytes = max(count, 1) * MemoryLayout<Scalar>.stride
        MemoryLedger.shared.freed(bytes)
        scope?.freed(bytes)
        free(base)
    }

    /// Bytes held by this slab.
    public var byteCount: Int { count * MemoryLayout<Scalar>.stride }

    public var buffer: UnsafeMutableBufferPointer<Scalar> { UnsafeMutableBufferPointer(start: base, count: count) }

    public subscript(index: Int) -> Scalar {
        get { precondition(index >= 0 && index < count); return base[index] }
        set { precondition(index >= 0 && index < count); base[index] = newValue }
    }

    /// The elements as an array (a copy).
    public var array: [Scalar] { Array(buffer) }

    /// Sets every element to `value`.
    public func fill(_ value: Scalar) { buffer.update(repeating: value) }

    /// Copies all elements from `other` (same count).
    public func copy(from other: Slab<Scalar>) {
        precondition(other.count == count, "slab size mismatch \(other.count) vs \(count)")
        base.update(from: other.base, count: count)
    }

    /// A new slab with the same contents.
    public func clone() -> Slab<Scalar> {
        let s = Slab(count: count)
        s.copy(from: self)
        return s
    }
}

/// Bytes held by slabs: process-wide (``shared``), or per measuring scope.
///
/// ``shared`` counts every slab in the process; reads are approximate under concurrency, and
/// other threads' allocations enter it. A scope (``measure(_:)``) counts only the slabs
/// allocated inside it — by the calling task, its child tasks and the workers of ZOCore's
/// `Parallel` loops (and ZOModel's data-parallel workers), which re-bind the scope — until
/// they are freed, wherever that happens. Scopes nest: an inner scope's slabs count in the
/// outer ones too. So a measurement is exact even while other code allocates concurrently.
public final class MemoryLedger: @unchecked Sendable {
    public static let shared = MemoryLedger()
    /// The innermost measuring scope of the current task, nil outside ``measure(_:)``.
    @TaskLocal public static var scope: MemoryLedger?
    private let parent: MemoryLedger?
    private var lock = pthread_mutex_t()
    private var current = 0
    private var peak = 0

    /// A ledger of its own (tests); slabs always report to `shared` and to the active scope.
    init(parent: MemoryLedger? = nil) {
        self.parent = parent
        pthread_mutex_init(&lock, nil)
    }

    /// Runs `body` in a new measuring scope and returns its result with the scope, whose
    /// ``peakBytes`` is the high-water mark of the bytes allocated inside and still alive
    /// (transients included) and ``currentBytes`` what is still held when `body` returns.
    public static func measure<T>(_ body: () throws -> T) rethrows -> (result: T, ledger: MemoryLedger) {
        let ledger = MemoryLedger(parent: scope)
        let result = try $scope.withValue(ledger, operation: body)
        return (result, ledger)
    }

    func allocated(_ bytes: Int) {
        pthread_mutex_lock(&lock)
        current += bytes
        peak = max(peak, current)
        pthread_mutex_unlock(&lock)
        parent?.allocated(bytes)
    }

    func freed(_ bytes: Int) {
        pthread_mutex_lock(&lock)
        current -= bytes
        pthread_mutex_unlock(&lock)
        parent?.freed(bytes)
    }

    /// Bytes in live slabs now.
    public var currentBytes: Int {
        pthread_mutex_lock(&lock); defer { pthread_mutex_unlock(&lock) }
        return current
    }

    /// Highest `currentBytes` since the last `resetPeak()`.
    public var peakBytes: Int {
        pthread_mutex_lock(&lock); defer { pthread_mutex_unlock(&lock) }
        return peak
    }

    public func resetPeak() {
        pthread_mutex_lock(&lock)
        peak = current
        pthread_mutex_unlock(&lock)
    }
}
