import ZOCore

/// How a ``FunctionObjective`` groups the coordinates of its function into ``ParameterSet``
/// blocks (what block-coordinate methods activate together). Blocks are contiguous ranges
/// covering 0 ..< d in order.
public enum BlockPartition: Hashable, Sendable {
    /// The function's ``TestFunction/naturalBlocks`` (one block for most functions; the
    /// block-heterogeneous quadratic's scale blocks).
    case natural
    /// One block holding every coordinate.
    case single
    /// `count` contiguous blocks whose sizes differ by at most one.
    case equal(Int)
    /// One block per coordinate.
    case coordinates
    /// Explicit contiguous ranges that cover 0 ..< d in order.
    case ranges([Range<Int>])

    /// The blocks for `function`.
    /// - Throws: ``FunctionError/invalidParameter(function:parameter:reason:)`` for a block
    ///   count outside 1 … d or ranges that do not tile 0 ..< d.
    public func blocks(for function: any TestFunction) throws -> [FunctionBlock] {
        let d = function.dimension
        func invalid(_ reason: String) -> FunctionError {
            .invalidParameter(function: function.name, parameter: "block partition", reason: reason)
        }
        switch self {
        case .natural:
            return function.naturalBlocks
        case .single:
            return [FunctionBlock(name: "x", range: 0..<d)]
        case .coordinates:
            return (0..<d).map { FunctionBlock(name: "x\($0)", range: $0..<($0 + 1)) }
        case .equal(let count):
            guard count >= 1 && count <= d else { throw invalid("needs 1 … \(d) blocks, got \(count)") }
            return (0..<count).map { b in
                FunctionBlock(name: "block\(b)", range: (b * d / count)..<((b + 1) * d / count))
            }
        case .ranges(let ranges):
            var next = 0
            for r in ranges {
                guard r.lowerBound == next, !r.isEmpty else {
                    throw invalid("ranges must be non-empty and contiguous from 0; \(r) does not start at \(next)")
                }
                next = r.upperBound
            }
            guard next == d else { throw invalid("ranges cover 0..<\(next), not 0..<\(d)") }
            return ranges.enumerated().map { FunctionBlock(name: "block\($0.offset)", range: $0.element) }
        }
    }

    /// A ``ParameterLayout`` with one block and one tensor (named `x[a..<b]`, or `x` for a
    /// single block) per ``FunctionBlock``.
    static func layout(_ blocks: [FunctionBlock]) -> ParameterLayout {
        var layout = ParameterLayout()
        for block in blocks {
            layout.beginBlock(block.name)
            let tensorName = blocks.count == 1 ? "x" : "x[\(block.range.lowerBound)..<\(block.range.upperBound)]"
            layout.add(tensorName, Shape([block.range.count]), role: .coordinates)
        }
        return layout
    }
}
