import Foundation
import ZOCore

/// Writes a ``SuiteReport``: `DIR/report.md`, `DIR/report.json`, `DIR/figures/<check>.png`,
/// and the per-check pages `PAGES/<check>.md` + `PAGES/figures/<check>.png`. Every file is
/// written atomically (``AtomicFile``).
public enum ReportWriter {
    public static func write(_ report: SuiteReport, to directory: URL, pages: URL?) throws {
        for o in report.outcomes {
            guard let figure = o.result.figure else { continue }
            try output(directory.appendingPathComponent("figures/\(o.check).png").path) {
                try FigureRenderer.write(figure, to: directory.appendingPathComponent("figures/\(o.check).png"))
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let json = directory.appendingPathComponent("report.json")
        try output(json.path) { try AtomicFile.write(try encoder.encode(report), to: json) }
        let md = directory.appendingPathComponent("report.md")
        try output(md.path) { try AtomicFile.write(ReportMarkdown.report(report, figures: "figures"), to: md) }
        guard let pages else { return }
        for o in report.outcomes {
            guard let check = try? CheckRegistry.check(named: o.check) else { continue }
            let page = pages.appendingPathComponent("\(o.check).md")
            if let figure = o.result.figure {
                let png = pages.appendingPathComponent("figures/\(o.check).png")
                try output(png.path) { try FigureRenderer.write(figure, to: png) }
            }
            try output(page.path) { try AtomicFile.write(CheckPage.markdown(check, outcome: o, report: report), to: page) }
        }
    }

    /// Decodes a `report.json`.
    public static func read(_ url: URL) throws -> SuiteReport {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(SuiteReport.self, from: Data(contentsOf: url))
    }

    static func output(_ path: String, _ body: () throws -> Void) throws {
        do { try body() } catch let e as VerifyError { throw e } catch {
            throw VerifyError.output(path: path, reason: "\(error)")
        }
    }
}
