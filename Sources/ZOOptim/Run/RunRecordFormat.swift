import Foundation
import ZOCore

/// Files a run writes for plots and verification to consume.
///
/// JSON Lines (canonical, read back by ``RunRecordFormat/readJSONLines(_:)``):
///   line 1: `{"kind":"run", "optimizer":…, "settings":{…}, "configuration":{…}, "metadata":{…}, "divergence":…}`
///   then one `{"kind":"step", "step":t, "x":[θ_t…]?, "evaluation":L(θ_t)?, "report":{StepReport}?}` per
///   point θ_0 … θ_T (θ_T has no report).
/// CSV (for spreadsheets; write only): header `step,loss,losses,evaluation,forward,backward,
///   cumulative_forward,projected_gradient,active_blocks,state_bytes,diag.<key>…,x0,x1,…`, one
///   row per point; list cells (`losses`, `projected_gradient`, `active_blocks`) are
///   semicolon-joined, and each diagnostic key reported at any step gets a `diag.<key>` column
///   (sorted by key; empty where a step did not report it). It carries every number of the JSON
///   Lines step records; the run header (optimizer, settings) is JSON Lines only.
public enum RunRecordFormat {
    public struct Header: Codable, Sendable {
        public var kind = "run"
        public var optimizer: String
        public var settings: [String: String]
        public var configuration: RunConfiguration
        /// Free-form context, e.g. "function", "dimension".
        public var metadata: [String: String]
        public var divergence: Divergence?
    }

    public struct Point: Codable, Sendable {
        public var kind = "step"
        public var step: Int
        public var x: [Double]?
        public var evaluation: Double?
        public var report: StepReport?
    }

    /// The points of `result`: θ_0 … θ_T with their evaluations and reports.
    public static func points(_ result: RunResult) -> [Point] {
        let start = result.reports.first?.step ?? result.evaluations.first?.step ?? 0
        let count = max(result.trajectory.count, result.reports.count + 1)
        let evaluations = Dictionary(result.evaluations.map { ($0.step, $0.loss) }, uniquingKeysWith: { a, _ in a })
        return (0..<count).map { i in
            Point(step: start + i, x: i < result.trajectory.count ? result.trajectory[i] : nil,
                  evaluation: evaluations[start + i], report: i < result.reports.count ? result.reports[i] : nil)
        }
    }

    public static func jsonLines(_ result: RunResult, metadata: [String: String] = [:]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var lines = [String(decoding: try encoder.encode(Header(optimizer: result.optimizer, settings: result.settings,
                                                                   configuration: result.configuration, metadata: metadata,
                                                                   divergence: result.divergence)), as: UTF8.self)]
        for p in points(result) { lines.append(String(decoding: try encoder.encode(p), as: UTF8.self)) }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func csv(_ result: RunResult) -> String {
        let d = result.trajectory.first?.count ?? 0
        let diagnosticKeys = Set(result.reports.flatMap { $0.diagnostics.keys }).sorted()
        var rows = [(["step", "loss", "losses", "evaluation", "forward", "backward", "cumulative_forward", "projected_gradient",
                      "active_blocks", "state_bytes"] + diagnosticKeys.map { "diag.\($0)" } + (0..<d).map { "x\($0)" })
            .joined(separator: ",")]
        var cumulative = 0
        func f(_ v: Double?) -> String { v.map { "\($0)" } ?? "" }
        for p in points(result) {
            cumulative += p.report?.forwardPasses ?? 0
            let r = p.report
            let forward = r.map { String($0.forwardPasses) } ?? ""
            let backward = r.map { String($0.backwardPasses) } ?? ""
            let losses: String = r?.losses.map { "\($0)" }.joined(separator: ";") ?? ""
            let gradients: String = r?.projectedGradients.map { "\($0)" }.joined(separator: ";") ?? ""
            let blocks: String = r?.activeBlocks.map { String($0) }.joined(separator: ";") ?? ""
            let bytes = r.map { String($0.stateBytes) } ?? ""
            var cells: [String] = [String(p.step), f(r?.loss), losses, f(p.evaluation), forward, backward, String(cumulative)]
            cells += [gradients, blocks, bytes]
            cells += diagnosticKeys.map { f(r?.diagnostics[$0]) }
            cells += (0..<d).map { i in p.x.map { "\($0[i])" } ?? "" }
            rows.append(cells.joined(separator: ","))
        }
        return rows.joined(separator: "\n") + "\n"
    }

    /// Errors reading a run file.
    public enum ReadError: Error, CustomStringConvertible, Equatable {
        case empty
        case malformedLine(Int, String)

        public var description: String {
            switch self {
            case .empty: return "run file is empty"
            case .malformedLine(let n, let why): return "run file line \(n): \(why)"
            }
        }
    }

    /// Parses a JSON Lines run file back into its header and points.
    public static func readJSONLines(_ text: String) throws -> (header: Header, points: [Point]) {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard let first = lines.first else { throw ReadError.empty }
        let header: Header
        do { header = try decoder.decode(Header.self, from: Data(first.utf8)) } catch {
            throw ReadError.malformedLine(1, "not a run header (\(error))")
        }
        var points: [Point] = []
        for (i, line) in lines.dropFirst().enumerated() {
            do { points.append(try decoder.decode(Point.self, from: Data(line.utf8))) } catch {
                throw ReadError.malformedLine(i + 2, "not a step record (\(error))")
            }
        }
        return (header, points)
    }
}
