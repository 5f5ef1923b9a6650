import ZOCore
import ZOModel
import ZOOptim

/// Claim 10: optimizer memory per method, measured — never taken from the optimizers'
/// self-reported `stateBytes` (seed 004 App. F and Table 5; seed 000 tables).
public struct OptimizerMemoryCheck: Check {
    public let name = "optimizer-memory"
    public let claim = 10
    public let title = "Optimizer memory: MeZO ≈ 0, HiZOO 1×, HiZOO-L ≈ m + n, ZO-Adam 2×, Adam 2× + gradients + activations, B-PDF ∝ active blocks"
    public let source = "seed 004 App. F and Table 5 (memory: ZO-SGD 1.0×, ZO-Adam 2.47×, HiZOO 2.04×, HiZOO-L 1.12×; \"HiZOO-L reduces the Hessian memory to 10 % of MeZO\"); seed 000 (B-PDF: up to 39 % less than HiZOO); CHECKS.md claim 10 (\"measured, not computed from formulas\")"
    public let statement = "Bytes an optimizer holds beyond the parameters: MeZO none; HiZOO one scalar per parameter; HiZOO-L m + n per m×n matrix (full size for vectors); ZO-Adam two per parameter; Adam two per parameter plus a gradient buffer, and backprop activations in the model; B-PDF HiZOO's H for the active blocks only."
    public let derivation = """
        MeZO regenerates z from its seed (no state). HiZOO keeps diag H (d scalars). HiZOO-L keeps Adafactor's \
        row and column factors of each matrix. ZO-Adam and Adam keep the two moment vectors; Adam also needs the \
        gradient (d scalars) and, on a network, the activations backprop keeps for the backward pass, which a \
        forward-only method never holds (it reuses one layer's buffers). B-PDF allocates H when a block enters the \
        active set and frees it when it leaves. Totals relative to the weights (the papers' tables also count the \
        model and activations) are then 1 + state/weights.
        """
    public let method = """
        (1) Float32 parameters: 4 layers, each a 64×48 weight and a 48-vector bias (d = 12 480, 49 920 bytes). \
        Each optimizer is built through the registry and stepped 3 times on a separable quadratic with an exact \
        gradient. Measured: the bytes reachable from the optimizer object — every ZOCore slab and every Float / \
        Double array it holds, found by walking its stored properties (Swift reflection; private state and \
        hidden buffers included), the parameters excluded — after construction and after every step; the \
        high-water mark of those four readings is compared with the formula. B-PDF runs with switch interval 1 \
        so blocks enter and leave. (2) The transformer: a seeded random GPT (C 16, L 2, 12 736 parameters) on \
        the sst2 prompt objective (batch 8), MeZO and Adam, 3 steps each from a model without cached buffers: \
        the optimizer's bytes as in (1) and the activation buffers the model then holds (the same walk over the \
        model, its parameters excluded). Alongside: the high-water mark of all slab bytes allocated during \
        construction and the steps (transient workspaces included), from a MemoryLedger measuring scope — \
        like the walk, exact while other experiments run. The optimizers' \
        own `stateBytes` is compared with the measurement, not used for it.
        """
    public let statisticDescription = "Exact check: the measured high-water mark of bytes held by each optimizer equals its formula (tolerance 0 bytes) — on the quadratic for every method, on the transformer for MeZO (0) and Adam (2 moments + gradient); the transformer's activation buffers are measured (Adam's must exceed MeZO's). Self-reported stateBytes that differ from the measurement are reported as findings."
    public let elementaryTests = 0

    public init() {}

    static let layers = 4, rows = 64, cols = 48
    static let steps = 3

    func objective() -> SeparableQuadraticObjective<Float> {
        let layout = ProblemLayouts.matrices(Array(repeating: (Self.rows, Self.cols), count: Self.layers), withBias: true)
        let d = layout.count
        return SeparableQuadraticObjective<Float>(layout: layout, curvature: [Double](repeating: 1, count: d),
                                                  center: [Double](repeating: 0, count: d), start: (0..<d).map { 0.01 * Double($0 % 7) + 0.1 })
    }

