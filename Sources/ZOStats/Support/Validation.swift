// Argument checks shared by the module: each throws the matching `StatsError` case.

@inline(__always)
func requireOpenProbability(_ value: Double, _ name: String) throws(StatsError) {
    guard value > 0 && value < 1 else { throw .probabilityOutOfRange(name: name, value: value) }
}

@inline(__always)
func requireClosedProbability(_ value: Double, _ name: String) throws(StatsError) {
    guard value >= 0 && value <= 1 else { throw .probabilityOutOfRange(name: name, value: value) }
}

@inline(__always)
func requirePositive(_ value: Double, _ name: String) throws(StatsError) {
    guard value > 0 && !value.isNaN else {
        throw .invalidParameter(name: name, value: value, requirement: "must be > 0")
    }
}

@inline(__always)
func requirePositiveFinite(_ value: Double, _ name: String) throws(StatsError) {
    guard value > 0 && value.isFinite else {
        throw .invalidParameter(name: name, value: value, requirement: "must be finite and > 0")
    }
}

@inline(__always)
func requireFinite(_ value: Double, _ name: String) throws(StatsError) {
    guard value.isFinite else {
        throw .invalidParameter(name: name, value: value, requirement: "must be finite")
    }
}

/// Throws `.emptySample` / `.nonFiniteData` for a data array.
func requireFiniteSample(_ data: [Double], _ what: String) throws(StatsError) {
    guard !data.isEmpty else { throw .emptySample(what: what) }
    var bad = 0
    for x in data where !x.isFinite { bad += 1 }
    if bad > 0 { throw .nonFiniteData(what: what, count: bad) }
}
