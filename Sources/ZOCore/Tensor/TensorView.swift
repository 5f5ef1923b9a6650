/// A named region of a ``Slab`` with a shape: the tensors of a model are views into one slab.
///
/// A view keeps its slab alive, so `pointer` stays valid as long as the view does.
public struct TensorView<Scalar: ZOScalar>: @unchecked Sendable {
    public let slab: Slab<Scalar>
    /// Offset of the first element within the slab.
    public let offset: Int
    public let shape: Shape

    public init(slab: Slab<Scalar>, offset: Int, shape: Shape) {
        precondition(offset >= 0 && offset + shape.count <= slab.count,
                      "view [\(offset), \(offset + shape.count)) outside slab of \(slab.count)")
        self.slab = slab
        self.offset = offset
        self.shape = shape
    }

    /// A fresh slab holding exactly this shape.
    public init(zeros shape: Shape) {
        self.init(slab: Slab(count: shape.count), offset: 0, shape: shape)
    }

    public var count: Int { shape.count }
    public var pointer: UnsafeMutablePointer<Scalar> { slab.base + offset }
    public var buffer: UnsafeMutableBufferPointer<Scalar> { UnsafeMutableBufferPointer(start: pointer, count: count) }
    public var array: [Scalar] { Array(buffer) }

    public subscript(index: Int) -> Scalar {
        get { precondition(index >= 0 && index < count); return pointer[index] }
        nonmutating set { precondition(index >= 0 && index < count); pointer[index] = newValue }
    }

    /// Element (row, col) of a rank-2 view.
    public subscript(row: Int, col: Int) -> Scalar {
        get {
            precondition(shape.rank == 2 && row >= 0 && row < shape[0] && col >= 0 && col < shape[1])
            return pointer[row * shape[1] + col]
        }
        nonmutating set {
            precondition(shape.rank == 2 && row >= 0 && row < shape[0] && col >= 0 && col < shape[1])
            pointer[row * shape[1] + col] = newValue
        }
    }

    /// The same elements under another shape with the same count.
    public func reshaped(_ newShape: Shape) -> TensorView {
        precondition(newShape.count == count, "reshape \(shape) -> \(newShape) changes the element count")
        return TensorView(slab: slab, offset: offset, shape: newShape)
    }

    /// Rows [start, start + length) of the leading axis.
    public func rows(_ start: Int, _ length: Int) -> TensorView {
        precondition(shape.rank >= 1 && start >= 0 && start + length <= shape[0])
        let inner = shape.count / max(shape[0], 1)
        return TensorView(slab: slab, offset: offset + start * inner,
                          shape: Shape([length] + Array(shape.dimensions.dropFirst())))
    }
}

/// Assigns offsets to named tensors in one slab: `add` returns the offset; build the slab
/// with `count` elements and take views at the recorded offsets. Offsets are padded to
/// `alignment` elements (default 16 = 64 bytes of Float) so every tensor starts aligned.
public struct SlabLayout: Sendable {
    public struct Entry: Sendable, Hashable, Codable {
        public let name: String
        public let shape: Shape
        public let offset: Int
    }

    public private(set) var entries: [Entry] = []
    public private(set) var count = 0
    public let alignment: Int

    public init(alignment: Int = 16) {
        precondition(alignment >= 1)
        self.alignment = alignment
    }

    @discardableResult
    public mutating func add(_ name: String, _ shape: Shape) -> Int {
        let offset = (count + alignment - 1) / alignment * alignment
        entries.append(Entry(name: name, shape: shape, offset: offset))
        count = offset + shape.count
        return offset
    }

    public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }
}