    /// (label, registry name, options, predicted bytes, what the prediction counts).
    func cases(_ d: Int) -> [(String, String, [String: String], Int, String)] {
        let s = MemoryLayout<Float>.stride
        let matrices = Self.layers * (Self.rows + Self.cols), vectors = Self.layers * Self.cols
        let block = Self.rows * Self.cols + Self.cols
        let tensors = 2 * Self.layers
        return [
            ("MeZO", "mezo", [:], 0, "none"),
            ("HiZOO", "hizoo", [:], d * s, "diag H: d scalars"),
            ("HiZOO-L", "hizoo-l", [:], (matrices + vectors) * s, "Σ(m + n) + vectors"),
            ("ZO-Adam", "zo-adam", [:], 2 * d * s, "2 moments: 2d scalars"),
            ("Adam", "adam", [:], 3 * d * s, "2 moments + gradient: 3d scalars"),
            ("B-PDF k = 1", "b-pdf", ["active-blocks": "1", "switch-interval": "1"], block * s, "H of 1 active block"),
            ("B-PDF k = 2", "b-pdf", ["active-blocks": "2", "switch-interval": "1"], 2 * block * s, "H of 2 active blocks"),
            ("SubZero r = 8", "subzero", ["rank": "8"], Self.layers * (Self.rows + Self.cols) * 8 * s, "U, V: Σ(m + n)·r"),
            ("Sparse MeZO", "sparse-mezo", [:], tensors * s, "one threshold per tensor"),
        ]
    }

    /// One optimizer's measurement.
    struct Row {
        var label: String
        var what: String
        /// Census after construction and after every step.
        var readings: [MemoryCensus.Tally]
        var predicted: Int
        /// The optimizer's own `stateBytes` after the last step (compared, not used).
        var reported: Int
        /// Peak bytes of the slabs allocated during construction and the steps (a
        /// ``MemoryLedger/measure(_:)`` scope: exact while other experiments run).
        var ledgerPeak: Int
        var highWater: Int { readings.map(\.total).max() ?? 0 }
        var matches: Bool { highWater == predicted }
    }

    /// Builds the optimizer with `make`, steps it, and measures it after every stage.
    func measure(_ label: String, what: String, predicted: Int, objective o: any Objective<Float>, exclude: [AnyObject],
                 make: () throws -> any Optimizer<Float>) throws -> Row {
        let ((optimizer, readings), ledger) = try MemoryLedger.measure { () throws -> (any Optimizer<Float>, [MemoryCensus.Tally]) in
            let optimizer = try make()
            var readings = [MemoryCensus.tally(optimizer, excluding: exclude)]
            for t in 0..<Self.steps {
                o.selectBatch(t)
                _ = try optimizer.step(o, context: StepContext(step: t, runSeed: 1))
                readings.append(MemoryCensus.tally(optimizer, excluding: exclude))
            }
            return (optimizer, readings)
        }
        return Row(label: label, what: what, readings: readings, predicted: predicted, reported: optimizer.stateBytes,
                   ledgerPeak: ledger.peakBytes)
    }

    public func smallestDetectableDiscrepancy(configuration c: CheckConfiguration) throws -> Discrepancy {
        Discrepancy(value: Double(MemoryLayout<Float>.stride), unit: "bytes (one Float32 scalar held beyond the formula)",
                    basis: "exact byte counts of the slabs and scalar arrays reachable from the optimizer")
    }

