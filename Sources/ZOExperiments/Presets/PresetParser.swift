import Foundation
import ZOFunctions
import ZOOptim
import ZOPlot

/// Reads a figure preset (JSON, format in `docs/gallery.md`) into a validated
/// ``FigurePreset``. Refuses — naming the file and the key path — unknown keys at any level,
/// missing required keys, wrong types, non-finite numbers, empty or degenerate domains,
/// start points of the wrong length, unknown functions and optimizers and their invalid
/// options (the catalogs' own messages), and settings that contradict each other.
public enum PresetParser {
    static let rootKeys = ["id", "title", "description", "output", "size", "layout", "function", "functions", "optimizers",
                           "steps", "seed", "tolerance", "loss", "animation", "gnuplot"]
    static let functionKeys = ["name", "dimension", "parameters", "start", "domain", "levels", "views", "through",
                               "partition", "label", "resolution"]
    static let optimizerKeys = ["name", "options", "search", "label", "partition"]
    static let searchKeys = ["criterion", "range", "horizon", "budget", "seed"]

    /// Reads and parses the preset at `path` (as given: messages quote it).
    public static func load(path: String) throws -> FigurePreset {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw PresetError.io(path: path, reason: "cannot read the preset (\(error.localizedDescription))")
        }
        var preset = try parse(text, file: path)
        preset.source = path
        return preset
    }

    /// Parses preset text; `file` names it in messages.
    public static func parse(_ text: String, file: String) throws -> FigurePreset {
        let document: JSONValue
        do {
            document = try JSONParser.parse(text)
        } catch let e as JSONSyntaxError {
            throw PresetError.syntax(file: file, e)
        }
        let root = try JSONFields(document, file: file, path: "")
        try root.requireKnownKeys(rootKeys)

        let id = try root.requiredString("id")
        guard id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw root.invalid("id", "use letters, digits, '-' and '_' only, got \"\(id)\"")
        }
        let output = try root.requiredString("output")
        try checkPNGPath(output, root, "output")
        guard let steps = try root.integer("steps", in: 1...1_000_000) else { throw PresetError.missingKey(file: file, path: "steps") }
        let seed = try root.integer("seed", in: 0...(1 << 53)) ?? 0
        let layout: FigureLayout
        if let name = try root.string("layout") {
            guard let l = FigureLayout(rawValue: name) else {
                throw root.invalid("layout", "unknown layout \"\(name)\"; known: \(FigureLayout.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            layout = l
        } else {
            layout = .contour
        }

        // Functions: "function" (one) or "functions" (rows).
        var functionValues: [(JSONValue, String)] = []
        switch (root["function"], try root.array("functions")) {
        case (let one?, nil): functionValues = [(one, "function")]
        case (nil, let many?):
            guard !many.isEmpty else { throw root.invalid("functions", "needs at least one function") }
            functionValues = many.enumerated().map { ($0.element, "functions[\($0.offset)]") }
        case (.some, .some): throw root.invalid("functions", "give either \"function\" or \"functions\", not both")
        case (nil, nil): throw PresetError.missingKey(file: file, path: "function")
        }
        let functions = try functionValues.map { try parseFunction($0.0, file: file, path: $0.1, layout: layout) }

        guard let optimizerValues = try root.array("optimizers") else { throw PresetError.missingKey(file: file, path: "optimizers") }
        guard !optimizerValues.isEmpty else { throw root.invalid("optimizers", "needs at least one optimizer") }
        let optimizers = try optimizerValues.enumerated().map {
            try parseOptimizer($0.element, file: file, path: "optimizers[\($0.offset)]", functions: functions)
        }

        var preset = FigurePreset(id: id, output: output, functions: functions, optimizers: optimizers,
                                  steps: steps, seed: UInt64(seed), layout: layout)
        preset.title = try root.string("title")
        preset.description = try root.string("description")
        if let size = try size(root, "size") { (preset.width, preset.height) = size }
        if let tol = try root.number("tolerance") {
            guard tol > 0 else { throw root.invalid("tolerance", "must be > 0, got \(tol)") }
            preset.tolerance = tol
        }
        if let loss = try root.object("loss") { preset.lossPanel = try parseLoss(loss, functions: functions) }
        if preset.lossPanel.metric == .distance {
            for (k, f) in functions.enumerated() where try f.make().minimum.points.isEmpty {
                throw root.invalid("loss.metric", "distance needs known minimisers, and \(functionValues[k].1) (\(f.name)) has none")
            }
        }
        if let a = try root.object("animation") {
            try a.requireKnownKeys(["output", "frames", "size"])
            var spec = AnimationSpec(output: try a.requiredString("output"))
            try checkPNGPath(spec.output, a, "output")
            spec.frames = try a.integer("frames", in: 2...240) ?? spec.frames
            if let s = try size(a, "size") { (spec.width, spec.height) = s }
            guard layout != .loss else { throw a.invalid("output", "an animation needs a contour panel (layout \"loss\" has none)") }
            preset.animation = spec
        }
        if let g = try root.object("gnuplot") {
            try g.requireKnownKeys(["output", "size"])
            var spec = GnuplotSpec(output: try g.requiredString("output"))
            try checkPNGPath(spec.output, g, "output")
            if let s = try size(g, "size") { (spec.width, spec.height) = s }
            preset.gnuplot = spec
        }
        let outputs = [preset.output, preset.animation?.output, preset.gnuplot?.output].compactMap { $0 }
        guard Set(outputs).count == outputs.count else {
            throw root.invalid("output", "the figure, animation and gnuplot outputs must be different files")
        }
        return preset
    }

    // MARK: Parts

    static func checkPNGPath(_ path: String, _ fields: JSONFields, _ key: String) throws {
        guard path.lowercased().hasSuffix(".png") else { throw fields.invalid(key, "must end in .png, got \"\(path)\"") }
        guard !path.split(separator: "/").contains("..") else { throw fields.invalid(key, "must not contain '..'") }
    }

    static func size(_ fields: JSONFields, _ key: String) throws -> (Int, Int)? {
        guard let s = try fields.numbers(key, count: 2) else { return nil }
        for (i, v) in s.enumerated() where !(v == v.rounded() && v >= 100 && v <= 4000) {
            throw PresetError.invalidValue(file: fields.file, path: "\(fields.keyPath(key))[\(i)]",
                                           reason: "must be an integer number of pixels in 100…4000, got \(v)")
        }
        return (Int(s[0]), Int(s[1]))
    }

    static func parseFunction(_ value: JSONValue, file: String, path: String, layout: FigureLayout) throws -> FigureFunction {
        let o = try JSONFields(value, file: file, path: path)
        try o.requireKnownKeys(functionKeys)
        var spec = FigureFunction(name: try o.requiredString("name"))
        spec.dimension = try o.integer("dimension", in: 1...1_000_000)
        if let p = try o.object("parameters") { spec.parameters = try parseFunctionParameters(p) }
        let function: any TestFunction
        do {
            function = try spec.make()
        } catch let e as FunctionError {
            let key: String
            switch e {
            case .unknownFunction: key = "name"
            case .unsupportedDimension: key = "dimension"
            default: key = "parameters"
            }
            throw PresetError.catalog(file: file, path: o.keyPath(key), message: e.description)
        }
        let d = function.dimension
        if let start = try o.numbers("start") {
            guard start.count == d else { throw o.invalid("start", "\(function.name) has d = \(d) coordinates, the start has \(start.count)") }
            spec.start = start
        }
        if let through = try o.numbers("through") {
            guard through.count == d else { throw o.invalid("through", "\(function.name) has d = \(d) coordinates, the point has \(through.count)") }
            spec.slicePoint = through
        }
        spec.label = try o.string("label")
        spec.resolution = try o.integer("resolution", in: 20...1200) ?? spec.resolution
        if let p = try parsePartition(o, file: file, functions: [{ function }]) { spec.partition = p }
        if let views = try o.array("views") {
            guard !views.isEmpty else { throw o.invalid("views", "needs at least one pair of coordinates") }
            spec.views = try views.enumerated().map { k, v in
                let p = "\(o.keyPath("views"))[\(k)]"
                guard case .array(let pair) = v, pair.count == 2 else {
                    throw PresetError.invalidValue(file: file, path: p, reason: "expected a pair of coordinate indices [i, j]")
                }
                let ij = try pair.map { try JSONFields.number($0, file: file, path: p) }
                guard ij.allSatisfy({ $0 == $0.rounded() && $0 >= 0 && $0 < Double(d) }), ij[0] != ij[1] else {
                    throw PresetError.invalidValue(file: file, path: p, reason: "needs two different coordinate indices in 0…\(d - 1)")
                }
                return ij.map { Int($0) }
            }
        }
        if layout != .loss {
            guard d >= 2 else { throw o.invalid("name", "\(function.name) has d = 1: use layout \"loss\"") }
            guard d <= FigureRunner.trajectoryLimit else {
                throw o.invalid("dimension", "trajectories are recorded for d ≤ \(FigureRunner.trajectoryLimit), got \(d): use layout \"loss\"")
            }
        }
        if let domain = try o.object("domain") {
            try domain.requireKnownKeys(["x", "y"])
            func range(_ key: String) throws -> ClosedRange<Double> {
                guard let r = try domain.numbers(key, count: 2) else { throw PresetError.missingKey(file: file, path: domain.keyPath(key)) }
                guard r[1] > r[0] else {
                    throw domain.invalid(key, "empty or degenerate range [\(r[0]), \(r[1])]: needs lower < upper")
                }
                guard (r[1] - r[0]).isFinite else { throw domain.invalid(key, "range [\(r[0]), \(r[1])] is too wide") }
                return r[0]...r[1]
            }
            spec.domain = (try range("x"), try range("y"))
        }
        if let levels = try o.object("levels") {
            try levels.requireKnownKeys(["scale", "count", "minimum"])
            if let s = try levels.string("scale") {
                guard let scale = LevelSpec.Scale(rawValue: s) else { throw levels.invalid("scale", "must be linear or log, got \"\(s)\"") }
                spec.levels.scale = scale
            }
            spec.levels.count = try levels.integer("count", in: 2...200) ?? spec.levels.count
            if let m = try levels.number("minimum") {
                guard m > 0 else { throw levels.invalid("minimum", "must be > 0, got \(m)") }
                guard spec.levels.scale == .log else { throw levels.invalid("minimum", "applies to log levels only") }
                spec.levels.minimum = m
            }
        }
        return spec
    }

    /// The optional `partition` key of `o` (a function's or an optimizer's), checked against each
    /// function it will split: nil when absent. A function that cannot be split (or built) that way
    /// is reported at the key's path.
    static func parsePartition(_ o: JSONFields, file: String, functions: [() throws -> any TestFunction]) throws -> BlockPartition? {
        guard let partition = try o.string("partition") else { return nil }
        guard let p = BlockPartition(text: partition) else {
            throw o.invalid("partition", "must be natural, single, coordinates or equal:K (K ≥ 1), got \"\(partition)\"")
        }
        for make in functions {
            do { _ = try p.blocks(for: try make()) } catch let e as FunctionError {
                throw PresetError.catalog(file: file, path: o.keyPath("partition"), message: e.description)
            }
        }
        return p
    }

    static func parseFunctionParameters(_ o: JSONFields) throws -> FunctionParameters {
        try o.requireKnownKeys(FunctionParameter.allCases.map(\.rawValue))
        var p = FunctionParameters()
        p.conditionNumber = try o.number(FunctionParameter.conditionNumber.rawValue)
        p.seed = try o.integer(FunctionParameter.seed.rawValue, in: 0...(1 << 53)).map(UInt64.init)
        p.blockCount = try o.integer(FunctionParameter.blockCount.rawValue, in: 1...1_000_000)
        p.batchSize = try o.integer(FunctionParameter.batchSize.rawValue, in: 1...Int.max)
        p.sampleCount = try o.integer(FunctionParameter.sampleCount.rawValue, in: 1...Int.max)
        p.noiseLevel = try o.number(FunctionParameter.noiseLevel.rawValue)
        p.startOffset = try o.number(FunctionParameter.startOffset.rawValue)
        return p
    }

    static func parseOptimizer(_ value: JSONValue, file: String, path: String, functions: [FigureFunction]) throws -> FigureOptimizer {
        let o = try JSONFields(value, file: file, path: path)
        try o.requireKnownKeys(optimizerKeys)
        var spec = FigureOptimizer(name: try o.requiredString("name").lowercased())
        spec.label = try o.string("label")
        if let options = try o.object("options") {
            for (key, v) in options.fields {
                spec.options[key] = try JSONFields.optionText(v, file: file, path: options.keyPath(key))
            }
        }
        if let p = try parsePartition(o, file: file, functions: functions.map { f in { try f.make() } }) { spec.partition = p }
        if spec.isExactCoordinateDescent {
            guard spec.options.isEmpty else { throw o.invalid("options", "\(ExactCoordinateDescent.methodName) takes no options") }
            guard !o.has("search") else { throw o.invalid("search", "\(ExactCoordinateDescent.methodName) has no learning rate") }
            for f in functions {
                let function = try f.make()
                guard ExactCoordinateDescent.supports(function) else {
                    throw o.invalid("name", "\(ExactCoordinateDescent.methodName) has a closed form only for "
                                    + ExactCoordinateDescent.supportedFunctions.joined(separator: ", ") + "; not for \(function.name)")
                }
            }
            return spec
        }
        let factory: any OptimizerFactory.Type
        do {
            factory = try OptimizerRegistry.factory(named: spec.name)
        } catch let e as OptimizerError {
            let known = (OptimizerRegistry.names + [ExactCoordinateDescent.methodName]).joined(separator: ", ")
            if case .unknownOptimizer(let name, _) = e {
                throw PresetError.catalog(file: file, path: o.keyPath("name"), message: "unknown optimizer '\(name)'; known: \(known)")
            }
            throw PresetError.catalog(file: file, path: o.keyPath("name"), message: e.description)
        }
        do {
            _ = try OptimizerOptions(optimizer: factory.name, specs: factory.options, given: spec.options)
        } catch let e as OptimizerError {
            var key = "options"
            if case .unknownOption(_, let option, _) = e { key = "options.\(option)" }
            if case .invalidOption(_, let option, _) = e { key = "options.\(option)" }
            throw PresetError.catalog(file: file, path: o.keyPath(key), message: e.description)
        }
        if let s = try o.object("search") {
            guard spec.options["lr"] == nil else {
                throw o.invalid("search", "give either options.lr (fixed) or search (tuned), not both")
            }
            spec.search = try parseSearch(s)
        }
        return spec
    }

    static func parseSearch(_ s: JSONFields) throws -> SearchSpec {
        try s.requireKnownKeys(searchKeys)
        var spec = SearchSpec()
        if let c = try s.string("criterion") {
            guard let criterion = LearningRateSearch.Criterion(rawValue: c) else {
                let known = LearningRateSearch.Criterion.allCases.map(\.rawValue).joined(separator: ", ")
                throw s.invalid("criterion", "unknown criterion \"\(c)\"; known: \(known)")
            }
            spec.criterion = criterion
        }
        if let r = try s.numbers("range", count: 2) {
            guard r[0] > 0, r[1] > r[0] else { throw s.invalid("range", "needs 0 < low < high, got [\(r[0]), \(r[1])]") }
            (spec.low, spec.high) = (r[0], r[1])
        }
        spec.horizon = try s.integer("horizon", in: 1...1_000_000)
        spec.seed = try s.integer("seed", in: 0...(1 << 53)).map(UInt64.init)
        if let b = try s.object("budget") {
            try b.requireKnownKeys(["coarse", "refine"])
            spec.coarse = try b.integer("coarse", in: 2...1000) ?? spec.coarse
            spec.refine = try b.integer("refine", in: 0...1000) ?? spec.refine
        }
        return spec
    }

    static func parseLoss(_ o: JSONFields, functions: [FigureFunction]) throws -> LossPanelSpec {
        try o.requireKnownKeys(["metric", "scale", "reference", "reference-label", "range"])
        var spec = LossPanelSpec()
        if let m = try o.string("metric") {
            guard let metric = LossPanelSpec.Metric(rawValue: m) else {
                let known = LossPanelSpec.Metric.allCases.map(\.rawValue).joined(separator: ", ")
                throw o.invalid("metric", "unknown metric \"\(m)\"; known: \(known)")
            }
            spec.metric = metric
        }
        if let s = try o.string("scale") {
            guard ["log", "linear"].contains(s) else { throw o.invalid("scale", "must be log or linear, got \"\(s)\"") }
            spec.logarithmic = s == "log"
        }
        spec.reference = try o.number("reference")
        spec.referenceLabel = try o.string("reference-label")
        if let r = try o.numbers("range", count: 2) {
            guard r[1] > r[0], !spec.logarithmic || r[0] > 0 else {
                throw o.invalid("range", "needs low < high\(spec.logarithmic ? " and low > 0 on a log axis" : ""), got [\(r[0]), \(r[1])]")
            }
            spec.range = r[0]...r[1]
        }
        if let r = spec.reference, spec.logarithmic, r <= 0 {
            throw o.invalid("reference", "must be > 0 on a log axis, got \(r)")
        }
        return spec
    }
}

extension BlockPartition {
    /// "natural", "single", "coordinates" or "equal:K" (K ≥ 1); nil otherwise.
    public init?(text: String) {
        switch text {
        case "natural": self = .natural
        case "single": self = .single
        case "coordinates": self = .coordinates
        default:
            guard text.hasPrefix("equal:"), let k = Int(text.dropFirst(6)), k >= 1 else { return nil }
            self = .equal(k)
        }
    }
}
