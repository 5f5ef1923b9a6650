import ZOCore

/// Per-block optimizer buffers — Adam's moments m and v, a momentum buffer — held as ZOCore
/// ``Slab``s, one per (block, buffer), so ``byteCount`` is measured from the allocations and a
/// block-coordinate wrapper can drop or reset one block's state.
///
/// Rules (the ``BlockwiseOptimizer`` contract, BAdam-style):
/// - At construction every block's buffers are allocated and zero (state = buffers × d scalars).
/// - ``activeBlocksChanged(to:reset:)`` releases the buffers of blocks outside the new active
///   set and re-zeroes those of blocks that entered it (with their update counters); with
///   `reset: .all` it re-zeroes every block of the new set (BAdam), otherwise blocks that stay
///   active keep their state. Memory is then ∝ the active blocks.
/// - A step on a block whose buffers were released re-allocates them zeroed.
final class BlockStateSlabs<S: ZOScalar> {
    /// Buffer names, e.g. ["m", "v"]: each block has one slab per name, of the block's size.
    let names: [String]
    let blockSizes: [Int]
    private var storage: [[Slab<S>]?]
    /// Updates applied to each block since its state was (re)initialised (Adam's t).
    private(set) var steps: [Int]
    /// The active set announced by the last ``activeBlocksChanged(to:)`` (nil: all blocks).
    private(set) var activeSet: Set<Int>?

    init(names: [String], blocks: [ParameterBlockInfo]) {
        self.names = names
        self.blockSizes = blocks.map(\.count)
        self.storage = blockSizes.map { n in names.map { _ in Slab<S>(count: n) } }
        self.steps = [Int](repeating: 0, count: blocks.count)
    }

    /// The buffers of `block` (allocated zeroed if released).
    func slabs(_ block: Int) -> [Slab<S>] {
        if let s = storage[block] { return s }
        let fresh = names.map { _ in Slab<S>(count: blockSizes[block]) }
        storage[block] = fresh
        steps[block] = 0
        return fresh
    }

    /// Counts one more update of `block` and returns the new count.
    func advance(_ block: Int) -> Int {
        steps[block] += 1
        return steps[block]
    }

    func isAllocated(_ block: Int) -> Bool { storage[block] != nil }

    /// Bytes in live buffers.
    var byteCount: Int { storage.reduce(0) { $0 + ($1?.reduce(0) { $0 + $1.byteCount } ?? 0) } }

    func activeBlocksChanged(to blocks: [Int], reset: BlockStateReset) {
        let new = Set(blocks)
        let old = activeSet ?? Set(blockSizes.indices)
        for b in blockSizes.indices where !new.contains(b) {
            storage[b] = nil
            steps[b] = 0
        }
        let fresh = reset == .all ? new : new.subtracting(old)
        for b in fresh where blockSizes.indices.contains(b) {
            // Re-zero buffers a block still holds in place (no second copy at the switch);
            // allocate only for blocks that hold none.
            if let held = storage[b] { held.forEach { $0.fill(0) } } else { storage[b] = names.map { _ in Slab<S>(count: blockSizes[b]) } }
            steps[b] = 0
        }
        activeSet = new
    }

    /// Writes buffers "name/block", integers "steps/block" and the active set.
    func save(into state: inout OptimizerState<S>) {
        for b in blockSizes.indices {
            state.integers["steps/\(b)"] = steps[b]
            guard let s = storage[b] else { continue }
            for (name, slab) in zip(names, s) { state.buffers["\(name)/\(b)"] = slab.array }
        }
        if let activeSet { state.vectors["active-blocks"] = activeSet.sorted().map(Double.init) }
    }

    func load(from state: OptimizerState<S>) throws {
        var newStorage = [[Slab<S>]?](repeating: nil, count: blockSizes.count)
        var newSteps = steps
        for b in blockSizes.indices {
            newSteps[b] = try state.integer("steps/\(b)")
            let present = names.map { state.buffers["\($0)/\(b)"] != nil }
            if present.allSatisfy({ !$0 }) { continue }
            newStorage[b] = try names.map { Slab<S>(try state.buffer("\($0)/\(b)", count: blockSizes[b])) }
        }
        storage = newStorage
        steps = newSteps
        activeSet = state.vectors["active-blocks"].map { Set($0.map { Int($0) }) }
    }
}

/// One tensor of the active blocks, as a ZO / FO step walks them.
struct TensorSlot {
    /// Index into ``ParameterSet/tensors``.
    let tensor: Int
    /// Element range in the parameter slab (and the noise stream).
    let range: Range<Int>
    /// Parameter block holding the tensor.
    let block: Int
    /// Position of `block` in the step's `blocks` list (index into `blockScales`).
    let position: Int
    /// Offset of the tensor inside its block's buffers.
    let offsetInBlock: Int
}

enum TensorSlots {
    /// The tensors of `blocks` in slab order of the blocks given. Checks the block list.
    static func of<S: ZOScalar>(_ parameters: ParameterSet<S>, blocks: [Int], blockScales: [Double]?) -> [TensorSlot] {
        precondition(blockScales == nil || blockScales!.count == blocks.count, "one scale per active block")
        precondition(Set(blocks).count == blocks.count, "duplicate block in \(blocks)")
        var slots: [TensorSlot] = []
        for (position, b) in blocks.enumerated() {
            precondition(parameters.blocks.indices.contains(b), "block \(b) out of range")
            let info = parameters.blocks[b]
            for t in info.tensors {
                let tensor = parameters.tensors[t]
                slots.append(TensorSlot(tensor: t, range: tensor.range, block: b, position: position,
                                        offsetInBlock: tensor.offset - info.range.lowerBound))
            }
        }
        return slots
    }
}