    func subResult(_ r: Row, weights: Int) -> SubResult {
        let readings = r.readings.map { String($0.total) }.joined(separator: "/")
        return SubResult(name: r.label, hypothesis: "holds \(Format.count(r.predicted)) B = \(r.what) (\(Format.number(Double(r.predicted) / Double(weights), digits: 3))× the weights)",
                         statistic: "high-water mark of the measured bytes (construction, steps 1–\(Self.steps))", value: Double(r.highWater),
                         rejected: !r.matches, sampleSize: r.readings.count,
                         note: "readings \(readings) B; self-reported stateBytes \(Format.count(r.reported)) B; slabs allocated inside (measuring scope) high-water \(Format.count(r.ledgerPeak)) B (transients included)"
                            + (r.readings.last!.items.isEmpty ? "" : "; held: " + Self.describe(r.readings.last!)))
    }

    /// Figure labels short enough for nine categories to keep the chart's font size.
    static func shortLabel(_ label: String) -> String {
        label.replacingOccurrences(of: "B-PDF k = ", with: "B-PDF·").replacingOccurrences(of: "SubZero r = 8", with: "SubZero")
            .replacingOccurrences(of: "Sparse MeZO", with: "Sparse")
    }

    /// The census items, or a count when there are many.
    static func describe(_ t: MemoryCensus.Tally) -> String {
        t.items.count <= 4 ? t.items.joined(separator: ", ")
            : "\(t.items.count) buffers (\(Format.count(t.slabBytes)) B in slabs, \(Format.count(t.arrayBytes)) B in arrays), e.g. " + t.items.prefix(2).joined(separator: ", ")
    }

    /// The transformer part: (MeZO row, Adam row, MeZO's activation tally, Adam's activation tally,
    /// the number of trainable parameters).
    func transformer(_ c: CheckConfiguration) throws -> (Row, Row, MemoryCensus.Tally, MemoryCensus.Tally, Int) {
        let s = try TransformerProbe.make(.test, seed: c.seed(1))
        let p = s.model.trainable
        let start = p.snapshot()
        defer { p.assign(start); s.model.releaseBuffers() }
        let parameterSets: [AnyObject] = [s.model.base] + (s.model.adapters.map { [$0] } ?? [])
        let exclude: [AnyObject] = parameterSets + [s.objective, s.model]
        var rows: [Row] = []
        var activations: [MemoryCensus.Tally] = []
        let bytes = p.count * MemoryLayout<Float>.stride
        for (label, method, predicted, what) in [("MeZO", "mezo", 0, "none"), ("Adam", "adam", 3 * bytes, "2 moments + gradient: 3d scalars")] {
            p.assign(start)
            s.model.releaseBuffers()
            rows.append(try measure("\(label) (GPT)", what: what, predicted: predicted, objective: s.objective, exclude: exclude) {
                try OptimizerRegistry.make(method, options: ["lr": "1e-4"], parameters: p)
            })
            activations.append(MemoryCensus.tally(s.model, excluding: parameterSets))
        }
        return (rows[0], rows[1], activations[0], activations[1], p.count)
    }

