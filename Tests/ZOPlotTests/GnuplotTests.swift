import Foundation
import Testing
@testable import ZOPlot

@Suite("gnuplot backend")
struct GnuplotTests {
    /// Whether this machine has gnuplot (scripts/setup.sh installs gnuplot-nox). The rendering
    /// test is reported as skipped, not passed, when it does not.
    static let installed = (try? GnuplotBackend.locate()) != nil

    static var chart: LineChart {
        var c = LineChart(series: [
            LineSeries(label: "MeZO \"quoted\" 'name'", values: (0..<100).map { 5 * exp(-Double($0) / 30) + 0.01 }),
            LineSeries(label: "blows up", values: (0..<100).map { $0 < 60 ? exp(Double($0) / 20) : .infinity }),
        ])
        c.series[1].dash = [7, 3.5]
        c.title = "Loss"
        c.settings = PlotSettings(optimizer: "MeZO", learningRate: 1e-3, epsilon: 1e-3, steps: 100, seed: 0)
        return c
    }

    @Test func missingGnuplotIsATypedOutcome() throws {
        #expect(throws: PlotError.self) { try GnuplotBackend.locate(searchPath: "/nonexistent-dir:/also-not-here") }
        let absent = GnuplotBackend(executable: URL(fileURLWithPath: "/nonexistent-dir/gnuplot"))
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("zoplot-never-\(UUID().uuidString).png")
        #expect(throws: PlotError.gnuplotNotFound(searched: "/nonexistent-dir/gnuplot")) {
            try absent.render(Self.chart, width: 400, height: 300, to: out, terminal: "png")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func environmentOverrideNamesTheExecutable() throws {
        let variable = GnuplotBackend.executableVariable
        #expect(throws: PlotError.gnuplotNotFound(searched: "\(variable)=/nonexistent-dir/gnuplot")) {
            try GnuplotBackend.locate(environment: [variable: "/nonexistent-dir/gnuplot", "PATH": "/usr/bin:/bin"])
        }
        #expect(throws: PlotError.gnuplotNotFound(searched: "\(variable)=none")) {
            try GnuplotBackend.locate(environment: [variable: "none"])
        }
        // Any executable file is taken as given (it is not run here).
        #expect(try GnuplotBackend.locate(environment: [variable: "/bin/sh"]).executable.path == "/bin/sh")
        // An explicit search path wins over the variable; an empty variable is ignored.
        #expect(throws: PlotError.self) { try GnuplotBackend.locate(searchPath: "/nonexistent-dir", environment: [variable: "/bin/sh"]) }
        #expect(throws: PlotError.gnuplotNotFound(searched: "/nonexistent-dir")) {
            try GnuplotBackend.locate(environment: [variable: "", "PATH": "/nonexistent-dir"])
        }
    }

    @Test func scriptCarriesDataDivergenceAndEscapes() throws {
        let backend = GnuplotBackend(executable: URL(fileURLWithPath: "/usr/bin/gnuplot"))
        let script = try backend.script(for: Self.chart, width: 640, height: 480, output: URL(fileURLWithPath: "/tmp/o.png"), terminal: "pngcairo")
        #expect(script.contains("set terminal pngcairo size 640,480 enhanced"))
        #expect(script.contains("noenhanced"))
        #expect(script.contains("set logscale y"))
        #expect(script.contains("blows up (diverged at step 60)"))
        #expect(script.contains("\\\"quoted\\\""))
        #expect(script.contains("$d1 << EOD"))  // the ✗ at the last finite point
        #expect(script.contains("lc rgb '#1f77b4' dt (3.5,1.75) title"))  // Cairo's 7-on-3.5 px dash at lw 2
        #expect(!script.contains("lc rgb '#d62728' dt"))
        #expect(script.contains("MeZO · η = 0.001 · ε = 0.001 · 100 steps · seed 0"))
        #expect(!script.contains("inf") && !script.contains("nan"))
    }

    @Test(.enabled(if: GnuplotTests.installed, "gnuplot is not installed (scripts/setup.sh installs gnuplot-nox)"))
    func rendersWhenInstalled() throws {
        let backend = try GnuplotBackend.locate()
        let terminals = try backend.terminals()
        #expect(terminals.contains("png") || terminals.contains("pngcairo"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zoplot-gnuplot-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        for terminal in ["pngcairo", "png"] where terminals.contains(terminal) {
            let url = dir.appendingPathComponent("loss-\(terminal).png")
            let result = try backend.render(Self.chart, width: 640, height: 400, to: url, terminal: terminal)
            #expect(result.terminal == terminal)
            let image = try PNGReader.read(contentsOf: url)
            #expect(image.width == 640 && image.height == 400)
            #expect(image.distinctColorCount > 4)
            // Both series are drawn in their palette colours (#D62728 and #1F77B4).
            #expect(Self.count(image, near: 0xD62728) > 100 && Self.count(image, near: 0x1F77B4) > 100)
            if let sampleDir = ProcessInfo.processInfo.environment["ZOPLOT_SAMPLE_DIR"] {
                try? FileManager.default.copyItem(at: url, to: URL(fileURLWithPath: sampleDir).appendingPathComponent("sample-gnuplot-\(terminal).png"))
            }
        }
        // A broken script is a typed failure with gnuplot's message.
        #expect(throws: PlotError.self) { try backend.render(Self.chart, width: 640, height: 400, to: dir.appendingPathComponent("x.png"), terminal: "no-such-terminal") }
    }

    /// Pixels within 30 per channel of `hex`.
    static func count(_ image: RasterImage, near hex: UInt32) -> Int {
        let r = Int(hex >> 16 & 0xFF), g = Int(hex >> 8 & 0xFF), b = Int(hex & 0xFF)
        return image.pixels.filter { p in
            abs(Int(p >> 24) - r) <= 30 && abs(Int((p >> 16) & 0xFF) - g) <= 30 && abs(Int((p >> 8) & 0xFF) - b) <= 30
        }.count
    }
}
