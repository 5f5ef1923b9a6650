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
        MemoryLedger.shared.allocated(bytes)
    }

    /// Allocates a slab holding a copy of `values`.
    public convenience init(_ values: [Scalar]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { src in
            if let s = src.baseAddress { base.update(from: s, count: values.count) }
        }
    }

    deinit {
        MemoryLedger.shared.freed(max(count, 1) * MemoryLayout<Scalar>.stride)
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

/// Process-wide count of bytes currently held by slabs (all scalar types). Used by the
/// memory reports; reads are approximate under concurrency (they are not used for control).
public final class MemoryLedger: @unchecked Sendable {
    public static let shared = MemoryLedger()
    private var lock = pthread_mutex_t()
    private var current = 0
    private var peak = 0

    /// A ledger of its own (tests); slabs always report to `shared`.
    init() { pthread_mutex_init(&lock, nil) }

    func allocated(_ bytes: Int) {
        pthread_mutex_lock(&lock)
        current += bytes
        peak = max(peak, current)
        pthread_mutex_unlock(&lock)
    }

    func freed(_ bytes: Int) {
        pthread_mutex_lock(&lock)
        current -= bytes
        pthread_mutex_unlock(&lock)
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
