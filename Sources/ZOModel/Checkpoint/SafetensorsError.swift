/// Errors reading or writing a safetensors file. Every malformed input maps to one of these;
/// the reader never traps on file contents.
public enum SafetensorsError: Error, Equatable, CustomStringConvertible {
    /// The file is shorter than its 8-byte length prefix or than the header it announces.
    case truncated(expected: Int, actual: Int)
    /// The announced header length is beyond any sane size (limit in the message).
    case headerTooLarge(length: UInt64, limit: Int)
    /// The header is not UTF-8 JSON of the safetensors form.
    case invalidHeader(String)
    /// A tensor's dtype is not one ZOLab reads.
    case unsupportedDType(tensor: String, dtype: String)
    /// A tensor's shape is not a list of non-negative integers whose product fits.
    case invalidShape(tensor: String, shape: [Int])
    /// A tensor's data_offsets are not 0 ≤ begin ≤ end ≤ data size.
    case offsetsOutOfRange(tensor: String, begin: Int, end: Int, dataSize: Int)
    /// A tensor's byte count disagrees with shape × dtype size.
    case sizeMismatch(tensor: String, expectedBytes: Int, actualBytes: Int)
    /// Two tensors' byte ranges overlap.
    case overlappingTensors(String, String)
    /// Bytes `begin..<end` of the data section belong to no tensor (a gap or trailing bytes).
    case uncoveredData(begin: Int, end: Int)
    /// No tensor of that name.
    case missingTensor(String)
    /// A tensor name is given twice when writing.
    case duplicateTensor(String)
    /// Reading or writing the file failed.
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .truncated(let expected, let actual):
            return "safetensors file is truncated: needs \(expected) bytes, has \(actual)"
        case .headerTooLarge(let length, let limit):
            return "safetensors header length \(length) is absurd (limit \(limit) bytes): not a safetensors file?"
        case .invalidHeader(let why): return "invalid safetensors header: \(why)"
        case .unsupportedDType(let t, let d): return "tensor \"\(t)\" has unsupported dtype \(d) (supported: F32, F16, BF16, F64, I32, I64, U8, BOOL)"
        case .invalidShape(let t, let s): return "tensor \"\(t)\" has invalid shape \(s)"
        case .offsetsOutOfRange(let t, let b, let e, let n):
            return "tensor \"\(t)\" has data_offsets [\(b), \(e)] outside the \(n)-byte data section"
        case .sizeMismatch(let t, let expected, let actual):
            return "tensor \"\(t)\" spans \(actual) bytes but its shape and dtype need \(expected)"
        case .overlappingTensors(let a, let b): return "tensors \"\(a)\" and \"\(b)\" overlap in the data section"
        case .uncoveredData(let b, let e):
            return "bytes \(b)..<\(e) of the data section belong to no tensor (the header's offsets or length are wrong)"
        case .missingTensor(let t): return "no tensor \"\(t)\" in the safetensors file"
        case .duplicateTensor(let t): return "tensor \"\(t)\" is written twice"
        case .io(let path, let reason): return "\(path): \(reason)"
        }
    }
}
