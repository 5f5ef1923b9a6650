/// Typed, path-aware access to one JSON object of a preset: every accessor names the key
/// path in its error, and ``requireKnownKeys(_:)`` refuses keys the format does not define.
struct JSONFields {
    let file: String
    /// Key path of this object ("" for the root, "optimizers[1]", "function.domain").
    let path: String
    let fields: [(key: String, value: JSONValue)]

    init(_ value: JSONValue, file: String, path: String) throws {
        guard case .object(let fields) = value else {
            throw PresetError.invalidValue(file: file, path: path.isEmpty ? "(document)" : path,
                                           reason: "expected an object, got \(value.kind)")
        }
        self.file = file
        self.path = path
        self.fields = fields
    }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func invalid(_ key: String, _ reason: String) -> PresetError {
        .invalidValue(file: file, path: keyPath(key), reason: reason)
    }

    /// Throws for the first key not in `known` (the message lists the known keys).
    func requireKnownKeys(_ known: [String]) throws {
        if let bad = fields.first(where: { !known.contains($0.key) }) {
            throw PresetError.unknownKey(file: file, path: keyPath(bad.key), known: known)
        }
    }

    func has(_ key: String) -> Bool { fields.contains { $0.key == key } }

    subscript(key: String) -> JSONValue? { fields.first { $0.key == key }?.value }

    func required(_ key: String) throws -> JSONValue {
        guard let v = self[key] else { throw PresetError.missingKey(file: file, path: keyPath(key)) }
        return v
    }

    func object(_ key: String) throws -> JSONFields? {
        guard let v = self[key] else { return nil }
        return try JSONFields(v, file: file, path: keyPath(key))
    }

    func string(_ key: String) throws -> String? {
        guard let v = self[key] else { return nil }
        guard case .string(let s) = v else { throw invalid(key, "expected a string, got \(v.kind)") }
        return s
    }

    func requiredString(_ key: String) throws -> String {
        guard let s = try string(key) else { throw PresetError.missingKey(file: file, path: keyPath(key)) }
        guard !s.isEmpty else { throw invalid(key, "must not be empty") }
        return s
    }

    func number(_ key: String) throws -> Double? {
        guard let v = self[key] else { return nil }
        return try Self.number(v, file: file, path: keyPath(key))
    }

    static func number(_ v: JSONValue, file: String, path: String) throws -> Double {
        guard case .number(let x, _) = v else {
            throw PresetError.invalidValue(file: file, path: path, reason: "expected a number, got \(v.kind)")
        }
        // The parser already refuses 1e999; this guards values built in code.
        guard x.isFinite else { throw PresetError.invalidValue(file: file, path: path, reason: "must be finite, got \(x)") }
        return x
    }

    func integer(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let x = try number(key) else { return nil }
        guard x == x.rounded(), abs(x) < 1e15 else { throw invalid(key, "expected an integer, got \(x)") }
        let i = Int(x)
        guard range.contains(i) else {
            let bound = range.upperBound == Int.max ? "≥ \(range.lowerBound)" : "in \(range.lowerBound)…\(range.upperBound)"
            throw invalid(key, "must be \(bound), got \(i)")
        }
        return i
    }

    func bool(_ key: String) throws -> Bool? {
        guard let v = self[key] else { return nil }
        guard case .bool(let b) = v else { throw invalid(key, "expected true or false, got \(v.kind)") }
        return b
    }

    func array(_ key: String) throws -> [JSONValue]? {
        guard let v = self[key] else { return nil }
        guard case .array(let a) = v else { throw invalid(key, "expected an array, got \(v.kind)") }
        return a
    }

    /// An array of finite numbers, optionally of exactly `count` elements.
    func numbers(_ key: String, count: Int? = nil) throws -> [Double]? {
        guard let a = try array(key) else { return nil }
        if let count, a.count != count { throw invalid(key, "expected \(count) numbers, got \(a.count)") }
        return try a.enumerated().map { try Self.number($0.element, file: file, path: "\(keyPath(key))[\($0.offset)]") }
    }

    /// A scalar as the text an optimizer or function option takes ("1e-3", "true", "cyclic").
    static func optionText(_ v: JSONValue, file: String, path: String) throws -> String {
        switch v {
        case .number(let x, let text):
            guard x.isFinite else { throw PresetError.invalidValue(file: file, path: path, reason: "must be finite") }
            return text
        case .string(let s):
            guard !s.isEmpty else { throw PresetError.invalidValue(file: file, path: path, reason: "must not be empty") }
            if let x = Double(s), !x.isFinite {
                throw PresetError.invalidValue(file: file, path: path, reason: "must be finite, got \(s)")
            }
            return s
        case .bool(let b): return b ? "true" : "false"
        default:
            throw PresetError.invalidValue(file: file, path: path, reason: "expected a number, string or boolean, got \(v.kind)")
        }
    }
}
