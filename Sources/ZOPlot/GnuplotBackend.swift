import Foundation
import ZOCore

/// Renders a ``LineChart`` with an external `gnuplot` (5.x) instead of Cairo — for users who
/// want gnuplot's look or its script to edit.
///
/// Availability is a typed outcome, never a crash: ``locate(searchPath:)`` throws
/// ``PlotError/gnuplotNotFound(searched:)`` when no executable is on the path, and rendering
/// with a missing or failing binary throws ``PlotError/gnuplotNotFound(searched:)`` or
/// ``PlotError/gnuplotFailed(status:message:)``. The terminal is `pngcairo` when gnuplot has
/// it, else the libgd `png` terminal. Data go inline as datablocks (`$s0 << EOD`); diverged
/// series end with a ✗ point (gnuplot point type 2) and their legend says so; the key sits
/// below the plot, so it never hides data; a series' dash pattern becomes a `dt (…)` clause.
/// Caller text is set `noenhanced` (no markup).
public struct GnuplotBackend: Sendable {
    public let executable: URL

    public init(executable: URL) { self.executable = executable }

    /// The environment variable that names the gnuplot executable to use (a path), bypassing
    /// the `PATH` search; a path that is not an executable file (e.g. `none`) makes gnuplot
    /// count as not installed.
    public static let executableVariable = "ZOLAB_GNUPLOT"

