import ZOFunctions
import ZOOptim

/// Writes a ``FigurePreset`` as preset JSON (the format ``PresetParser`` reads), e.g. to save
/// an ad-hoc figure as a preset file (`zolab plot … --save-preset FILE`).
public enum PresetWriter {
    public static func json(_ p: FigurePreset) -> String {
        var root: [(String, String)] = [("id", quote(p.id))]
        if let t = p.title { root.append(("title", quote(t))) }
        if let d = p.description { root.append(("description", quote(d))) }
        root.append(("output", quote(p.output)))
        root.append(("size", "[\(p.width), \(p.height)]"))
        root.append(("layout", quote(p.layout.rawValue)))
        root.append(("functions", "[\n" + p.functions.map { indent(function($0), 4) }.joined(separator: ",\n") + "\n  ]"))
        root.append(("optimizers", "[\n" + p.optimizers.map { indent(optimizer($0), 4) }.joined(separator: ",\n") + "\n  ]"))
        root.append(("steps", "\(p.steps)"))
        root.append(("seed", "\(p.seed)"))
        root.append(("tolerance", number(p.tolerance)))
        var loss: [(String, String)] = [("metric", quote(p.lossPanel.metric.rawValue)),
                                        ("scale", quote(p.lossPanel.logarithmic ? "log" : "linear"))]
        if let r = p.lossPanel.reference { loss.append(("reference", number(r))) }
        if let l = p.lossPanel.referenceLabel { loss.append(("reference-label", quote(l))) }
        if let r = p.lossPanel.range { loss.append(("range", array([r.lowerBound, r.upperBound]))) }
        root.append(("loss", object(loss, inline: true)))
        if let a = p.animation {
            root.append(("animation", object([("output", quote(a.output)), ("frames", "\(a.frames)"),
                                              ("size", "[\(a.width), \(a.height)]")], inline: true)))
        }
        if let g = p.gnuplot {
            root.append(("gnuplot", object([("output", quote(g.output)), ("size", "[\(g.width), \(g.height)]")], inline: true)))
        }
        return object(root, inline: false) + "\n"
    }

    static func function(_ f: FigureFunction) -> String {
        var o: [(String, String)] = [("name", quote(f.name))]
        if let d = f.dimension { o.append(("dimension", "\(d)")) }
        let p = f.parameters
        var params: [(String, String)] = []
        if let v = p.conditionNumber { params.append((FunctionParameter.conditionNumber.rawValue, number(v))) }
        if let v = p.seed { params.append((FunctionParameter.seed.rawValue, "\(v)")) }
        if let v = p.blockCount { params.append((FunctionParameter.blockCount.rawValue, "\(v)")) }
        if let v = p.batchSize { params.append((FunctionParameter.batchSize.rawValue, "\(v)")) }
        if let v = p.sampleCount { params.append((FunctionParameter.sampleCount.rawValue, "\(v)")) }
        if let v = p.noiseLevel { params.append((FunctionParameter.noiseLevel.rawValue, number(v))) }
        if let v = p.startOffset { params.append((FunctionParameter.startOffset.rawValue, number(v))) }
        if !params.isEmpty { o.append(("parameters", object(params, inline: true))) }
        if let s = f.start { o.append(("start", array(s))) }
        if let d = f.domain {
            o.append(("domain", object([("x", array([d.x.lowerBound, d.x.upperBound])),
                                        ("y", array([d.y.lowerBound, d.y.upperBound]))], inline: true)))
        }
        var levels: [(String, String)] = [("scale", quote(f.levels.scale.rawValue)), ("count", "\(f.levels.count)")]
        if let m = f.levels.minimum { levels.append(("minimum", number(m))) }
        o.append(("levels", object(levels, inline: true)))
        if f.views != [[0, 1]] { o.append(("views", "[" + f.views.map { "[\($0[0]), \($0[1])]" }.joined(separator: ", ") + "]")) }
        if let t = f.slicePoint { o.append(("through", array(t))) }
        if let text = partitionText(f.partition) { o.append(("partition", quote(text))) }
        if let l = f.label { o.append(("label", quote(l))) }
        o.append(("resolution", "\(f.resolution)"))
        return object(o, inline: false)
    }

    /// A partition as preset text; nil for the default and for explicit ranges (not in the format).
    static func partitionText(_ p: BlockPartition) -> String? {
        switch p {
        case .natural, .ranges: return nil
        case .single: return "single"
        case .coordinates: return "coordinates"
        case .equal(let k): return "equal:\(k)"
        }
    }

    static func optimizer(_ o: FigureOptimizer) -> String {
        var fields: [(String, String)] = [("name", quote(o.name))]
        if let l = o.label { fields.append(("label", quote(l))) }
        if !o.options.isEmpty {
            // Option values as strings: the parser passes them to the optimizer verbatim.
            fields.append(("options", object(o.options.sorted { $0.key < $1.key }.map { ($0.key, quote($0.value)) }, inline: true)))
        }
        if let p = o.partition, let text = partitionText(p) { fields.append(("partition", quote(text))) }
        if let s = o.search {
            var sf: [(String, String)] = []
            if let c = s.criterion { sf.append(("criterion", quote(c.rawValue))) }
            sf.append(("range", array([s.low, s.high])))
            if let h = s.horizon { sf.append(("horizon", "\(h)")) }
            sf.append(("budget", object([("coarse", "\(s.coarse)"), ("refine", "\(s.refine)")], inline: true)))
            if let seed = s.seed { sf.append(("seed", "\(seed)")) }
            fields.append(("search", object(sf, inline: true)))
        }
        return object(fields, inline: true)
    }

    // MARK: Text

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    /// Shortest text that reads back as the same Double (Swift's description).
    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : "\(v)"
    }

    static func array(_ v: [Double]) -> String { "[" + v.map(number).joined(separator: ", ") + "]" }

    static func object(_ fields: [(String, String)], inline: Bool) -> String {
        if inline { return "{" + fields.map { "\(quote($0.0)): \($0.1)" }.joined(separator: ", ") + "}" }
        return "{\n" + fields.map { "  \(quote($0.0)): \($0.1)" }.joined(separator: ",\n") + "\n}"
    }

    static func indent(_ text: String, _ n: Int) -> String {
        let pad = String(repeating: " ", count: n)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { pad + $0 }.joined(separator: "\n")
    }
}
