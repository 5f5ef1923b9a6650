/// The parameters a catalog function may take. Their command-line names are the raw values.
public enum FunctionParameter: String, CaseIterable, Hashable, Sendable {
    /// κ: the condition number of the quadratics; the span of block scales of the
    /// block-heterogeneous quadratic.
    case conditionNumber = "kappa"
    /// Seed of the random data (rotation, least-squares data, block scales, minibatches).
    case seed
    /// Number of coordinate blocks.
    case blockCount = "blocks"
    /// Minibatch size (terms per batch) of a stochastic function.
    case batchSize = "batch-size"
    /// Rows n of the least-squares data.
    case sampleCount = "samples"
    /// Standard deviation σ of the least-squares label noise.
    case noiseLevel = "noise"
    /// ε of Powell's 1973 start point (−1−ε, 1+ε/2, −1−ε/4).
    case startOffset = "epsilon"
}

/// Values for a function's parameters; nil means the function's default. Setting a
/// parameter the function does not take is an error (``FunctionError/invalidParameter(function:parameter:reason:)``),
/// so a mistyped override is never silently ignored.
public struct FunctionParameters: Hashable, Sendable {
    public var conditionNumber: Double?
    public var seed: UInt64?
    public var blockCount: Int?
    public var batchSize: Int?
    public var sampleCount: Int?
    public var noiseLevel: Double?
    public var startOffset: Double?

    public init(conditionNumber: Double? = nil, seed: UInt64? = nil, blockCount: Int? = nil, batchSize: Int? = nil,
                sampleCount: Int? = nil, noiseLevel: Double? = nil, startOffset: Double? = nil) {
        self.conditionNumber = conditionNumber
        self.seed = seed
        self.blockCount = blockCount
        self.batchSize = batchSize
        self.sampleCount = sampleCount
        self.noiseLevel = noiseLevel
        self.startOffset = startOffset
    }

    /// The parameters that are set.
    public var setParameters: [FunctionParameter] {
        var set: [FunctionParameter] = []
        if conditionNumber != nil { set.append(.conditionNumber) }
        if seed != nil { set.append(.seed) }
        if blockCount != nil { set.append(.blockCount) }
        if batchSize != nil { set.append(.batchSize) }
        if sampleCount != nil { set.append(.sampleCount) }
        if noiseLevel != nil { set.append(.noiseLevel) }
        if startOffset != nil { set.append(.startOffset) }
        return set
    }
}

/// Parameter checks shared by the function initialisers.
enum ParameterCheck {
    /// `value` must be finite and ≥ `minimum`.
    static func finite(_ value: Double, atLeast minimum: Double, _ parameter: FunctionParameter,
                       function: String) throws {
        guard value.isFinite else {
            throw FunctionError.nonFiniteInput("\(function): parameter \(parameter.rawValue) (\(value))")
        }
        guard value >= minimum else {
            throw FunctionError.invalidParameter(function: function, parameter: parameter.rawValue,
                                                 reason: "must be ≥ \(NumberText.short(minimum)), got \(NumberText.short(value))")
        }
    }

    /// `value` must lie in `range`.
    static func integer(_ value: Int, in range: ClosedRange<Int>, _ parameter: FunctionParameter,
                        function: String) throws {
        guard range.contains(value) else {
            let bound = range.upperBound == Int.max ? "≥ \(range.lowerBound)" : "in \(range.lowerBound)…\(range.upperBound)"
            throw FunctionError.invalidParameter(function: function, parameter: parameter.rawValue,
                                                 reason: "must be \(bound), got \(value)")
        }
    }

    /// Throws unless `rule` accepts `dimension`.
    static func dimension(_ dimension: Int, _ rule: DimensionRule, function: String) throws {
        guard rule.accepts(dimension) else {
            throw FunctionError.unsupportedDimension(function: function, requested: dimension, supported: rule)
        }
    }
}