    /// The executable named by `$ZOLAB_GNUPLOT` when it is set and `searchPath` is nil, else
    /// the first executable `gnuplot` in `searchPath` (default: `$PATH`).
    /// - Throws: ``PlotError/gnuplotNotFound(searched:)`` naming what was searched.
    public static func locate(searchPath: String? = nil,
                              environment: [String: String] = ProcessInfo.processInfo.environment) throws -> GnuplotBackend {
        if searchPath == nil, let explicit = environment[executableVariable], !explicit.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: explicit) else {
                throw PlotError.gnuplotNotFound(searched: "\(executableVariable)=\(explicit)")
            }
            return GnuplotBackend(executable: URL(fileURLWithPath: explicit))
        }
        let path = searchPath ?? environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent("gnuplot")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return GnuplotBackend(executable: candidate) }
        }
        throw PlotError.gnuplotNotFound(searched: path.isEmpty ? "(empty PATH)" : path)
    }

    /// Runs gnuplot with `arguments`; returns (status, stdout + stderr).
    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw PlotError.gnuplotNotFound(searched: executable.path)
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw PlotError.gnuplotNotFound(searched: "\(executable.path) (\(error.localizedDescription))")
        }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// Names of the terminals this gnuplot offers (`gnuplot -e "set terminal"`).
    public func terminals() throws -> Set<String> {
        let (status, output) = try run(["-e", "set terminal"])
        guard status == 0 else { throw PlotError.gnuplotFailed(status: status, message: output) }
        var names = Set<String>()
        for line in output.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let name = trimmed.split(separator: " ").first, line.hasPrefix(" ") { names.insert(String(name)) }
        }
        return names
    }

    /// `pngcairo` if available, else `png`; throws when neither is.
    public func pngTerminal() throws -> String {
        let available = try terminals()
        if available.contains("pngcairo") { return "pngcairo" }
        if available.contains("png") { return "png" }
        throw PlotError.gnuplotFailed(status: 0, message: "gnuplot has neither the pngcairo nor the png terminal")
    }

    /// The gnuplot script for `chart` (pure; ``render(_:width:height:to:terminal:)`` runs it).
    public func script(for chart: LineChart, width: Int, height: Int, output: URL, terminal: String) throws -> String {
        let (x, y, _) = try chart.axes()
        let style = PlotStyle()
        var s: [String] = ["set encoding utf8"]
        if terminal == "pngcairo" {
            s.append("set terminal pngcairo size \(width),\(height) enhanced font '\(PlotStyle.defaultFontFamily),10'")
        } else {
            s.append("set terminal \(terminal) size \(width),\(height) enhanced")
        }
        s.append("set output \(Self.quote(output.path))")
        let subtitle = chart.settings?.text ?? chart.subtitle
        let title = [chart.title, subtitle].filter { !$0.isEmpty }.joined(separator: "\n")
        // Enhanced text for the 10^{k} tick labels only: every caller string is noenhanced.
        if !title.isEmpty { s.append("set title \(Self.quote(title)) noenhanced") }
        s.append("set xlabel \(Self.quote(chart.xLabel)) noenhanced")
        s.append("set ylabel \(Self.quote(chart.yLabel)) noenhanced")
        if chart.xScale == .logarithmic { s.append("set logscale x 10") }
        if chart.yScale == .logarithmic { s.append("set logscale y 10"); s.append("set format y '10^{%L}'") }
        s.append("set xrange [\(Self.number(x.lower)):\(Self.number(x.upper))]")
        s.append("set yrange [\(Self.number(y.lower)):\(Self.number(y.upper))]")
        if chart.showsGrid { s.append("set grid lc rgb '#e3e3e3' lt 1") }
        // Key below the plot, without a box: gnuplot puts a boxed multi-row key's border
        // across the x label.
        s.append("set key below Left reverse height 0.6")
        s.append("set xlabel offset 0,0.4")
        var plots: [String] = []
        for (k, series) in chart.series.enumerated() {
            s.append("$s\(k) << EOD")
            var previousDrawable = true
            for p in series.finitePoints {
                if chart.drawable(p) {
                    s.append("\(Self.number(p.x)) \(Self.number(p.y))")
                    previousDrawable = true
                } else if previousDrawable {
                    s.append("")  // a blank line breaks the line in gnuplot
                    previousDrawable = false
                }
            }
            s.append("EOD")
            let color = "'\(chart.color(k, style: style))'"
            let pointType = [7, 5, 9, 13, 11, 15, 4, 1][k % 8]
            let interval = max(1, series.points.count / max(1, chart.markersPerSeries))
            let withPoints = chart.markersPerSeries > 0 ? "linespoints pt \(pointType) ps 0.9 pi \(interval)" : "lines"
            plots.append("$s\(k) using 1:2 with \(withPoints) lw 2 lc rgb \(color)\(Self.dashType(series.dash, lineWidth: 2)) "
                         + "title \(Self.quote(series.legendLabel)) noenhanced")
            if series.divergenceIndex != nil, let last = series.finitePoints.last(where: chart.drawable) {
                s.append("$d\(k) << EOD")
                s.append("\(Self.number(last.x)) \(Self.number(last.y))")
                s.append("EOD")
                plots.append("$d\(k) using 1:2 with points pt 2 ps 2.5 lw 2 lc rgb \(color) notitle")
            }
        }
        if plots.isEmpty {
            s.append("set label 1 'no data' at graph 0.5, 0.5 center")
            plots.append("NaN notitle")
        }
        s.append("plot " + plots.joined(separator: ", \\\n     "))
        s.append("unset output")
        return s.joined(separator: "\n") + "\n"
    }

    /// Renders `chart` to a PNG at `url` (written atomically); `terminal` nil picks
    /// ``pngTerminal()``. Returns the terminal used and the script.
    @discardableResult
    public func render(_ chart: LineChart, width: Int, height: Int, to url: URL, terminal: String? = nil) throws -> GnuplotRendering {
        guard width > 0, height > 0, width <= 32767, height <= 32767 else {
            throw PlotError.invalidSize(width: Double(width), height: Double(height))
        }
        let term = try terminal ?? pngTerminal()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("zoplot-gnuplot-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        } catch {
            throw PlotError.io(path: scratch.path, reason: error.localizedDescription)
        }
        defer { try? FileManager.default.removeItem(at: scratch) }
        let image = scratch.appendingPathComponent("chart.png")
        let scriptURL = scratch.appendingPathComponent("chart.gp")
        let text = try script(for: chart, width: width, height: height, output: image, terminal: term)
        do {
            try text.write(to: scriptURL, atomically: false, encoding: .utf8)
        } catch {
            throw PlotError.io(path: scriptURL.path, reason: error.localizedDescription)
        }
        let (status, output) = try run([scriptURL.path])
        guard status == 0 else { throw PlotError.gnuplotFailed(status: status, message: output) }
        guard let data = try? Data(contentsOf: image), data.starts(with: PNGChunks.signature) else {
            throw PlotError.gnuplotFailed(status: status, message: "no PNG written; gnuplot said: \(output)")
        }
        do {
            try AtomicFile.write(data, to: url)
        } catch let error as CoreError {
            throw PlotError.io(path: url.path, reason: error.description)
        }
        return GnuplotRendering(terminal: term, script: text, output: url, messages: output)
    }

    /// A gnuplot string literal: double-quoted, with backslash, quote and newline escaped.
    static func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    static func number(_ v: Double) -> String { String(format: "%.17g", v) }

    /// The series' dash pattern as a gnuplot `dt (…)` clause (empty for a solid line). gnuplot
    /// scales dash lengths by the line width, Cairo does not: lengths are divided by it.
    static func dashType(_ dash: [Double], lineWidth: Double) -> String {
        guard !dash.isEmpty, dash.allSatisfy({ $0.isFinite && $0 > 0 }) else { return "" }
        return " dt (" + dash.map { String(format: "%.3g", $0 / lineWidth) }.joined(separator: ",") + ")"
    }
}

/// What ``GnuplotBackend/render(_:width:height:to:terminal:)`` did.
public struct GnuplotRendering: Sendable {
    public var terminal: String
    public var script: String
    public var output: URL
    /// gnuplot's own messages (warnings), if any.
    public var messages: String
}
