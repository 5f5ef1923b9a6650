/// What is known about a function's global minimum.
public enum GlobalMinimum: Hashable, Sendable {
    /// min f = `value`, attained at `points` (all of them when `note` does not say otherwise).
    case attained(value: Double, points: [[Double]], note: String?)
    /// inf f = −∞ (e.g. Powell's 1973 function: f(t, t, t) = 3 − 6t for t ≥ 1).
    case unboundedBelow(note: String)

    /// The minimum value, nil when f is unbounded below.
    public var value: Double? {
        if case .attained(let v, _, _) = self { return v }
        return nil
    }

    /// The known minimisers (empty when unbounded below).
    public var points: [[Double]] {
        if case .attained(_, let p, _) = self { return p }
        return []
    }

    /// The caveat attached to the minimum, if any.
    public var note: String? {
        switch self {
        case .attained(_, _, let note): return note
        case .unboundedBelow(let note): return note
        }
    }
}

/// A stationary point other than the global minimisers, for plots and tests.
public struct CriticalPoint: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case localMinimum = "local minimum"
        case saddle
        case localMaximum = "local maximum"
    }

    public let kind: Kind
    public let point: [Double]
    public let value: Double

    public init(_ kind: Kind, _ point: [Double], value: Double) {
        self.kind = kind
        self.point = point
        self.value = value
    }
}
