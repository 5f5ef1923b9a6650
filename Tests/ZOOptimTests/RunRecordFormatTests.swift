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
        #expect(lines[0].hasSuffix("x0,x1,x2"))
        let last = lines[6].split(separator: ",", omittingEmptySubsequences: false)
        #expect(Double(last[last.count - 1]) == run.trajectory[5][2])
        #expect(last[5] == "10")   // cumulative forwards after 5 MeZO steps
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
