import Foundation
import Testing
@testable import ZOCore

@Suite("Shapes, slabs, views, parameter sets")
struct TensorTests {
    @Test func shapeCountsAndStrides() throws {
        let s: Shape = [2, 3, 4]
        #expect(s.count == 24 && s.rank == 3 && s.strides == [12, 4, 1])
        #expect(Shape([]).count == 1)
        #expect(throws: CoreError.self) { try Shape.validated([3, -1]) }
        #expect(throws: CoreError.self) { try Shape.validated([Int.max, 4]) }
        #expect(try Shape.validated([5, 0]).count == 0)
    }

    @Test func mostSquareFactors() {
        #expect(Shape.mostSquareFactors(of: 12) == (3, 4))
        #expect(Shape.mostSquareFactors(of: 16) == (4, 4))
        #expect(Shape.mostSquareFactors(of: 13) == (1, 13))
        #expect(Shape.mostSquareFactors(of: 768 * 8) == (64, 96))
    }

    @Test func slabIsAlignedAndZeroed() {
        let slab = Slab<Float>(count: 1000)
        #expect(Int(bitPattern: slab.base) % 64 == 0)
        #expect(slab.buffer.allSatisfy { $0 == 0 })
        #expect(slab.byteCount == 4000)
    }

    /// On a private ledger: the shared one is moved by every concurrently running test.
    @Test func ledgerTracksCurrentAndPeakBytes() {
        let ledger = MemoryLedger()
        ledger.allocated(100)
        ledger.allocated(50)
        ledger.freed(100)
        #expect(ledger.currentBytes == 50 && ledger.peakBytes == 150)
        ledger.resetPeak()
        #expect(ledger.peakBytes == 50)
    }

    /// A measuring scope counts exactly the slabs allocated inside it — on the calling task and
    /// in `Parallel` workers — until they are freed (also outside it), nests into enclosing
    /// scopes, and ignores what other threads allocate meanwhile.
    @Test func measuringScopeCountsItsOwnSlabsOnly() throws {
        let stop = ManagedStop()
        let noise = Thread { while !stop.value { _ = Slab<Float>(count: 1 << 12) } }   // allocations outside any scope
        noise.start()
        defer { stop.set() }
        var kept: Slab<Double>?
        let ((), outer) = MemoryLedger.measure {
            let ((), inner) = MemoryLedger.measure {
                do {
                    let transient = Slab<Float>(count: 1000)                // 4 000 B
                    withExtendedLifetime(transient) { kept = Slab<Double>(count: 500) }   // + 4 000 B: peak 8 000
                }
                let boxes = SlabBoxes(count: 2)                             // transient freed: 4 000 B held
                Parallel.withThreads(2, splitEverything: true) {
                    Parallel.forChunks(count: 2, minimumChunk: 1) { r in
                        for i in r { boxes.set(i, Slab<Float>(count: 250)) } // 1 000 B each, in the workers
                    }
                }
                #expect(MemoryLedger.scope?.currentBytes == 6000, "workers' slabs: \(MemoryLedger.scope?.currentBytes ?? -1)")
            }
            #expect(inner.currentBytes == 4000 && inner.peakBytes == 8000, "held \(inner.currentBytes), peak \(inner.peakBytes)")
            let extra = Slab<Float>(count: 10)                              // 40 B in the outer scope only
            withExtendedLifetime(extra) { #expect(MemoryLedger.scope?.currentBytes == 4040) }
        }
        #expect(outer.currentBytes == 4000 && outer.peakBytes == 8000)
        kept = nil                                                          // freed outside: both scopes drop it
        #expect(outer.currentBytes == 0)
        #expect(MemoryLedger.scope == nil)
    }

    @Test func viewsShareTheSlab() {
        var layout = SlabLayout()
        let a = layout.add("a", [3, 4])
        let b = layout.add("b", [5])
        #expect(a == 0 && b == 16 && layout.count == 21)
        let slab = Slab<Double>(count: layout.count)
        let va = TensorView(slab: slab, offset: a, shape: [3, 4])
        va[1, 2] = 7
        #expect(slab[6] == 7)
        #expect(va.rows(1, 2).shape == [2, 4] && va.rows(1, 2)[2] == 7)
        #expect(va.reshaped([12])[6] == 7)
    }

    @Test func parameterLayoutGroupsTensorsIntoContiguousBlocks() {
        var layout = ParameterLayout()
        layout.beginBlock("embed")
        layout.add("wte", [10, 4], role: .embedding)
        layout.beginBlock("layer0", layer: 0)
        layout.add("h0.w", [4, 4], role: .weight)
        layout.add("h0.b", [4], role: .bias)
        layout.beginBlock("layer1", layer: 1)
        layout.add("h1.w", [4, 4], role: .weight)
        let set = ParameterSet<Float>(layout: layout)
        #expect(set.count == 40 + 16 + 4 + 16)
        #expect(set.blocks.map(\.range) == [0..<40, 40..<60, 60..<76])
        #expect(set.blocks.map(\.tensors) == [0..<1, 1..<3, 3..<4])
        #expect(set.tensors.map(\.block) == [0, 1, 1, 2])
        #expect(set.blocks[1].layer == 0)
        set.view(named: "h0.b")![2] = 3
        #expect(set.blockBuffer(1)[16 + 2] == 3)
        #expect(set.tensors[1].isMatrix && !set.tensors[2].isMatrix)
    }

    @Test func vectorParameterSet() {
        let set = ParameterSet<Double>(vector: [1, 2, 3])
        #expect(set.snapshot() == [1, 2, 3] && set.blocks.count == 1 && set.isFinite)
        set.assign([0, .nan, 1])
        #expect(!set.isFinite)
    }

    @Test func partitionCoversTheRangeOnAlignedBoundaries() {
        for (count, parts, align) in [(1000, 3, 128), (10, 4, 1), (7, 8, 1), (100_000, 2, 128)] {
            let ranges = Parallel.partition(count: count, parts: parts, alignment: align)
            #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == count)
            for (r, s) in zip(ranges, ranges.dropFirst()) {
                #expect(r.upperBound == s.lowerBound && r.upperBound % align == 0)
            }
        }
    }

    @Test func parallelForChunksVisitsEveryIndexOnce() {
        let n = 100_003
        let hits = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n)
        defer { hits.deallocate() }
        hits.initialize(repeating: 0)
        Parallel.forChunks(count: n, minimumChunk: 1000) { range in
            for i in range { hits[i] += 1 }
        }
        #expect(hits.allSatisfy { $0 == 1 })
    }
}

