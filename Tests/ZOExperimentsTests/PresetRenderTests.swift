import Foundation
import Testing
@testable import ZOExperiments
import ZOFunctions
import ZOPlot

/// The preset pipeline end to end: run, compose, write, decode the PNG and check it.
@Suite("Preset rendering")
struct PresetRenderTests {
    func near(_ c: (r: UInt8, g: UInt8, b: UInt8, a: UInt8), _ hex: UInt32, tolerance: Int = 40) -> Bool {
        let r = Int(hex >> 16 & 0xFF), g = Int(hex >> 8 & 0xFF), b = Int(hex & 0xFF)
        return abs(Int(c.r) - r) <= tolerance && abs(Int(c.g) - g) <= tolerance && abs(Int(c.b) - b) <= tolerance
    }

    @Test func tinyPresetRendersDecodesAndMapsTheTrajectory() throws {
        let dir = try TestPresets.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let preset = try PresetParser.parse(TestPresets.tiny, file: "tiny.json")
        let report = try FigureRenderer(outputDirectory: dir.path).render(preset)
        #expect(report.outputs.figure == dir.appendingPathComponent("tiny.png").path)

        // The file on disk decodes, has the requested size and is not blank.
        let image = try PNGReader.read(contentsOf: URL(fileURLWithPath: report.outputs.figure))
        #expect(image.width == 420 && image.height == 360)
        #expect(image.distinctColorCount > 100)
        #expect(image.luminanceVariance > 100)

        // Exact CD from (1, 1) on ½(x² + 10y²): first update x → 0, so the path's first
        // segment runs from (1, 1) to (0, 1). The start marker (white) sits on the mapped
        // pixel of θ₀; the segment's midpoint carries the first palette colour.
        let run = report.runs[0]
        #expect(run.trajectory[0] == [1, 1] && run.trajectory[1] == [0, 1] && run.trajectory[2] == [0, 0])
        let area = try #require(report.image.plotAreas.first)
        let start = area.pixel(for: PlotPoint(1, 1))
        let c0 = image.rgba(x: Int(start.x), y: Int(start.y))
        #expect(c0.r > 235 && c0.g > 235 && c0.b > 235, "start pixel \(start) is \(c0)")
        let mid = area.pixel(for: PlotPoint(0.5, 1))
        let c1 = image.rgba(x: Int(mid.x), y: Int(mid.y))
        #expect(near(c1, 0xD62728), "path pixel \(mid) is \(c1)")
        // A point away from every path shows a contour band, not the path colour.
        let off = area.pixel(for: PlotPoint(-1.2, -1.2))
        #expect(!near(image.rgba(x: Int(off.x), y: Int(off.y)), 0xD62728))

        // The sidecar records the command and the runs.
        let sidecar = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report.outputs.sidecar))) as? [String: Any]
        #expect((sidecar?["command"] as? String) == "zolab plot --preset plots/tiny.json")
        #expect((sidecar?["runs"] as? [[String: Any]])?.count == 2)
    }

    @Test func everyLayoutRenders() throws {
        let dir = try TestPresets.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for layout in FigureLayout.allCases {
            var text = TestPresets.tiny.replacingOccurrences(of: #""layout": "contour""#, with: #""layout": "\#(layout.rawValue)""#)
            text = text.replacingOccurrences(of: #""size": [420, 360]"#, with: #""size": [900, 380]"#)
            let preset = try PresetParser.parse(text, file: "tiny.json")
            let report = try FigureRenderer(outputDirectory: dir.path).render(preset)
            let image = try PNGReader.read(contentsOf: URL(fileURLWithPath: report.outputs.figure))
            #expect(image.width == 900 && image.height == 380 && image.luminanceVariance > 50, "\(layout)")
            let panels = layout == .grid ? 3 : (layout == .contourAndLoss ? 2 : 1)
            #expect(report.image.plotAreas.count == panels, "\(layout)")
        }
    }

    @Test func sliceOfAThreeDimensionalFunctionRendersProjections() throws {
        let dir = try TestPresets.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = """
        {"id": "p", "output": "plots/gallery/p.png", "size": [900, 360], "layout": "contour+loss",
         "function": {"name": "powell-1973", "views": [[0, 1], [1, 2]], "through": [0, 0, 0], "resolution": 40,
                      "domain": {"x": [-2, 2], "y": [-2, 2]}},
         "optimizers": [{"name": "exact-cd"}], "steps": 15,
         "loss": {"metric": "gradient-norm", "scale": "linear", "reference": 2}}
        """
        let report = try FigureRenderer(outputDirectory: dir.path).render(try PresetParser.parse(text, file: "p.json"))
        #expect(report.image.plotAreas.count == 3)
        // Powell's cycle: ‖∇f‖ stays ≥ 2 − (a little) along the whole path (CHECKS.md 6e).
        let norms = FigureSeries.values(report.runs[0], metric: .gradientNorm).map(\.value)
        #expect(norms.count == 16 && norms.dropFirst().allSatisfy { $0 > 1.9 })
        // The (y, z) projection maps the start's (y, z) to its pixel.
        let start = report.runs[0].trajectory[0]
        let image = try PNGReader.read(contentsOf: URL(fileURLWithPath: report.outputs.figure))
        let p = report.image.plotAreas[1].pixel(for: PlotPoint(start[1], start[2]))
        let c = image.rgba(x: Int(p.x), y: Int(p.y))
        #expect(c.r > 235 && c.g > 235 && c.b > 235, "start of the (y, z) projection at \(p): \(c)")
    }

    @Test func aDivergedRunIsDrawnAndFlaggedNotFatal() throws {
        let dir = try TestPresets.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = TestPresets.tiny.replacingOccurrences(of: #""lr": 0.01"#, with: #""lr": 5"#)
        let report = try FigureRenderer(outputDirectory: dir.path).render(try PresetParser.parse(text, file: "tiny.json"))
        let run = report.runs[1]
        let divergence = try #require(run.divergence)
        #expect(run.trajectory.allSatisfy { $0.allSatisfy(\.isFinite) })
        #expect(report.sidecar.divergedRuns.count == 1 && report.sidecar.runs[1].diverged?.step == divergence.step)
        #expect(report.outputs.notes.contains { $0.contains("diverged at step \(divergence.step)") })
        // The legend label ZOPlot draws carries the flag.
        let composer = FigureComposer(preset: try PresetParser.parse(text, file: "tiny.json"), runs: report.runs)
        let trajectory = composer.trajectory(run, axes: (0, 1))
        #expect(trajectory.legendLabel.hasSuffix("(diverged at step \(divergence.step))"))
        #expect(try PNGReader.read(contentsOf: URL(fileURLWithPath: report.outputs.figure)).width == 420)
    }

    @Test func searchedLearningRatesReachLegendAndSidecar() throws {
        let dir = try TestPresets.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = TestPresets.tiny.replacingOccurrences(of: #""options": {"lr": 0.01, "eps": 0.001}"#,
                                                         with: #""search": {"criterion": "distance", "range": [1e-4, 1], "budget": {"coarse": 5, "refine": 2}}"#)
        let preset = try PresetParser.parse(text, file: "tiny.json")
        let report = try FigureRenderer(outputDirectory: dir.path).render(preset)
        let run = report.runs[1]
        let lr = try #require(run.learningRate)
        #expect(run.searchOutcome?.best == lr && run.searchOutcome?.trials.count == 7)
        #expect(run.search?.horizon == 20 && run.search?.seed == 3)   // defaults: the figure's steps and seed
        let label = FigureComposer(preset: preset, runs: report.runs).legendLabel(run)
        #expect(label.contains("η = \(NumberFormat.compact(lr)) (tuned)"))
        #expect(report.sidecar.runs[1].search?.best == lr && report.sidecar.runs[1].search?.criterion == "distance")
    }

    @Test func exactCoordinateDescentMatchesTheClosedForms() throws {
        let powell = try Powell1973(startOffset: 0.5)
        let path = try ExactCoordinateDescent.path(powell, from: powell.defaultStart, steps: 15)
        // Each update minimises along its coordinate: the partial derivative vanishes there.
        for t in 1...15 {
            let i = (t - 1) % 3
            #expect(abs(powell.gradient(path[t])[i]) < 1e-12)
        }
        let q = try FunctionCatalog.make("rotated-quadratic", dimension: 3)
        let qp = try ExactCoordinateDescent.path(q, from: [1, -2, 0.5], steps: 30)
        for t in 1...30 { #expect(abs(q.gradient(qp[t])[(t - 1) % 3]) < 1e-9) }
        #expect(q.value(qp[30]) < q.value(qp[0]))
        #expect(throws: ExactCoordinateDescent.Failure.self) {
            try ExactCoordinateDescent.path(try FunctionCatalog.make("rosenbrock"), from: [0, 0], steps: 1)
        }
    }
}