    public func run(configuration c: CheckConfiguration) throws -> CheckResult {
        let o = objective()
        let d = o.parameters.count
        let weights = d * MemoryLayout<Float>.stride
        var rows: [Row] = []
        for (label, name, options, predicted, what) in cases(d) {
            o.parameters.assign(objective().parameters.snapshot())
            rows.append(try measure(label, what: what, predicted: predicted, objective: o, exclude: [o.parameters, o]) {
                try OptimizerRegistry.make(name, options: options, parameters: o.parameters)
            })
        }
        let (mezoGPT, adamGPT, mezoActivations, adamActivations, gptCount) = try transformer(c)
        let gptWeights = gptCount * MemoryLayout<Float>.stride
        var subs = rows.map { subResult($0, weights: weights) } + [subResult(mezoGPT, weights: gptWeights), subResult(adamGPT, weights: gptWeights)]
        let activationsOK = adamActivations.total > mezoActivations.total
        subs.append(SubResult(name: "GPT activations", hypothesis: "Adam's backprop keeps more activation bytes than MeZO's forward passes",
                              statistic: "bytes the model holds after 3 steps (Adam)", value: Double(adamActivations.total), rejected: !activationsOK,
                              sampleSize: 2, note: "MeZO \(Format.count(mezoActivations.total)) B (\(Format.number(Double(mezoActivations.total) / Double(gptWeights), digits: 3))× the weights), "
                                + "Adam \(Format.count(adamActivations.total)) B (\(Format.number(Double(adamActivations.total) / Double(gptWeights), digits: 3))×)"))
        let ok = rows.allSatisfy(\.matches) && mezoGPT.matches && adamGPT.matches && activationsOK
        // ZOLab's own self-reports against the measurement (not a finding about the papers).
        var selfReports: [String] = []
        for r in rows + [mezoGPT, adamGPT] where r.reported != r.readings.last!.total {
            let why = r.label.hasPrefix("Adam") ? " — its gradient buffer, documented as a workspace, not state"
                : ""
            selfReports.append("\(r.label) reports \(Format.count(r.reported)) B, holds \(Format.count(r.readings.last!.total)) B\(why)")
        }
        let text = rows.map { "\($0.label) \(Format.count($0.highWater)) B (\(Format.number(Double($0.highWater) / Double(weights), digits: 3))×)" }.joined(separator: ", ")
        let summary = "Float32 weights \(Format.count(weights)) B (d = \(Format.count(d))). Measured high-water mark of the bytes each optimizer holds (construction and \(Self.steps) steps): " + text
            + (rows.allSatisfy(\.matches) ? " — every one equals its formula." : " — MISMATCH: " + rows.filter { !$0.matches }.map { "\($0.label) (formula \(Format.count($0.predicted)) B)" }.joined(separator: ", ") + ".")
            + " On a GPT (\(Format.count(gptCount)) parameters, \(Format.count(gptWeights)) B): MeZO holds \(Format.count(mezoGPT.highWater)) B and the model \(Format.count(mezoActivations.total)) B of forward buffers; "
            + "Adam holds \(Format.count(adamGPT.highWater)) B (2 moments + gradient, \(Format.number(Double(adamGPT.highWater) / Double(gptWeights), digits: 3))× the weights) and the model \(Format.count(adamActivations.total)) B of activations for backprop "
            + "(\(Format.number(Double(adamActivations.total) / Double(max(mezoActivations.total, 1)), digits: 3))× MeZO's). High-water marks of the slabs allocated during construction and steps (measuring scope, transients included): "
            + "MeZO (GPT) +\(Format.count(mezoGPT.ledgerPeak)) B, Adam (GPT) +\(Format.count(adamGPT.ledgerPeak)) B. "
            + "Totals relative to the weights (weights + state): MeZO 1.0, HiZOO 2.0, ZO-Adam 3.0, HiZOO-L \(Format.number(1 + Double(rows[2].highWater) / Double(weights), digits: 3)); "
            + "the seed's Table 5 (HiZOO 2.04×, ZO-Adam 2.47×, HiZOO-L 1.12× of MeZO) measures GPU memory including activations, so its ratios are smaller than state ratios; ordering and sizes agree."
            + (selfReports.isEmpty ? " Every optimizer's self-reported stateBytes equals the measurement." : " The optimizers' self-reported stateBytes differ from the measurement for: " + selfReports.joined(separator: "; ") + ".")
        var numbers = Dictionary(uniqueKeysWithValues: rows.map { ("bytes.\($0.label)", Double($0.highWater)) })
        numbers["bytes.MeZO (GPT)"] = Double(mezoGPT.highWater)
        numbers["bytes.Adam (GPT)"] = Double(adamGPT.highWater)
        numbers["activationBytes.MeZO (GPT)"] = Double(mezoActivations.total)
        numbers["activationBytes.Adam (GPT)"] = Double(adamActivations.total)
        numbers["ledgerPeak.MeZO (GPT)"] = Double(mezoGPT.ledgerPeak)
        numbers["ledgerPeak.Adam (GPT)"] = Double(adamGPT.ledgerPeak)
        let gptItems = [
            CategoryData(label: "MeZO state", value: Double(mezoGPT.highWater) / Double(gptWeights), expected: 0),
            CategoryData(label: "MeZO buffers", value: Double(mezoActivations.total) / Double(gptWeights)),
            CategoryData(label: "Adam state+grad", value: Double(adamGPT.highWater) / Double(gptWeights), expected: 3),
            CategoryData(label: "Adam activations", value: Double(adamActivations.total) / Double(gptWeights)),
        ]
        let top = max(3.5, (gptItems.map(\.value).max() ?? 0) * 1.1)
        return result(.claim, c, verdict: ok ? .holds : .refuted, summary: summary, subResults: subs,
                      detectable: try smallestDetectableDiscrepancy(configuration: c), numbers: numbers,
                      figure: FigureData(title: "Claim 10: memory per method, measured (◇ formula)", columns: 1, panels: [
                        PanelData(intervals: rows.map { CategoryData(label: Self.shortLabel($0.label), value: Double($0.highWater) / Double(weights), expected: Double($0.predicted) / Double(weights)) },
                                  title: "bytes held / weight bytes (Float32, d = \(Format.count(d)); SubZero r = 8, B-PDF·k)", yLabel: "× weights",
                                  references: [ReferenceLine("", 1)], yRange: 0...3.5),
                        PanelData(intervals: gptItems, title: "GPT (\(Format.count(gptCount)) parameters): optimizer and model buffers / weight bytes", yLabel: "× weights",
                                  yRange: 0...top),
                      ]))
    }

