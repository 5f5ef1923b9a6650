import Foundation
import Testing
import ZOCore
@testable import ZOOptim

@Suite("Run record files")
struct RunRecordFormatTests {
    func sampleRun() throws -> RunResult {
        let f = QuadraticObjective<Double>.diagonal(d: 3, kappa: 2)
        let opt = try OptimizerRegistry.make("mezo", options: ["lr": "0.05"], parameters: f.parameters)
        return try OptimizationRun.run(f, optimizer: opt, configuration: RunConfiguration(steps: 5, seed: 9))
    }

    @Test func jsonLinesRoundTrip() throws {
        let run = try sampleRun()
        let text = try RunRecordFormat.jsonLines(run, metadata: ["function": "quadratic"])
        let (header, points) = try RunRecordFormat.readJSONLines(text)
        #expect(header.optimizer == "mezo" && header.metadata["function"] == "quadratic")
        #expect(points.count == 6)
        #expect(points.map(\.x!) == run.trajectory)
        #expect(points.compactMap(\.report) == run.reports)
        #expect(points.last?.report == nil && points.last?.evaluation == run.finalLoss)
    }

    @Test func csvHasOneRowPerPointAndTheCoordinates() throws {
        let run = try sampleRun()
        let lines = RunRecordFormat.csv(run).split(separator: "\n")
        #expect(lines.count == 7)
        #expect(lines[0].hasPrefix("step,loss,losses,evaluation,forward,backward,cumulative_forward,"))
        #expect(lines[0].hasSuffix("x0,x1,x2"))
        let last = lines[6].split(separator: ",", omittingEmptySubsequences: false)
        #expect(Double(last[last.count - 1]) == run.trajectory[5][2])
        #expect(last[6] == "10")   // cumulative forwards after 5 MeZO steps
    }

    /// The CSV carries what the JSON Lines step records carry: every loss of a step
    /// (semicolon-joined) and one column per diagnostic key, in the same values.
    @Test func csvCarriesTheLossesAndEveryDiagnostic() throws {
        let f = QuadraticObjective<Double>.diagonal(d: 6, kappa: 3, blocks: [3, 3])
        let opt = try OptimizerRegistry.make("b-pdf", options: ["lr": "0.05", "active-blocks": "1", "hessian-samples": "2"],
                                             parameters: f.parameters)
        let run = try OptimizationRun.run(f, optimizer: opt, configuration: RunConfiguration(steps: 4, seed: 2))
        let table = RunRecordFormat.csv(run).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = table[0]
        let keys = Set(run.reports.flatMap { $0.diagnostics.keys })
        #expect(keys.contains("hessianClampedLow") && keys.contains("bcdSwitched") && keys.count >= 8)
        #expect(Set(header.filter { $0.hasPrefix("diag.") }) == Set(keys.map { "diag.\($0)" }))
        let lossesColumn = try #require(header.firstIndex(of: "losses"))
        for (row, report) in zip(table[1...], run.reports) {
            #expect(row.count == header.count)
            #expect(row[lossesColumn].split(separator: ";").map { Double($0)! } == report.losses)
            #expect(report.losses.count == 5)   // 1 + 2n with n = 2 Hessian samples
            for (key, value) in report.diagnostics {
                let column = try #require(header.firstIndex(of: "diag.\(key)"))
                #expect(Double(row[column]) == value || (value.isNaN && row[column] == "nan"), "\(key)")
            }
            for key in keys where report.diagnostics[key] == nil {
                #expect(row[header.firstIndex(of: "diag.\(key)")!] == "")
            }
        }
        #expect(table.last![lossesColumn] == "")   // θ_T has no report
    }

    @Test func malformedFilesAreReportedWithTheirLineNumber() {
        #expect(throws: RunRecordFormat.ReadError.empty) { try RunRecordFormat.readJSONLines("") }
        #expect(throws: RunRecordFormat.ReadError.self) { try RunRecordFormat.readJSONLines("{\"kind\":\"run\"}\n") }
        do {
            let good = try RunRecordFormat.jsonLines(try sampleRun())
            _ = try RunRecordFormat.readJSONLines(good + "{not json\n")
            Issue.record("expected a malformed-line error")
        } catch let RunRecordFormat.ReadError.malformedLine(n, _) {
            #expect(n == 8)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
