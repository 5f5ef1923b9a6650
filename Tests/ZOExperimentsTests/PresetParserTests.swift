import Foundation
import Testing
@testable import ZOExperiments
import ZOOptim

/// The preset format: every committed preset parses; bad input is refused with the file and
/// the key path in the message.
@Suite("Preset parser")
struct PresetParserTests {
    /// Parses `text`, expecting a failure whose message contains every one of `fragments`.
    func expectRejected(_ text: String, _ fragments: String..., sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try PresetParser.parse(text, file: "plots/x.json")
            Issue.record("accepted: \(fragments)", sourceLocation: sourceLocation)
        } catch let e as PresetError {
            for f in fragments {
                #expect(e.description.contains(f), "\(e.description) lacks \(f)", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("unexpected error type \(error)", sourceLocation: sourceLocation)
        }
    }

    /// `tiny` with `old` replaced by `new` (the replacement must happen).
    func tiny(_ old: String, _ new: String) -> String {
        precondition(TestPresets.tiny.contains(old), "fixture lacks \(old)")
        return TestPresets.tiny.replacingOccurrences(of: old, with: new)
    }

    @Test func everyCommittedPresetParses() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: TestPresets.plotsDirectory.path).filter { $0.hasSuffix(".json") }
        #expect(files.count >= 6)
        for name in files {
            let path = TestPresets.plotsDirectory.appendingPathComponent(name).path
            let preset = try PresetParser.load(path: path)
            #expect(preset.output.hasPrefix("plots/gallery/"), "\(name)")
            #expect(preset.id + ".json" == name, "the id names the file: \(name)")
        }
    }

    @Test func tinyPresetParses() throws {
        let p = try PresetParser.parse(TestPresets.tiny, file: "t.json")
        #expect(p.width == 420 && p.height == 360 && p.steps == 20 && p.seed == 3)
        #expect(p.optimizers.map(\.name) == ["exact-cd", "mezo"])
        #expect(p.optimizers[1].options == ["lr": "0.01", "eps": "0.001"])
        #expect(p.functions[0].domain?.x == -1.5...1.5)
        #expect(p.functions[0].levels == LevelSpec(scale: .log, count: 10))
    }

    @Test func unknownKeysAreRefusedAtEveryLevelWithTheirPath() {
        expectRejected(tiny(#"{"name": "mezo", "options""#, #"{"name": "mezo", "optoins""#),
                       "plots/x.json: optimizers[1].optoins: unknown key; known: name, options, search, label")
        expectRejected(tiny(#""steps": 20"#, #""stepz": 20, "steps": 20"#), "plots/x.json: stepz: unknown key; known: id, title")
        expectRejected(tiny(#""y": [-1.5, 1.5]}"#, #""y": [-1.5, 1.5], "z": [0, 1]}"#), "function.domain.z: unknown key; known: x, y")
        expectRejected(tiny(#""scale": "log""#, #""scael": "log""#), "function.levels.scael: unknown key")
        expectRejected(tiny(#""kappa": 10"#, #""kapa": 10"#), "function.parameters.kapa: unknown key")
        expectRejected(tiny(#"{"lr": 0.01, "eps": 0.001}}"#, #"{"eps": 0.001}, "search": {"budget": {"coarse": 5, "fine": 2}}}"#),
                       "optimizers[1].search.budget.fine: unknown key; known: coarse, refine")
    }

    @Test func emptyAndDegenerateDomainsAreRefused() {
        expectRejected(tiny(#""x": [-1.5, 1.5]"#, #""x": [1, 1]"#), "function.domain.x", "empty or degenerate")
        expectRejected(tiny(#""x": [-1.5, 1.5]"#, #""x": [2, -2]"#), "function.domain.x", "empty or degenerate")
        expectRejected(tiny(#""x": [-1.5, 1.5]"#, #""x": [-1.5]"#), "function.domain.x", "expected 2 numbers")
        expectRejected(tiny(#""x": [-1.5, 1.5]"#, #""x": [-1.7e308, 1.7e308]"#), "function.domain.x", "too wide")
    }

    @Test func nonFiniteNumbersAreRefused() {
        expectRejected(tiny(#""lr": 0.01"#, #""lr": 1e999"#), "not finite")
        expectRejected(tiny(#""lr": 0.01"#, #""lr": "inf""#), "optimizers[1].options.lr", "finite")
        expectRejected(tiny(#""start": [1, 1]"#, #""start": [1, -1e400]"#), "not finite")
        expectRejected(tiny(#""lr": 0.01"#, #""lr": NaN"#), "line")
    }

    @Test func catalogErrorsAreReusedWithThePath() {
        expectRejected(tiny(#""name": "diagonal-quadratic""#, #""name": "rosenbrok""#),
                       "function.name: unknown test function 'rosenbrok'", "did you mean 'rosenbrock'")
        expectRejected(tiny(#""name": "mezo""#, #""name": "mezzo""#), "optimizers[1].name: unknown optimizer 'mezzo'", "exact-cd")
        expectRejected(tiny(#""lr": 0.01"#, #""lr": -1"#), "optimizers[1].options.lr", "must be > 0")
        expectRejected(tiny(#""eps": 0.001"#, #""epsilon": 0.001"#), "optimizers[1].options.epsilon", "has no option 'epsilon'")
        expectRejected(tiny(#""dimension": 2,"#, #""dimension": 0,"#), "function.dimension")
        expectRejected(tiny(#""name": "diagonal-quadratic""#, #""name": "beale""#).replacingOccurrences(of: #""kappa": 10"#, with: #""seed": 1"#),
                       "function.parameters", "is not taken")
    }

    @Test func inconsistentSettingsAreRefused() {
        expectRejected(tiny(#""lr": 0.01, "eps": 0.001}"#, #""lr": 0.01}, "search": {}"#), "optimizers[1].search", "not both")
        expectRejected(tiny(#""start": [1, 1]"#, #""start": [1, 1, 1]"#), "function.start", "d = 2")
        expectRejected(tiny(#""steps": 20,"#, ""), "steps: required key is missing")
        expectRejected(tiny(#""steps": 20"#, #""steps": "20""#), "steps: expected a number, got string")
        expectRejected(tiny(#""steps": 20"#, #""steps": 2.5"#), "steps: expected an integer")
        expectRejected(tiny(#""layout": "contour""#, #""layout": "pie""#), "layout: unknown layout")
        expectRejected(tiny(#""output": "plots/gallery/tiny.png""#, #""output": "tiny.svg""#), "output: must end in .png")
        expectRejected(tiny(#""size": [420, 360]"#, #""size": [0, 360]"#), "size[0]")
        expectRejected(tiny(#"{"name": "exact-cd"}"#, #"{"name": "exact-cd", "options": {"lr": 1}}"#), "exact-cd takes no options")
        expectRejected(tiny(#""name": "diagonal-quadratic""#, #""name": "rosenbrock""#).replacingOccurrences(of: #""parameters": {"kappa": 10},"#, with: ""),
                       "optimizers[0].name", "closed form")
        expectRejected(tiny(#""dimension": 2,"#, #""dimension": 40,"#).replacingOccurrences(of: #""start": [1, 1],"#, with: ""),
                       "use layout \"loss\"")
    }

    @Test func optimizerPartitionOverridesTheFunctions() throws {
        let p = try PresetParser.parse(tiny(#""options": {"lr": 0.01, "eps": 0.001}"#,
                                            #""options": {"lr": 0.01, "rule": "ascending"}, "partition": "coordinates""#)
                                       .replacingOccurrences(of: #""name": "mezo""#, with: #""name": "bcd""#), file: "t.json")
        #expect(p.optimizers[1].partition == .coordinates && p.functions[0].partition == .natural)
        // BCD sees two one-coordinate blocks: with one active block per step, each step moves
        // exactly one coordinate (the exact-CD run keeps the function's single block).
        let runs = try FigureRunner.run(p)
        let path = runs[1].trajectory
        for t in 1..<path.count {
            #expect(zip(path[t], path[t - 1]).filter { $0 != $1 }.count <= 1, "step \(t) moved both coordinates")
        }
        expectRejected(tiny(#""eps": 0.001}"#, #""eps": 0.001}, "partition": "equal:3""#), "optimizers[1].partition", "block")
        expectRejected(tiny(#""eps": 0.001}"#, #""eps": 0.001}, "partition": "halves""#), "optimizers[1].partition: must be natural")
    }

    @Test func syntaxErrorsNameLineAndColumn() {
        expectRejected("{\n  \"id\": \"x\",\n  \"id\": \"y\"\n}", "plots/x.json: line 3, column 3: duplicate key \"id\"")
        expectRejected("{\"id\": \"x\",}", "line 1", "expected a key")
        expectRejected("[1, 2]", "expected an object, got array")
    }

    @Test func writerRoundTripsThroughTheParser() throws {
        var p = try PresetParser.parse(TestPresets.tiny, file: "t.json")
        p.optimizers[1].search = SearchSpec(criterion: .meanLoss, low: 1e-4, high: 1, horizon: 10, coarse: 4, refine: 2)
        p.optimizers[1].options["lr"] = nil
        p.lossPanel = LossPanelSpec(metric: .distance, logarithmic: true, reference: 0.5, referenceLabel: "half", range: 1e-3...10)
        p.optimizers[1].partition = .coordinates
        let q = try PresetParser.parse(PresetWriter.json(p), file: "w.json")
        #expect(q.optimizers[1].partition == .coordinates && q.optimizers[0].partition == nil)
        #expect(q.id == p.id && q.steps == p.steps && q.seed == p.seed && q.width == p.width && q.layout == p.layout)
        #expect(q.optimizers.map(\.name) == p.optimizers.map(\.name) && q.optimizers[1].search == p.optimizers[1].search)
        #expect(q.optimizers[1].options == p.optimizers[1].options)
        #expect(q.functions[0].start == p.functions[0].start && q.functions[0].domain?.y == p.functions[0].domain?.y)
        #expect(q.lossPanel == p.lossPanel)
    }

    @Test func adHocOptimizerListParses() throws {
        let list = try AdHocFigure.optimizers("mezo,zo-adam:lr=1e-3:eps=1e-2", search: SearchSpec(criterion: .finalLoss))
        #expect(list.map(\.name) == ["mezo", "zo-adam"])
        #expect(list[0].search?.criterion == .finalLoss && list[0].options.isEmpty)
        #expect(list[1].search == nil && list[1].options == ["lr": "1e-3", "eps": "1e-2"])
        #expect(throws: PresetError.self) { try AdHocFigure.optimizers("mezo,", search: SearchSpec()) }
        #expect(throws: PresetError.self) { try AdHocFigure.optimizers("mezo:lr", search: SearchSpec()) }
    }
}