    /// A MeZO that allocates a hidden one-scalar buffer at its first step and keeps it, without
    /// reporting it in `stateBytes` (which stays 0): the measurement must see the 4 bytes.
    public func runNegativeControl(configuration c: CheckConfiguration) throws -> CheckResult {
        let o = objective()
        let stated = try smallestDetectableDiscrepancy(configuration: c)
        let row = try measure("MeZO with a hidden scalar", what: "none (MeZO's formula)", predicted: 0, objective: o, exclude: [o.parameters, o]) {
            HiddenBufferMeZO(try OptimizerRegistry.make("mezo", parameters: o.parameters))
        }
        let injected = HiddenBufferMeZO<Float>.hiddenBytes
        return result(.negativeControl, c, verdict: row.matches ? .holds : .refuted,
                      summary: "A MeZO that keeps a hidden Float32 scalar (\(injected) B) from its first step on and reports stateBytes = \(row.reported) B: measured \(Format.count(row.highWater)) B against MeZO's formula 0 B"
                        + (row.matches ? " — NOT detected." : " — detected (readings \(row.readings.map { String($0.total) }.joined(separator: "/")) B)."),
                      subResults: [subResult(row, weights: o.parameters.count * MemoryLayout<Float>.stride)],
                      detectable: stated, injected: Double(injected), numbers: ["hiddenBytes": Double(injected), "measured": Double(row.highWater)])
    }
}

/// Negative control of ``OptimizerMemoryCheck``: MeZO plus a one-scalar buffer it allocates at
/// its first step and never reports (`stateBytes` is MeZO's 0).
final class HiddenBufferMeZO<Scalar: ZOScalar>: Optimizer {
    static var hiddenBytes: Int { MemoryLayout<Scalar>.stride }
    let base: any Optimizer<Scalar>
    private var hidden: Slab<Scalar>?

    init(_ base: any Optimizer<Scalar>) { self.base = base }

    var name: String { "mezo+hidden" }
    var settings: [String: String] { base.settings }
    var stateBytes: Int { base.stateBytes }

    func step(_ objective: any Objective<Scalar>, context: StepContext) throws -> StepReport {
        let r = try base.step(objective, context: context)
        if hidden == nil { hidden = Slab<Scalar>(count: 1) }
        hidden![0] = Scalar(r.projectedGradients.first ?? 0)
        return r
    }

    func saveState() -> OptimizerState<Scalar> { base.saveState() }
    func loadState(_ state: OptimizerState<Scalar>) throws { try base.loadState(state) }
}
