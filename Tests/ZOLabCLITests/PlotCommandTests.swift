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
        let w = data[16..<20].reduce(0) { $0 << 8 | Int($1) }, h = data[20..<24].reduce(0) { $0 << 8 | Int($1) }
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
        #expect(bad.status != 0 && bad.stderr.contains("empty or degenerate"))
        let unknown = try CLIRunner.run(["plot", "--function", "hizoo-c", "--optimizers", "mezzo", "--out", out])
        #expect(unknown.status != 0 && unknown.stderr.contains("unknown optimizer 'mezzo'"))
        let neither = try CLIRunner.run(["plot"])
        #expect(neither.status != 0 && neither.stderr.contains("exactly one of"))
    }
}
