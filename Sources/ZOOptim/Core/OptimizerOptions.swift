/// The declared hyper-parameter of an optimizer: name, type, default, allowed values, help.
public struct OptionSpec: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        case real, integer, flag, choice
    }

    /// Constraint on a numeric value.
    public enum Bound: Sendable, Hashable, Codable {
        case any
        case positive          // > 0
        case nonNegative       // ≥ 0
        case unitOpen          // [0, 1)
        case unitClosed        // [0, 1]
        case openUnit          // (0, 1)
        case atLeast(Double)

        func check(_ v: Double) -> String? {
            guard v.isFinite else { return "must be a finite number" }
            switch self {
            case .any: return nil
            case .positive: return v > 0 ? nil : "must be > 0"
            case .nonNegative: return v >= 0 ? nil : "must be ≥ 0"
            case .unitOpen: return (0..<1).contains(v) ? nil : "must be in [0, 1)"
            case .unitClosed: return (0...1).contains(v) ? nil : "must be in [0, 1]"
            case .openUnit: return v > 0 && v < 1 ? nil : "must be in (0, 1)"
            case .atLeast(let m): return v >= m ? nil : "must be \(text)"
            }
        }

        var text: String {
            switch self {
            case .any: return "finite"
            case .positive: return "> 0"
            case .nonNegative: return "≥ 0"
            case .unitOpen: return "[0, 1)"
            case .unitClosed: return "[0, 1]"
            case .openUnit: return "(0, 1)"
            case .atLeast(let m): return "≥ " + (m == m.rounded() && abs(m) < 1e15 ? "\(Int(m))" : "\(m)")
            }
        }
    }

    public let name: String
    public let kind: Kind
    /// Default as text ("1e-3", "true", "gaussian").
    public let defaultValue: String
    public let bound: Bound
    /// Allowed values of a `.choice` option.
    public let choices: [String]
    public let help: String

    public static func real(_ name: String, _ defaultValue: Double, _ bound: Bound = .any, _ help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .real, defaultValue: "\(defaultValue)", bound: bound, choices: [], help: help)
    }

    public static func integer(_ name: String, _ defaultValue: Int, _ bound: Bound = .atLeast(1), _ help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .integer, defaultValue: "\(defaultValue)", bound: bound, choices: [], help: help)
    }

    public static func flag(_ name: String, _ defaultValue: Bool, _ help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .flag, defaultValue: "\(defaultValue)", bound: .any, choices: [], help: help)
    }

    public static func choice(_ name: String, _ defaultValue: String, _ choices: [String], _ help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .choice, defaultValue: defaultValue, bound: .any, choices: choices, help: help)
    }

    /// "real > 0", "integer ≥ 1", "one of a|b", "flag".
    public var typeDescription: String {
        switch kind {
        case .real: return "real \(bound.text)"
        case .integer: return "integer \(bound.text)"
        case .flag: return "true|false"
        case .choice: return choices.joined(separator: "|")
        }
    }
}

/// Validated option values for one optimizer: user-supplied text merged over the declared
/// defaults. Unknown names and values that fail their bounds are rejected at construction.
public struct OptimizerOptions: Sendable, Hashable {
    public let optimizer: String
    public let specs: [OptionSpec]
    /// Effective values as text (defaults filled in).
    public let values: [String: String]

    public init(optimizer: String, specs: [OptionSpec], given: [String: String]) throws {
        self.optimizer = optimizer
        self.specs = specs
        var values: [String: String] = [:]
        for spec in specs { values[spec.name] = spec.defaultValue }
        let known = specs.map(\.name)
        for (name, text) in given {
            guard let spec = specs.first(where: { $0.name == name }) else {
                throw OptimizerError.unknownOption(optimizer: optimizer, option: name, known: known)
            }
            try Self.validate(spec, text, optimizer: optimizer)
            values[name] = text
        }
        self.values = values
    }

    static func validate(_ spec: OptionSpec, _ text: String, optimizer: String) throws {
        func fail(_ reason: String) -> OptimizerError {
            .invalidOption(optimizer: optimizer, option: spec.name, reason: "'\(text)' \(reason)")
        }
        switch spec.kind {
        case .real:
            guard let v = Double(text) else { throw fail("is not a number") }
            if let problem = spec.bound.check(v) { throw fail(problem) }
        case .integer:
            guard let v = Int(text) else { throw fail("is not an integer") }
            if let problem = spec.bound.check(Double(v)) { throw fail(problem) }
        case .flag:
            guard ["true", "false"].contains(text.lowercased()) else { throw fail("must be true or false") }
        case .choice:
            guard spec.choices.contains(text) else { throw fail("must be one of \(spec.choices.joined(separator: ", "))") }
        }
    }

    public func real(_ name: String) -> Double {
        guard let t = values[name], let v = Double(t) else { preconditionFailure("undeclared real option \(name)") }
        return v
    }

    public func integer(_ name: String) -> Int {
        guard let t = values[name], let v = Int(t) else { preconditionFailure("undeclared integer option \(name)") }
        return v
    }

    public func flag(_ name: String) -> Bool {
        guard let t = values[name] else { preconditionFailure("undeclared flag option \(name)") }
        return t.lowercased() == "true"
    }

    public func choice(_ name: String) -> String {
        guard let t = values[name] else { preconditionFailure("undeclared choice option \(name)") }
        return t
    }

    /// Throws `invalidOption` for `name` with `reason` (cross-option checks in factories).
    public func invalid(_ name: String, _ reason: String) -> OptimizerError {
        .invalidOption(optimizer: optimizer, option: name, reason: reason)
    }
}
