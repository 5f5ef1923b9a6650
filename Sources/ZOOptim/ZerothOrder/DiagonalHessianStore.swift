import ZOCore

/// Where HiZOO keeps its diagonal H: one slab of d scalars (``HessianStorage/full``), or one
/// slab per held block (``HessianStorage/activeBlocks``: B-PDF, memory ∝ active blocks).
/// `byteCount` sums the slabs actually held.
final class DiagonalHessianStore<S: ZOScalar> {
    let storage: HessianStorage
    let blocks: [ParameterBlockInfo]
    let count: Int
    let initialValue: S
    private var full: Slab<S>?
    private var perBlock: [Int: Slab<S>] = [:]

    init(storage: HessianStorage, blocks: [ParameterBlockInfo], count: Int, initialValue: S) {
        self.storage = storage
        self.blocks = blocks
        self.count = count
        self.initialValue = initialValue
        if storage == .full {
            let slab = Slab<S>(count: count)
            slab.fill(initialValue)
            full = slab
        }
    }

    var byteCount: Int {
        switch storage {
        case .full: return full?.byteCount ?? 0
        case .activeBlocks: return perBlock.values.reduce(0) { $0 + $1.byteCount }
        }
    }

    /// Blocks with an H, ascending.
    var heldBlocks: [Int] {
        storage == .full ? Array(blocks.indices) : perBlock.keys.sorted()
    }

    func isHeld(_ block: Int) -> Bool { storage == .full || perBlock[block] != nil }

    /// H of `block` (allocated and set to the initial value first if not held).
    func pointer(_ block: Int) -> UnsafeMutablePointer<S> {
        switch storage {
        case .full:
            return full!.base + blocks[block].range.lowerBound
        case .activeBlocks:
            if let slab = perBlock[block] { return slab.base }
            let slab = Slab<S>(count: blocks[block].count)
            slab.fill(initialValue)
            perBlock[block] = slab
            return slab.base
        }
    }

    func buffer(_ block: Int) -> UnsafeMutableBufferPointer<S> {
        UnsafeMutableBufferPointer(start: pointer(block), count: blocks[block].count)
    }

    /// Sets H of `block` to the initial value (allocating it if needed).
    func reset(_ block: Int) { buffer(block).update(repeating: initialValue) }

    /// Frees H of `block` (``HessianStorage/activeBlocks`` only; no-op for full storage).
    func release(_ block: Int) {
        if storage == .activeBlocks { perBlock[block] = nil }
    }

    func releaseAll() {
        if storage == .activeBlocks { perBlock = [:] }
    }
}
