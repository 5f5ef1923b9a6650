import Foundation
import Testing
@testable import ZOExperiments
import ZOPlot

/// A preset's optional outputs (animation, gnuplot chart) and the sidecar's per-run records.
@Suite("Preset outputs: animation, gnuplot, sidecar")
struct PresetOutputsTests {
    static let gnuplotInstalled = (try? GnuplotBackend.locate()) != nil

    /// `TestPresets.tiny` with `extra` JSON members added before its closing brace.
    func tiny(adding extra: String) throws -> FigurePreset {
        let text = TestPresets.tiny.trimmingCharacters(in: .whitespacesAndNewlines)
        return try PresetParser.parse(String(text.dropLast()) + ", " + extra + "}", file: "tiny.json")
    }

    @Test func animationKeyWritesAnAPNGOfThePresetSize() throws {
        let dir = try TestPresets.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let preset = try tiny(adding: #""animation": {"output": "plots/gallery/tiny-animated.png", "frames": 5, "size": [300, 260]}"#)
        let report = try FigureRenderer(outputDirectory: dir.path).render(preset)
        let path = try #require(report.outputs.animation)
        #expect(path == dir.appendingPathComponent("tiny-animated.png").path)
        #expect(report.sidecar.animation == path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let apng = try APNGStructure(data)
        #expect(apng.frameCount == 5 && apng.declaredFrameCount == 5)
        #expect(apng.width == 300 && apng.height == 260)
        // Viewers without APNG support show the default image: the complete figure.
        let still = try PNGReader.decode(data)
        #expect(still.width == 300 && still.luminanceVariance > 50)
        // A preset without the key writes none.
        let plain = try FigureRenderer(outputDirectory: dir.path).render(try PresetParser.parse(TestPresets.tiny, file: "tiny.json"))
        #expect(plain.outputs.animation == nil && plain.sidecar.animation == nil)
    }

    @Test func missingGnuplotSkipsItsChartWithANote() throws {
        let dir = try TestPresets.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let preset = try tiny(adding: #""gnuplot": {"output": "plots/gallery/tiny-gnuplot.png", "size": [500, 320]}"#)
        var renderer = FigureRenderer(outputDirectory: dir.path)
        renderer.locateGnuplot = { try GnuplotBackend.locate(searchPath: "/nonexistent-dir") }
        let report = try renderer.render(preset)
        #expect(report.outputs.gnuplot == nil && report.sidecar.gnuplot == nil)
        #expect(report.outputs.notes == ["gnuplot not found (searched /nonexistent-dir): skipped "
                                         + dir.appendingPathComponent("tiny-gnuplot.png").path + " (install gnuplot-nox)"])
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("tiny-gnuplot.png").path))
        // The figure and its sidecar are written all the same.
        #expect(try PNGReader.read(contentsOf: URL(fileURLWithPath: report.outputs.figure)).width == 420)
        #expect(FileManager.default.fileExists(atPath: report.outputs.sidecar))
    }

    @Test(.enabled(if: PresetOutputsTests.gnuplotInstalled, "gnuplot is not installed (scripts/setup.sh installs gnuplot-nox)"))
    func installedGnuplotRendersTheLossChart() throws {
        let dir = try TestPresets.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let preset = try tiny(adding: #""gnuplot": {"output": "plots/gallery/tiny-gnuplot.png", "size": [500, 320]}"#)
        let report = try FigureRenderer(outputDirectory: dir.path).render(preset)
        let path = try #require(report.outputs.gnuplot)
        #expect(report.sidecar.gnuplot == path && report.outputs.notes.isEmpty)
        let image = try PNGReader.read(contentsOf: URL(fileURLWithPath: path))
        #expect(image.width == 500 && image.height == 320)
        // The two runs' curves in their figure colours (exact CD first, MeZO second).
        for k in 0..<2 {
            let c = RunStyle.color(k).rgba8
            let n = image.pixels.filter { p in
                abs(Int(p >> 24) - Int(c.r)) <= 30 && abs(Int((p >> 16) & 0xFF) - Int(c.g)) <= 30 && abs(Int((p >> 8) & 0xFF) - Int(c.b)) <= 30
            }.count
            #expect(n > 50, "run \(k) colour \(RunStyle.color(k)): \(n) pixels")
        }
    }

    @Test func sidecarRecordsTheStepsRunEvenWithoutATrajectory() throws {
        let dir = try TestPresets.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // d = 20 > FigureRunner.trajectoryLimit: only losses are recorded.
        let text = """
        {"id": "wide", "output": "plots/gallery/wide.png", "size": [500, 320], "layout": "loss",
         "function": {"name": "diagonal-quadratic", "dimension": 20, "parameters": {"kappa": 10}},
         "optimizers": [{"name": "mezo", "options": {"lr": 0.01}}, {"name": "mezo", "label": "too fast", "options": {"lr": 50}}],
         "steps": 30, "seed": 1}
        """
        let report = try FigureRenderer(outputDirectory: dir.path).render(try PresetParser.parse(text, file: "wide.json"))
        #expect(report.runs[0].trajectory.isEmpty)
        #expect(report.sidecar.runs[0].steps == 30 && report.runs[0].stepsCompleted == 30)
        #expect(report.sidecar.runs[0].forwardPasses == 60)
        let diverged = try #require(report.runs[1].divergence)
        #expect(report.sidecar.runs[1].steps == report.runs[1].stepsCompleted)
        #expect(report.sidecar.runs[1].steps < 30 && report.sidecar.runs[1].steps <= diverged.step + 1)
        #expect(report.sidecar.runs[1].forwardPasses == 2 * report.sidecar.runs[1].steps)
        // With a trajectory (d = 2), the count agrees with it.
        let small = try FigureRenderer(outputDirectory: dir.path).render(try PresetParser.parse(TestPresets.tiny, file: "tiny.json"))
        #expect(small.sidecar.runs.map(\.steps) == [20, 20] && small.runs[1].trajectory.count == 21)
    }

    @Test func figureTextSaysHowEtaWasChosenAndWhereRunsEnded() throws {
        let text = TestPresets.tiny.replacingOccurrences(of: #""options": {"lr": 0.01, "eps": 0.001}"#,
                                                         with: #""search": {"criterion": "mean-loss", "range": [1e-4, 1], "budget": {"coarse": 4, "refine": 1}}"#)
        let preset = try PresetParser.parse(text, file: "tiny.json")
        let runs = try FigureRunner.run(preset)
        let composer = FigureComposer(preset: preset, runs: runs)
        #expect(composer.settings.text.contains("η tuned on mean of f(θ_t) over t = 0…20, 5 runs in [10⁻⁴, 1], search seed 3"))
        // Legends give each run's final f; the composer draws with the run styles.
        let final = try #require(runs[1].evaluations.last).loss
        let label = composer.legendLabel(runs[1], final: .loss)
        #expect(label.hasSuffix(": final f = \(NumberFormat.compact(final))"))
        let panel = try composer.contourPanel(function: preset.functions[0], row: 0, view: [0, 1], runs: runs)
        #expect(panel.trajectories.map(\.dash) == [RunStyle.dash(0), RunStyle.dash(1)])
        #expect(panel.trajectories[1].color == RunStyle.color(1) && panel.trajectories[1].label == label)
    }

    @Test func gridFiguresCarryAFigureLegend() throws {
        let text = TestPresets.tiny.replacingOccurrences(of: #""layout": "contour""#, with: #""layout": "grid""#)
        let preset = try PresetParser.parse(text, file: "tiny.json")
        let figure = try FigureComposer(preset: preset, runs: try FigureRunner.run(preset)).figure()
        #expect(figure.legend.map(\.label) == ["cyclic exact CD", "MeZO", "start", "minimum"])
        #expect(figure.legend[1].color == RunStyle.color(1) && figure.legend[1].dash == RunStyle.dash(1))
        #expect(!figure.subtitle.contains("○ start"))
    }
}