@Suite("System helpers")
struct SystemTests {
    @Test func atomicWriteReplacesAndLeavesNoTemporaryFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zolab-atomic-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("sub/out.txt")
        try AtomicFile.write("first", to: file)
        try AtomicFile.write("second", to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == "second")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path)
        #expect(leftovers == ["out.txt"])
    }

    @Test func atomicWriteFailsClearlyWhenTheTargetIsADirectory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zolab-atomic-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("taken/inner"), withIntermediateDirectories: true)
        #expect(throws: CoreError.self) { try AtomicFile.write("x", to: dir.appendingPathComponent("taken")) }
    }

    @Test func cpuInfoParsesFlags() {
        let info = CPUInfo.parse("processor : 0\nmodel name : Test CPU\nflags : fpu avx avx2 fma avx512f\n", logicalCores: 2)
        #expect(info.modelName == "Test CPU" && info.flags.contains("avx2"))
        #expect(info.bestOpenBLASCore == "Haswell")
        let big = CPUInfo.parse("flags : avx2 fma avx512f avx512bw avx512vl avx512dq avx512cd\n", logicalCores: 2)
        #expect(big.bestOpenBLASCore == "SkylakeX")
    }

    @Test func memoryProbeReadsTheResidentSet() {
        #expect((MemoryProbe.residentBytes ?? 0) > 1 << 20)
        #expect((MemoryProbe.peakResidentBytes ?? 0) >= (MemoryProbe.residentBytes ?? 0) / 2)
    }
}

/// Slabs set by parallel workers, kept alive until the box is released.
final class SlabBoxes: @unchecked Sendable {
    private let lock = NSLock()
    private var slabs: [Slab<Float>?]
    init(count: Int) { slabs = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ slab: Slab<Float>) { lock.lock(); slabs[i] = slab; lock.unlock() }
}

/// A thread-safe stop flag for the allocation-noise thread above.
final class ManagedStop: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    var value: Bool { lock.lock(); defer { lock.unlock() }; return flag }
    func set() { lock.lock(); flag = true; lock.unlock() }
}
