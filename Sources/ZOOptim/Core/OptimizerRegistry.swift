import ZOCore

/// Describes one optimizer for the registry: its id, a one-line summary, its options, and a
/// factory generic over the scalar type.
public protocol OptimizerFactory {
    /// Registry id (kebab-case), e.g. "mezo", "hizoo-l".
    static var name: String { get }
    /// One line for `zolab optimizers`.
    static var summary: String { get }
    /// "zeroth-order", "first-order" or "oracle".
    static var family: OptimizerFamily { get }
    static var options: [OptionSpec] { get }
    /// True when the method needs the objective's exact Hessian (the Newton oracles); such a
    /// method cannot train an objective that only has gradients (the transformer).
    static var needsExactHessian: Bool { get }
    /// Builds the optimizer for `parameters` (validated options; cross-option and
    /// shape-dependent checks — e.g. rank larger than a matrix — throw here).
    static func make<S: ZOScalar>(_ options: OptimizerOptions, parameters: ParameterSet<S>) throws -> any Optimizer<S>
}

extension OptimizerFactory {
    public static var needsExactHessian: Bool { false }
}

public enum OptimizerFamily: String, Sendable, Codable, CaseIterable {
    case zerothOrder = "zeroth-order"
    case firstOrder = "first-order"
    case oracle = "oracle"
}

/// All optimizers by name.
public enum OptimizerRegistry {
    /// Every registered factory, in listing order. Add new methods here.
    public static var factories: [any OptimizerFactory.Type] = [
        MeZOFactory.self,
        ZOSGDMomentumFactory.self,
        ZOSGDConservativeFactory.self,
        ZOSGDSignFactory.self,
        ZOAdamFactory.self,
        HiZOOFactory.self,
        HiZOOMultiFactory.self,
        HiZOOLFactory.self,
        SparseMeZOFactory.self,
        SubZeroFactory.self,
        BlockCoordinateDescentFactory.self,
        BPDFFactory.self,
        BCDAdamFactory.self,
        SGDFactory.self,
        AdamFactory.self,
        AdamWFactory.self,
        GradientDescentFactory.self,
        NewtonFactory.self,
        DiagonalNewtonFactory.self,
    ]

    public static var names: [String] { factories.map { $0.name } }

    public static func factory(named name: String) throws -> any OptimizerFactory.Type {
        let key = name.lowercased()
        guard let f = factories.first(where: { $0.name == key }) else {
            throw OptimizerError.unknownOptimizer(name, known: names)
        }
        return f
    }

    /// Builds optimizer `name` with `options` (text values) for `parameters`.
    public static func make<S: ZOScalar>(
        _ name: String, options: [String: String] = [:], parameters: ParameterSet<S>
    ) throws -> any Optimizer<S> {
        let f = try factory(named: name)
        let validated = try OptimizerOptions(optimizer: f.name, specs: f.options, given: options)
        return try f.make(validated, parameters: parameters)
    }
}
