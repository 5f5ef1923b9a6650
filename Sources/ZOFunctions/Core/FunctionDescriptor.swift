/// Catalog metadata of a test function (independent of the instance's dimension and
/// parameters).
public struct FunctionDescriptor: Hashable, Sendable {
    /// Kebab-case catalog id, e.g. `rosenbrock`, `six-hump-camel`.
    public let id: String
    /// Human-readable name, e.g. `Six-hump camel`.
    public let displayName: String
    /// The formula in plain text / Unicode.
    public let formula: String
    /// What the function is for in ZOLab (one line).
    public let purpose: String
    public let dimensions: DimensionRule
    public let defaultDimension: Int
    /// The minimum value as text (may depend on d), e.g. `0 at x = 1`, `−39.16617·d`.
    public let minimumSummary: String
    /// Parameters the function accepts, with defaults and meaning.
    public let parameters: [ParameterSpec]
    /// Caveats: non-smooth points and which derivative is returned, conventions, reconstruction.
    public let notes: [String]
    /// Where the function comes from.
    public let source: String
    /// True for functions ZOLab defined itself to stand in for a lost original (HiZOO (b), (c)).
    public let isReconstruction: Bool

    public init(id: String, displayName: String, formula: String, purpose: String, dimensions: DimensionRule,
                defaultDimension: Int, minimumSummary: String, parameters: [ParameterSpec] = [],
                notes: [String] = [], source: String, isReconstruction: Bool = false) {
        precondition(dimensions.accepts(defaultDimension), "\(id): default dimension not supported")
        self.id = id
        self.displayName = displayName
        self.formula = formula
        self.purpose = purpose
        self.dimensions = dimensions
        self.defaultDimension = defaultDimension
        self.minimumSummary = minimumSummary
        self.parameters = parameters
        self.notes = notes
        self.source = source
        self.isReconstruction = isReconstruction
    }

    /// True when the function takes `parameter`.
    public func accepts(_ parameter: FunctionParameter) -> Bool {
        parameters.contains { $0.parameter == parameter }
    }
}

/// A parameter a function accepts: which one, its default (as text) and what it does there.
public struct ParameterSpec: Hashable, Sendable {
    public let parameter: FunctionParameter
    public let defaultValue: String
    public let meaning: String

    public init(_ parameter: FunctionParameter, default defaultValue: String, _ meaning: String) {
        self.parameter = parameter
        self.defaultValue = defaultValue
        self.meaning = meaning
    }
}
