/// The dimensions of a dense, row-major tensor. `[]` is a scalar (one element).
public struct Shape: Hashable, Codable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
    public let dimensions: [Int]

    /// Creates a shape; every dimension must be ≥ 0 (checked with a precondition: shapes come
    /// from code, and files are validated with ``CoreError/invalidShape(_:)`` before this).
    public init(_ dimensions: [Int]) {
        precondition(dimensions.allSatisfy { $0 >= 0 }, "negative dimension in shape \(dimensions)")
        self.dimensions = dimensions
    }

    public init(arrayLiteral elements: Int...) { self.init(elements) }

    /// Validating initialiser for shapes read from untrusted input.
    public static func validated(_ dimensions: [Int]) throws -> Shape {
        guard dimensions.allSatisfy({ $0 >= 0 }) else { throw CoreError.invalidShape(dimensions) }
        var total = 1
        for d in dimensions {
            let (p, overflow) = total.multipliedReportingOverflow(by: d)
            guard !overflow else { throw CoreError.invalidShape(dimensions) }
            total = p
        }
        return Shape(dimensions)
    }

    public var rank: Int { dimensions.count }
    /// Number of elements (product of the dimensions; 1 for a scalar).
    public var count: Int { dimensions.reduce(1, *) }
    public subscript(axis: Int) -> Int { dimensions[axis] }

    /// Row-major strides in elements.
    public var strides: [Int] {
        var s = [Int](repeating: 1, count: rank)
        var acc = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            s[axis] = acc
            acc *= dimensions[axis]
        }
        return s
    }

    /// The most square (rows, cols) factorisation of `count` with rows ≤ cols — SubZero's
    /// reshaping of vectors into matrices.
    public static func mostSquareFactors(of count: Int) -> (rows: Int, cols: Int) {
        precondition(count > 0)
        var r = Int(Double(count).squareRoot())
        while r > 1 && count % r != 0 { r -= 1 }
        return (max(r, 1), count / max(r, 1))
    }

    public var description: String { "[" + dimensions.map(String.init).joined(separator: "×") + "]" }
}
