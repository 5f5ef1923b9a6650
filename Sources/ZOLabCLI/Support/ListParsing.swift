import ArgumentParser

/// Parsing of list-valued options shared by the subcommands.
enum ListParsing {
    /// "1.5,-2" → [1.5, -2]; every entry must be a finite number.
    static func numbers(_ text: String, option: String) throws -> [Double] {
        let fields = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        return try fields.enumerated().map { i, field in
            guard let v = Double(field) else { throw ValidationError("\(option): '\(field)' (entry \(i + 1)) is not a number") }
            guard v.isFinite else { throw ValidationError("\(option): entry \(i + 1) is not finite (\(field))") }
            return v
        }
    }

    /// ["lr=0.1", "eps=1e-3"] → ["lr": "0.1", "eps": "1e-3"]; duplicate keys are refused.
    static func assignments(_ items: [String], option: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ValidationError("\(option) expects name=value, got '\(item)'")
            }
            guard result[parts[0]] == nil else { throw ValidationError("\(option): '\(parts[0])' given twice") }
            result[parts[0]] = parts[1]
        }
        return result
    }
}
