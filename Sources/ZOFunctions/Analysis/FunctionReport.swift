/// The text `zolab functions` prints, built here so the CLI stays thin.
public enum FunctionReport {
    /// Header and rows of the catalog listing: name, dimensions, minimum, what it is for.
    public static func listing() -> (header: [String], rows: [[String]]) {
        let rows = FunctionCatalog.descriptors.map { d in
            [d.id, d.dimensions.shortDescription, d.minimumSummary, d.purpose]
        }
        return (["name", "d", "minimum", "what it is for"], rows)
    }

    /// The detailed description of `function` (as built with `parameters`).
    public static func details(_ function: any TestFunction, parameters: FunctionParameters = .init()) -> String {
        let d = function.descriptor
        var lines: [(String, String)] = []
        lines.append(("formula", d.formula))
        lines.append(("dimension", "d = \(function.dimension); supports \(d.dimensions) (default \(d.defaultDimension))"))
        lines.append(("domain", function.domain.description))
        if function.viewDomain != function.domain { lines.append(("view box", function.viewDomain.description)) }
        switch function.minimum {
        case .attained(let value, let points, let note):
            let at = points.prefix(4).map { NumberText.vector($0) }.joined(separator: ", ")
                + (points.count > 4 ? ", … (\(points.count) points)" : "")
            lines.append(("minimum", "\(NumberText.short(value, digits: 10)) at \(at)" + (note.map { " — \($0)" } ?? "")))
        case .unboundedBelow(let note):
            lines.append(("minimum", "none: unbounded below (\(note))"))
        }
        lines.append(("start", function.startPoints.map { NumberText.vector($0) }.joined(separator: "; ")))
        for c in function.criticalPoints.prefix(8) {
            lines.append(("critical", "\(c.kind.rawValue) at \(NumberText.vector(c.point)), f = \(NumberText.short(c.value))"))
        }
        if function.criticalPoints.count > 8 {
            lines.append(("critical", "… \(function.criticalPoints.count - 8) more"))
        }
        for spec in d.parameters {
            let value = Self.value(of: spec.parameter, in: parameters).map { "\($0) (set)" } ?? "\(spec.defaultValue) (default)"
            lines.append(("parameter", "\(spec.parameter.rawValue) = \(value): \(spec.meaning)"))
        }
        if let s = function as? any StochasticTestFunction, let sum = function as? any SumOfTerms {
            lines.append(("stochastic", "minibatches of \(s.batchSize) of \(sum.termCount) terms, weight \(NumberText.short(Double(sum.termCount) / Double(s.batchSize)))"))
        }
        if function.naturalBlocks.count > 1 {
            lines.append(("blocks", function.naturalBlocks.map { "\($0.name) \($0.range)" }.joined(separator: ", ")))
        }
        lines.append(("curvature", curvatureText(function)))
        for note in d.notes { lines.append(("note", note)) }
        lines.append(("source", d.source))
        let width = lines.map(\.0.count).max() ?? 0
        let title = "\(d.id) — \(d.displayName)" + (d.isReconstruction ? "  [RECONSTRUCTION]" : "")
        return ([title] + lines.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 })
            .joined(separator: "\n")
    }

    /// One line on the Hessian at the (first) minimiser, or at the start if there is none.
    public static func curvatureText(_ function: any TestFunction) -> String {
        let (point, place): ([Double], String) = function.minimum.points.first.map { ($0, "minimum") }
            ?? (function.defaultStart, "start")
        let c = CurvatureSummary(function, at: point)
        var parts: [String] = []
        if let ev = c.eigenvalues {
            let shown = ev.count <= 6 ? ev.map { NumberText.short($0, digits: 5) }.joined(separator: ", ")
                : "\(NumberText.short(ev.first!, digits: 5)) … \(NumberText.short(ev.last!, digits: 5))"
            parts.append("eigenvalues \(shown)")
            if let k = c.conditionNumber { parts.append("condition number \(NumberText.short(k, digits: 5))") }
            if let def = c.definiteness, def != .positiveDefinite { parts.append(def.rawValue) }
        }
        if let r = c.diagonalRatio { parts.append("diagonal ratio \(NumberText.short(r, digits: 5))") }
        if c.eigenvalues == nil {
            parts.append("diagonal \(NumberText.short(c.diagonal.min() ?? 0, digits: 5)) … \(NumberText.short(c.diagonal.max() ?? 0, digits: 5))")
        }
        return "at the \(place): " + parts.joined(separator: "; ")
    }

    /// f, ∇f and diag ∇²f at `point` (the point is validated: length and finiteness).
    public static func evaluation(_ function: any TestFunction, at point: [Double]) throws -> String {
        try function.validate(point: point)
        let (f, g) = function.valueAndGradient(point)
        var text = """
        at            \(NumberText.vector(point, digits: 10, limit: 12))
        f             \(NumberText.short(f, digits: 15))
        gradient      \(NumberText.vector(g, digits: 10, limit: 12))
        Hessian diag  \(NumberText.vector(function.hessianDiagonal(point), digits: 10, limit: 12))
        """
        if !function.domain.contains(point) { text += "\nnote          the point lies outside the domain \(function.domain)" }
        return text
    }

    static func value(of parameter: FunctionParameter, in p: FunctionParameters) -> String? {
        switch parameter {
        case .conditionNumber: return p.conditionNumber.map { NumberText.short($0) }
        case .seed: return p.seed.map { String($0) }
        case .blockCount: return p.blockCount.map { String($0) }
        case .batchSize: return p.batchSize.map { String($0) }
        case .sampleCount: return p.sampleCount.map { String($0) }
        case .noiseLevel: return p.noiseLevel.map { NumberText.short($0) }
        case .startOffset: return p.startOffset.map { NumberText.short($0) }
        }
    }
}
