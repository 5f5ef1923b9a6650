import Foundation

/// Name normalisation and "did you mean" suggestions for the catalog.
enum NameMatching {
    /// Lowercased, trimmed, with `_`, spaces, `–` and `—` turned into `-`.
    static func normalised(_ name: String) -> String {
        var s = name.lowercased()
        for separator in ["_", " ", "–", "—"] { s = s.replacingOccurrences(of: separator, with: "-") }
        return s.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }

    /// The normalised name without separators (`sixhumpcamel`).
    static func compact(_ name: String) -> String {
        normalised(name).replacingOccurrences(of: "-", with: "")
    }

    /// Up to `limit` names from `candidates` close to `name`: those containing it (or
    /// contained in it), then those within an edit distance of max(2, ⌊len/3⌋), closest first.
    static func suggestions(for name: String, among candidates: [String], limit: Int = 3) -> [String] {
        let key = compact(name)
        guard !key.isEmpty else { return [] }
        let scored: [(String, Int)] = candidates.compactMap { candidate in
            let c = compact(candidate)
            if key.count >= 3 && (c.contains(key) || key.contains(c)) { return (candidate, 0) }
            let distance = editDistance(key, c)
            return distance <= max(2, key.count / 3) ? (candidate, distance) : nil
        }
        return scored.sorted { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.prefix(limit).map(\.0)
    }

    /// Levenshtein distance (unit costs).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
