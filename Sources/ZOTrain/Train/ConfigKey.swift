import Foundation

/// One overridable field of a configuration struct (nanoGPT's `configurator.py`, typed):
/// its name as written on the command line (`--set name=value`), what it means, and how to
/// read and write it. Unknown names and values that do not parse or are out of range are
/// refused — a mistyped override never silently does nothing.
public struct ConfigKey<Config> {
    public let name: String
    public let help: String
    let get: (Config) -> String
    let set: (inout Config, String) throws -> Void

    public init(_ name: String, _ help: String, get: @escaping (Config) -> String,
                set: @escaping (inout Config, String) throws -> Void) {
        self.name = name
        self.help = help
        self.get = get
        self.set = set
    }

    /// An integer field with an allowed range.
    public static func int(_ name: String, _ path: WritableKeyPath<Config, Int>, _ range: ClosedRange<Int>, _ help: String) -> ConfigKey {
        ConfigKey(name, help, get: { "\($0[keyPath: path])" }) { c, text in
            guard let v = Int(text) else { throw TrainError.invalidSetting("\(name) must be an integer, got '\(text)'") }
            guard range.contains(v) else { throw TrainError.invalidSetting("\(name) must be in \(range.lowerBound)…\(range.upperBound), got \(v)") }
            c[keyPath: path] = v
        }
    }

    public static func seed(_ name: String, _ path: WritableKeyPath<Config, UInt64>, _ help: String) -> ConfigKey {
        ConfigKey(name, help, get: { "\($0[keyPath: path])" }) { c, text in
            guard let v = UInt64(text) else { throw TrainError.invalidSetting("\(name) must be a non-negative integer, got '\(text)'") }
            c[keyPath: path] = v
        }
    }

    public static func double(_ name: String, _ path: WritableKeyPath<Config, Double>, _ range: ClosedRange<Double>, _ help: String) -> ConfigKey {
        ConfigKey(name, help, get: { "\($0[keyPath: path])" }) { c, text in
            guard let v = Double(text), v.isFinite else { throw TrainError.invalidSetting("\(name) must be a finite number, got '\(text)'") }
            guard range.contains(v) else { throw TrainError.invalidSetting("\(name) must be in [\(range.lowerBound), \(range.upperBound)], got \(v)") }
            c[keyPath: path] = v
        }
    }

    public static func text(_ name: String, _ path: WritableKeyPath<Config, String>, choices: [String]? = nil, _ help: String) -> ConfigKey {
        ConfigKey(name, help, get: { $0[keyPath: path] }) { c, text in
            guard !text.isEmpty else { throw TrainError.invalidSetting("\(name) must not be empty") }
            if let choices, !choices.contains(text) {
                throw TrainError.invalidSetting("\(name) must be one of \(choices.joined(separator: ", ")), got '\(text)'")
            }
            c[keyPath: path] = text
        }
    }
}

/// Applying `name=value` overrides to a configuration.
public enum ConfigOverrides {
    /// Applies `assignments` in order. Unknown names throw ``TrainError/unknownSetting(_:suggestion:known:)``
    /// (with the closest known name by edit distance); bad values throw ``TrainError/invalidSetting(_:)``.
    public static func apply<C>(_ assignments: [(String, String)], to config: inout C, keys: [ConfigKey<C>]) throws {
        for (name, value) in assignments {
            let normalised = name.replacingOccurrences(of: "-", with: "_")
            guard let key = keys.first(where: { $0.name == normalised }) else {
                throw TrainError.unknownSetting(name, suggestion: closest(normalised, among: keys.map(\.name)), known: keys.map(\.name))
            }
            try key.set(&config, value)
        }
    }

    /// Parses ["a=1", "b=x"]; a missing "=" or a name given twice is refused.
    public static func parse(_ items: [String]) throws -> [(String, String)] {
        var seen = Set<String>()
        return try items.map { item in
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { throw TrainError.invalidSetting("expected name=value, got '\(item)'") }
            guard seen.insert(parts[0]).inserted else { throw TrainError.invalidSetting("'\(parts[0])' is set twice") }
            return (parts[0], parts[1])
        }
    }

    /// The documented listing: name, current value, help.
    public static func listing<C>(_ config: C, keys: [ConfigKey<C>]) -> [(name: String, value: String, help: String)] {
        keys.map { ($0.name, $0.get(config), $0.help) }
    }

    static func closest(_ name: String, among names: [String]) -> String? {
        let scored = names.map { ($0, editDistance(name, $0)) }.min { $0.1 < $1.1 }
        guard let best = scored, best.1 <= max(2, name.count / 3) else { return nil }
        return best.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}
