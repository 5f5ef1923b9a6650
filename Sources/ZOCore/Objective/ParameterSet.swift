/// What a parameter tensor is, for per-group rules: weight decay (MeZO skips biases and
/// norms), SubZero and HiZOO-L (2-D weights get low-rank / factored treatment), AdamW (decay
/// only ≥ 2-D tensors), Sparse MeZO (per-tensor thresholds).
public enum TensorRole: String, Codable, CaseIterable, Sendable {
    /// A weight matrix (attention / MLP projection) or any generic weight.
    case weight
    case bias
    /// LayerNorm gain or bias.
    case norm
    /// Token embedding (tied with the output head in GPT-2).
    case embedding
    /// Learned position embedding.
    case position
    /// LoRA factor A or B.
    case lora
    /// Prefix-tuning key/value prefix.
    case prefix
    /// Coordinates of an analytic test function.
    case coordinates

    /// Default weight-decay group (`decay-groups weights`): everything except biases and norms
    /// (MeZO's rule) — weights, embeddings, adapters and a test function's coordinates, which
    /// are the weights of that problem (so `weight-decay` λ > 0 acts on test functions
    /// without `decay-groups all`).
    public var decaysByDefault: Bool {
        switch self {
        case .weight, .embedding, .position, .lora, .prefix, .coordinates: return true
        case .bias, .norm: return false
        }
    }
}

/// One named tensor in a ``ParameterSet``: a contiguous range `offset ..< offset + count`
/// of the set's slab.
public struct ParameterTensorInfo: Hashable, Codable, Sendable {
    public let name: String
    public let shape: Shape
    public let role: TensorRole
    /// Index of the ``ParameterBlockInfo`` that holds this tensor.
    public let block: Int
    /// Offset of the first element in the parameter slab (also its noise-stream offset).
    public let offset: Int

    public var count: Int { shape.count }
    public var range: Range<Int> { offset..<(offset + count) }
    /// True for 2-D tensors (matrices).
    public var isMatrix: Bool { shape.rank == 2 }
}

/// A block of tensors that block-coordinate methods activate together: one transformer
/// layer, the embeddings, the head, or a coordinate group of a test function. A block's
/// tensors are contiguous, so the block is the slab range `range`.
public struct ParameterBlockInfo: Hashable, Codable, Sendable {
    public let name: String
    /// Transformer layer index, nil for embeddings / head / test-function blocks.
    public let layer: Int?
    /// Element range in the parameter slab.
    public let range: Range<Int>
    /// Indices into ``ParameterSet/tensors``.
    public let tensors: Range<Int>

    public var count: Int { range.count }
}

/// The trainable parameters of an objective: one slab, named tensors in it, grouped into
/// blocks. Element `i` of the slab is coordinate `i` of θ everywhere in ZOLab — ZO methods
/// perturb element `i` with element `i` of the step's noise stream, so a perturbation of any
/// subset of blocks uses exactly the values a full perturbation would.
///
/// Tensors are packed without padding (the slab is θ ∈ R^d with d = `count`).
public final class ParameterSet<Scalar: ZOScalar>: @unchecked Sendable {
    public let values: Slab<Scalar>
    public let tensors: [ParameterTensorInfo]
    public let blocks: [ParameterBlockInfo]

    /// d: the number of scalars.
    public var count: Int { values.count }

    /// Builds a set from a layout; the slab starts at zero.
    public init(layout: ParameterLayout) {
        precondition(!layout.blocks.isEmpty, "a parameter set needs at least one block")
        precondition(layout.blocks.allSatisfy { !$0.tensors.isEmpty }, "every parameter block needs a tensor")
        self.values = Slab(count: layout.count)
        self.tensors = layout.tensors
        self.blocks = layout.blocks
    }

    /// A single-block, single-tensor set holding `initial` (test functions).
    public convenience init(vector initial: [Scalar], name: String = "x", role: TensorRole = .coordinates) {
        var layout = ParameterLayout()
        layout.beginBlock(name)
        layout.add(name, Shape([initial.count]), role: role)
        self.init(layout: layout)
        values.base.update(from: initial, count: initial.count)
    }

    /// The elements of tensor `index`.
    public func view(_ index: Int) -> TensorView<Scalar> {
        let t = tensors[index]
        return TensorView(slab: values, offset: t.offset, shape: t.shape)
    }

    /// The tensor called `name`, if any.
    public func view(named name: String) -> TensorView<Scalar>? {
        tensors.firstIndex { $0.name == name }.map(view)
    }

    /// The elements of block `index`.
    public func blockBuffer(_ index: Int) -> UnsafeMutableBufferPointer<Scalar> {
        let r = blocks[index].range
        return UnsafeMutableBufferPointer(start: values.base + r.lowerBound, count: r.count)
    }

    /// All elements.
    public var buffer: UnsafeMutableBufferPointer<Scalar> { values.buffer }

    /// A copy of θ.
    public func snapshot() -> [Scalar] { values.array }

    /// Overwrites θ with `newValues` (same count).
    public func assign(_ newValues: [Scalar]) {
        precondition(newValues.count == count, "expected \(count) values, got \(newValues.count)")
        values.base.update(from: newValues, count: count)
    }

    /// True when every element is finite.
    public var isFinite: Bool { values.buffer.allSatisfy { $0.isFinite } }
}

/// Builder for a ``ParameterSet``'s layout: open a block, add its tensors, open the next.
/// Every block must receive at least one tensor.
public struct ParameterLayout: Sendable {
    public private(set) var tensors: [ParameterTensorInfo] = []
    public private(set) var blocks: [ParameterBlockInfo] = []
    public private(set) var count = 0

    public init() {}

    /// Starts a new (empty) block; following `add` calls put tensors in it.
    public mutating func beginBlock(_ name: String, layer: Int? = nil) {
        blocks.append(ParameterBlockInfo(name: name, layer: layer, range: count..<count,
                                         tensors: tensors.count..<tensors.count))
    }

    /// Adds a tensor to the open block and returns its index.
    @discardableResult
    public mutating func add(_ name: String, _ shape: Shape, role: TensorRole) -> Int {
        precondition(!blocks.isEmpty, "call beginBlock before add")
        precondition(!tensors.contains { $0.name == name }, "duplicate tensor name \(name)")
        tensors.append(ParameterTensorInfo(name: name, shape: shape, role: role, block: blocks.count - 1, offset: count))
        count += shape.count
        let open = blocks.removeLast()
        blocks.append(ParameterBlockInfo(name: open.name, layer: open.layer, range: open.range.lowerBound..<count,
                                         tensors: open.tensors.lowerBound..<tensors.count))
        return tensors.count - 1
    }
}
