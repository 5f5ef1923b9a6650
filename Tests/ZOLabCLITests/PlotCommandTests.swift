import Foundation
import Testing

/// `zolab plot` end to end: a tiny preset renders; bad presets and arguments fail with a
/// message that names the problem.
@Suite("zolab plot end to end")
struct PlotCommandTests {
    static let tinyPreset = """
    {
      "id": "tiny-cli",
      "output": "plots/gallery/tiny-cli.png",
      "size": [400, 320],
      "function": {"name": "hizoo-c", "resolution": 40, "levels": {"scale": "log", "count": 8}},
      "optimizers": [{"name": "mezo", "label": "MeZO", "options": {"lr": 0.001}}],
      "steps": 15,
      "seed": 1
    }
    """

    /// Width and height from a PNG's IHDR chunk (bytes 16–23, big-endian).
    static func pngSize(_ data: Data) -> (width: Int, height: Int) {
        (data[16..<20].reduce(0) { $0 << 8 | Int($1) }, data[20..<24].reduce(0) { $0 << 8 | Int($1) })
    }

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("zolab-plot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func presetRendersIntoTheOutputDirectory() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let preset = dir.appendingPathComponent("tiny-cli.json")
        try Self.tinyPreset.write(to: preset, atomically: true, encoding: .utf8)
        let r = try CLIRunner.run(["plot", "--preset", preset.path, "--out", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        let png = dir.appendingPathComponent("tiny-cli.png")
        #expect(r.stdout.contains(png.path) && r.stderr.contains("[1/1] hizoo-c × MeZO"))
        let data = try Data(contentsOf: png)
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        // IHDR width and height (big-endian at bytes 16…23).
        let (w, h) = Self.pngSize(data)
        #expect(w == 400 && h == 320)
        let sidecar = try String(contentsOf: dir.appendingPathComponent("tiny-cli.png.json"), encoding: .utf8)
        #expect(sidecar.contains("\"command\" : \"zolab plot --preset \(preset.path)\""))
        // No temporary files are left behind by the atomic writes.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func badPresetFailsNamingTheKey() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let preset = dir.appendingPathComponent("bad.json")
        try Self.tinyPreset.replacingOccurrences(of: "\"options\"", with: "\"optoins\"").write(to: preset, atomically: true, encoding: .utf8)
        let r = try CLIRunner.run(["plot", "--preset", preset.path, "--out", dir.path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("\(preset.path): optimizers[0].optoins: unknown key; known: name, options, search, label"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("tiny-cli.png").path))

        let missing = try CLIRunner.run(["plot", "--preset", dir.appendingPathComponent("none.json").path])
        #expect(missing.status != 0 && missing.stderr.contains("cannot read the preset"))
    }

    @Test func adHocFigureAndItsValidation() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("adhoc.png").path
        let ok = try CLIRunner.run(["plot", "--function", "hizoo-c", "--optimizers", "mezo:lr=1e-3,mezo:lr=1e-4",
                                    "--steps", "10", "--seed", "2", "--size", "700x320", "--out", out, "--quiet"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(FileManager.default.fileExists(atPath: out) && FileManager.default.fileExists(atPath: out + ".json"))
        #expect(try String(contentsOfFile: out + ".json", encoding: .utf8).contains("--optimizers mezo:lr=1e-3,mezo:lr=1e-4"))

        let bad = try CLIRunner.run(["plot", "--function", "hizoo-c", "--optimizers", "mezo", "--domain=1,1,0,2", "--out", out])
        #expect(bad.status == 64 && bad.stderr.contains("empty or degenerate"))
        let unknown = try CLIRunner.run(["plot", "--function", "hizoo-c", "--optimizers", "mezzo", "--out", out])
        #expect(unknown.status == 64 && unknown.stderr.contains("unknown optimizer 'mezzo'"))
        let unknownFunction = try CLIRunner.run(["plot", "--function", "rosenbrok", "--optimizers", "mezo", "--out", out])
        #expect(unknownFunction.status == 64 && unknownFunction.stderr.contains("unknown test function"), "\(unknownFunction.stderr)")
        let neither = try CLIRunner.run(["plot"])
        #expect(neither.status == 64 && neither.stderr.contains("exactly one of"))
    }

    /// The tiny preset under another id and output name.
    static func tinyPreset(id: String, extra: String = "") -> String {
        var text = tinyPreset.replacingOccurrences(of: "tiny-cli", with: id)
        if !extra.isEmpty { text = String(text.trimmingCharacters(in: .whitespacesAndNewlines).dropLast()) + ", " + extra + "}" }
        return text
    }

    @Test func allRendersEveryPresetAndReportsTheFailures() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let presets = dir.appendingPathComponent("presets"), out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: presets, withIntermediateDirectories: true)
        for id in ["first", "second"] {
            try Self.tinyPreset(id: id).write(to: presets.appendingPathComponent(id + ".json"), atomically: true, encoding: .utf8)
        }
        try "not a preset".write(to: presets.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let r = try CLIRunner.run(["plot", "--all", "--presets-dir", presets.path, "--out", out.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let written = r.stdout.split(separator: "\n").map(String.init)
        #expect(written == ["first", "second"].flatMap { [out.appendingPathComponent($0 + ".png").path, out.appendingPathComponent($0 + ".png.json").path] })
        for path in written where path.hasSuffix(".png") {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }

        // One bad preset: the others are still rendered, the command fails naming it.
        try Self.tinyPreset(id: "broken").replacingOccurrences(of: "\"steps\": 15", with: "\"steps\": -1")
            .write(to: presets.appendingPathComponent("broken.json"), atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: out)
        let bad = try CLIRunner.run(["plot", "--all", "--presets-dir", presets.path, "--out", out.path, "--quiet"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("1 of 3 presets failed: \(presets.path)/broken.json"), "\(bad.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("first.png").path))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("second.png").path))

        let empty = try CLIRunner.run(["plot", "--all", "--presets-dir", out.appendingPathComponent("none").path])
        #expect(empty.status != 0 && empty.stderr.contains("cannot list presets"))
    }

    @Test func savedPresetReproducesTheAdHocFigure() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let figure = dir.appendingPathComponent("adhoc.png").path, saved = dir.appendingPathComponent("adhoc-preset.json").path
        let adHoc = try CLIRunner.run(["plot", "--function", "hizoo-c", "--optimizers", "mezo:lr=1e-3,hizoo",
                                       "--steps", "12", "--seed", "4", "--size", "640x300", "--levels", "log",
                                       "--out", figure, "--save-preset", saved, "--quiet"])
        #expect(adHoc.status == 0, "\(adHoc.stderr)")
        #expect(adHoc.stdout.split(separator: "\n").first.map(String.init) == saved)
        let preset = try String(contentsOfFile: saved, encoding: .utf8)
        #expect(preset.contains("\"id\" : \"adhoc-preset\"") || preset.contains("\"id\": \"adhoc-preset\""))
        // Rendering the saved preset elsewhere gives the same image, byte for byte (the η
        // search of "hizoo" runs again with the same seed).
        let again = dir.appendingPathComponent("again")
        let r = try CLIRunner.run(["plot", "--preset", saved, "--out", again.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let first = try Data(contentsOf: URL(fileURLWithPath: figure))
        let second = try Data(contentsOf: again.appendingPathComponent("adhoc.png"))
        #expect(first == second)
        let sidecar = try String(contentsOf: again.appendingPathComponent("adhoc.png.json"), encoding: .utf8)
        #expect(sidecar.contains("\"command\" : \"zolab plot --preset \(saved)\""))
    }

    @Test func missingGnuplotIsANoteNotAFailure() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let preset = dir.appendingPathComponent("with-gnuplot.json")
        try Self.tinyPreset(id: "with-gnuplot", extra: #""gnuplot": {"output": "plots/gallery/with-gnuplot-gp.png", "size": [480, 300]}"#)
            .write(to: preset, atomically: true, encoding: .utf8)
        let chart = dir.appendingPathComponent("with-gnuplot-gp.png")
        let r = try CLIRunner.run(["plot", "--preset", preset.path, "--out", dir.path, "--quiet"],
                                  environment: ["ZOLAB_GNUPLOT": "/nonexistent-dir/gnuplot"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("note: gnuplot not found (searched ZOLAB_GNUPLOT=/nonexistent-dir/gnuplot): skipped \(chart.path)"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: chart.path))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("with-gnuplot.png").path))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/gnuplot"), "gnuplot is not installed at /usr/bin/gnuplot"))
    func installedGnuplotChartIsWritten() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let preset = dir.appendingPathComponent("with-gnuplot.json")
        try Self.tinyPreset(id: "with-gnuplot", extra: #""gnuplot": {"output": "plots/gallery/with-gnuplot-gp.png", "size": [480, 300]}"#)
            .write(to: preset, atomically: true, encoding: .utf8)
        let r = try CLIRunner.run(["plot", "--preset", preset.path, "--out", dir.path, "--quiet"],
                                  environment: ["ZOLAB_GNUPLOT": "/usr/bin/gnuplot"])
        #expect(r.status == 0, "\(r.stderr)")
        let chart = dir.appendingPathComponent("with-gnuplot-gp.png")
        #expect(r.stdout.contains(chart.path))
        let data = try Data(contentsOf: chart)
        let (w, h) = Self.pngSize(data)
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]) && w == 480 && h == 300)
    }

    @Test func benchPlotTimesRealOptimizerRuns() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let png = dir.appendingPathComponent("bench.png")
        // Small settings: this checks the plumbing, not the timing.
        let r = try CLIRunner.run(["bench", "plot", "--size", "240", "--grid", "40", "--steps", "30", "--repeats", "1",
                                   "--output", png.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("from 6 optimizer runs × 30 steps on Rosenbrock"))
        #expect(r.stdout.contains("optimizer runs (mezo, zo-adam, adam, hizoo, zo-sgd-mmt, sgd):"))
        for phase in ["grid evaluation (40×40", "contouring", "drawing (bands, lines, 6×30 steps", "PNG encode", "figure total"] {
            #expect(r.stdout.contains(phase), "missing phase \(phase)")
        }
        #expect(r.stdout.contains("figure render:") && r.stdout.contains("the < 1 s target"))
        let data = try Data(contentsOf: png)
        let (w, h) = Self.pngSize(data)
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]) && w == 240 && h == 240)

        let noRate = try CLIRunner.run(["bench", "plot", "--optimizers", "mezo", "--grid", "10", "--repeats", "1"])
        #expect(noRate.status == 64 && noRate.stderr.contains("mezo needs a fixed lr="), "\(noRate.stderr)")
        let unknown = try CLIRunner.run(["bench", "plot", "--optimizers", "mezzo:lr=1", "--grid", "10", "--repeats", "1"])
        #expect(unknown.status == 64 && unknown.stderr.contains("unknown optimizer 'mezzo'"), "\(unknown.stderr)")
        let badOption = try CLIRunner.run(["bench", "plot", "--optimizers", "mezo:lr=1:frob=2", "--grid", "10", "--repeats", "1"])
        #expect(badOption.status == 64 && badOption.stderr.contains("frob"), "\(badOption.stderr)")
    }
}
