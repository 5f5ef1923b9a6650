/// Errors raised by the transformer (configuration, batches, checkpoints' contents).
public enum ModelError: Error, Equatable, CustomStringConvertible {
    /// A configuration or fine-tuning mode is not usable; the message says which field.
    case invalidConfiguration(String)
    /// A batch does not fit the model: wrong sizes, token ids outside the vocabulary, T too long.
    case invalidBatch(String)
    /// A checkpoint tensor is missing.
    case missingTensor(String)
    /// A checkpoint tensor has the wrong shape.
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    /// A checkpoint's tensors imply a configuration that disagrees with the model's.
    case incompatibleCheckpoint(String)
    /// The operation needs something this model does not have (e.g. a backward cache).
    case unavailable(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let why): return "invalid model configuration: \(why)"
        case .invalidBatch(let why): return "invalid batch: \(why)"
        case .missingTensor(let name): return "checkpoint has no tensor \"\(name)\""
        case .shapeMismatch(let name, let expected, let found):
            return "tensor \"\(name)\" has shape \(found), expected \(expected)"
        case .incompatibleCheckpoint(let why): return "checkpoint does not fit the model: \(why)"
        case .unavailable(let what): return "unavailable: \(what)"
        }
    }
}
