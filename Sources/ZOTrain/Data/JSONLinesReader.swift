import Foundation

/// Reads JSON Lines files strictly: every line must be one JSON object with the required
/// fields. All malformed lines are collected with their 1-based line numbers and reported in
/// one ``DatasetError/malformedLines(path:issues:total:)``; a file with any bad line is refused
/// (nothing is dropped silently). A single trailing newline at the end of the file is allowed;
/// any other empty line is an issue.
public enum JSONLinesReader {
    /// A scalar JSON value (nested arrays / objects are reported as unsupported where a field
    /// value is needed; elsewhere they are accepted and ignored).
    enum Value: Decodable {
        case string(String), integer(Int), number(Double), bool(Bool), null, nested

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null; return }
            if let v = try? c.decode(Int.self) { self = .integer(v); return }
            if let v = try? c.decode(Double.self) { self = .number(v); return }
            if let v = try? c.decode(String.self) { self = .string(v); return }
            if let v = try? c.decode(Bool.self) { self = .bool(v); return }
            self = .nested
        }

        var kind: String {
            switch self {
            case .string: return "a string"
            case .integer, .number: return "a number"
            case .bool: return "a boolean"
            case .null: return "null"
            case .nested: return "an array or object"
            }
        }
    }

    /// The lines of `data` (UTF-8), with 1-based numbers; "\r\n" endings are accepted.
    static func lines(_ data: Data, path: String) throws -> [(number: Int, text: Substring)] {
        guard let text = String(data: data, encoding: .utf8) else {
            throw DatasetError.unreadable(path: path, reason: "not UTF-8 text")
        }
        var parts = text.split(separator: "\n", omittingEmptySubsequences: false)
        if parts.last == "" { parts.removeLast() }   // the final newline
        return parts.enumerated().map { i, line in
            (i + 1, line.hasSuffix("\r") ? line.dropLast() : line)
        }
    }

    static func read(_ url: URL) throws -> Data {
        do { return try Data(contentsOf: url) } catch {
            throw DatasetError.unreadable(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Parses each line as a JSON object and hands it to `record`, which returns the parsed
    /// value or a reason the line is bad.
    static func parse<T>(_ data: Data, path: String,
                         record: (_ object: [String: Value], _ line: Int) -> Result<T, LineError>) throws -> [T] {
        var out: [T] = []
        var issues: [LineIssue] = []
        var total = 0
        func report(_ line: Int, _ reason: String) {
            total += 1
            if issues.count < DatasetError.reportedIssueLimit { issues.append(LineIssue(line: line, reason: reason)) }
        }
        let decoder = JSONDecoder()
        for (number, text) in try lines(data, path: path) {
            if text.allSatisfy({ $0 == " " || $0 == "\t" }) { report(number, "empty line"); continue }
            let object: [String: Value]
            do {
                object = try decoder.decode([String: Value].self, from: Data(text.utf8))
            } catch DecodingError.typeMismatch {
                report(number, "not a JSON object")
                continue
            } catch {
                report(number, "bad JSON")
                continue
            }
            switch record(object, number) {
            case .success(let value): out.append(value)
            case .failure(let e): report(number, e.reason)
            }
        }
        if total > 0 { throw DatasetError.malformedLines(path: path, issues: issues, total: total) }
        if out.isEmpty { throw DatasetError.empty(path: path) }
        return out
    }

    struct LineError: Error { let reason: String }

    /// Classification examples of `task` from JSON Lines `data`: one object per line with a
    /// string for every task field and a `label` that is a label name or its index.
    public static func examples(_ data: Data, task: PromptTask, path: String = "<data>") throws -> [LabeledExample] {
        try parse(data, path: path) { object, line in
            var fields: [String: String] = [:]
            var missing: [String] = []
            for field in task.fields {
                switch object[field] {
                case .string(let s)?: fields[field] = s
                case nil: missing.append(field)
                case let other?: return .failure(LineError(reason: "field \"\(field)\" must be a string, found \(other.kind)"))
                }
            }
            guard let labelValue = object["label"] else { missing.append("label"); return .failure(missingFields(missing)) }
            if !missing.isEmpty { return .failure(missingFields(missing)) }
            let label: Int
            switch labelValue {
            case .string(let s):
                guard let i = task.labelIndex(named: s) else {
                    return .failure(LineError(reason: "unknown label \"\(s)\" (\(task.name) labels: \(task.labels.joined(separator: ", ")))"))
                }
                label = i
            case .integer(let i):
                guard i >= 0 && i < task.classCount else {
                    return .failure(LineError(reason: "unknown label \(i) (\(task.name) label indices: 0…\(task.classCount - 1))"))
                }
                label = i
            default:
                return .failure(LineError(reason: "label must be a label name or index, found \(labelValue.kind)"))
            }
            return .success(LabeledExample(fields: fields, label: label, line: line))
        }
    }

    static func missingFields(_ names: [String]) -> LineError {
        LineError(reason: "missing field\(names.count == 1 ? "" : "s") \(names.map { "\"\($0)\"" }.joined(separator: ", "))")
    }

    /// The file at `url` as examples of `task`.
    public static func examples(contentsOf url: URL, task: PromptTask) throws -> [LabeledExample] {
        try examples(try read(url), task: task, path: url.path)
    }

    /// Pre-training documents: one object per line with a string field `text`.
    public static func documents(_ data: Data, path: String = "<data>") throws -> [String] {
        try parse(data, path: path) { object, _ in
            switch object["text"] {
            case .string(let s)?:
                return s.isEmpty ? .failure(LineError(reason: "field \"text\" is empty")) : .success(s)
            case nil: return .failure(missingFields(["text"]))
            case let other?: return .failure(LineError(reason: "field \"text\" must be a string, found \(other.kind)"))
            }
        }
    }

    public static func documents(contentsOf url: URL) throws -> [String] {
        try documents(try read(url), path: url.path)
    }
}
