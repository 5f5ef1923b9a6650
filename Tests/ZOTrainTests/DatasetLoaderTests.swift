import Foundation
import Testing
@testable import ZOTrain

@Suite("Dataset loaders: JSON Lines, GLUE TSV, malformed lines")
struct DatasetLoaderTests {
    func issues(_ body: () throws -> Any) -> (lines: [Int], reasons: [String], total: Int)? {
        do {
            _ = try body()
        } catch DatasetError.malformedLines(_, let issues, let total) {
            return (issues.map(\.line), issues.map(\.reason), total)
        } catch {
            Issue.record("unexpected error \(error)")
        }
        return nil
    }

    @Test func jsonLinesAcceptsLabelNamesAndIndices() throws {
        let text = """
        {"sentence": "a fine film .", "label": "positive"}
        {"sentence": "a dull film .", "label": 0, "idx": 7}

        """
        let e = try JSONLinesReader.examples(Data(text.utf8), task: .sst2)
        #expect(e.count == 2 && e[0].label == 1 && e[1].label == 0 && e[1].line == 2)
        #expect(e[0].fields["sentence"] == "a fine film .")
    }

    @Test func everyMalformedJSONLineIsReportedWithItsNumber() {
        let text = """
        {"sentence": "ok .", "label": "positive"}
        {"sentence": "broken", "label":
        {"label": "negative"}
        {"sentence": "x .", "label": "neutral"}
        {"sentence": 3, "label": "negative"}

        [1, 2]
        {"sentence": "y .", "label": 5}
        {"sentence": "z .", "label": true}
        {"sentence": "fine .", "label": "negative"}
        """
        guard let r = issues({ try JSONLinesReader.examples(Data(text.utf8), task: .sst2) }) else { Issue.record("no error"); return }
        #expect(r.lines == [2, 3, 4, 5, 6, 7, 8, 9])
        #expect(r.total == 8)
        #expect(r.reasons[0] == "bad JSON")
        #expect(r.reasons[1].contains("missing field \"sentence\""))
        #expect(r.reasons[2].contains("unknown label \"neutral\""))
        #expect(r.reasons[3].contains("must be a string"))
        #expect(r.reasons[4] == "empty line")
        #expect(r.reasons[5] == "not a JSON object")
        #expect(r.reasons[6].contains("unknown label 5"))
        #expect(r.reasons[7].contains("label must be"))
    }

    @Test func errorMessageNamesFileAndLines() {
        let error = DatasetError.malformedLines(path: "d/train.jsonl", issues: [LineIssue(line: 4, reason: "bad JSON")], total: 1)
        #expect(error.description.contains("d/train.jsonl") && error.description.contains("line 4: bad JSON"))
    }

    @Test func rteNeedsBothFields() {
        let text = #"{"premise": "Anna sold the car.", "label": "entailment"}"# + "\n"
        let r = issues({ try JSONLinesReader.examples(Data(text.utf8), task: .rte) })
        #expect(r?.lines == [1] && r?.reasons[0].contains("\"hypothesis\"") == true)
    }

    @Test func glueTSVForSST2AndRTE() throws {
        let sst2 = "sentence\tlabel\nit 's a charming journey . \t1\na dull mess . \t0\n"
        let a = try TSVReader.examples(Data(sst2.utf8), task: .sst2)
        #expect(a.map(\.label) == [1, 0] && a[0].line == 2)
        let rte = "index\tsentence1\tsentence2\tlabel\n0\tAnna sold the car.\tAnna sold it.\tentailment\n1\tBen ran.\tBen sat.\tnot_entailment\n"
        let b = try TSVReader.examples(Data(rte.utf8), task: .rte)
        #expect(b.map(\.label) == [0, 1] && b[1].fields["hypothesis"] == "Ben sat.")
    }

    @Test func malformedTSVLinesAreReported() {
        let text = "sentence\tlabel\ngood .\t1\nno label column\nbad .\t7\n\t1\nfine .\t0\n"
        let r = issues({ try TSVReader.examples(Data(text.utf8), task: .sst2) })
        #expect(r?.lines == [3, 4, 5])
        #expect(r?.reasons[0].contains("1 column") == true && r?.reasons[1].contains("unknown label \"7\"") == true)
        let header = issues({ try TSVReader.examples(Data("text\tscore\nx\t1\n".utf8), task: .rte) })
        #expect(header?.lines == [1] && header?.reasons[0].contains("sentence1") == true)
    }

    @Test func corpusDocumentsNeedText() {
        let text = "{\"text\": \"one\"}\n{\"txt\": \"two\"}\n{\"text\": \"\"}\n"
        let r = issues({ try JSONLinesReader.documents(Data(text.utf8)) })
        #expect(r?.lines == [2, 3])
    }

    @Test func emptyFileIsAnError() {
        #expect(throws: DatasetError.empty(path: "<data>")) { try JSONLinesReader.examples(Data(), task: .sst2) }
    }

    @Test func loadFindsSplitsAndReportsMissingOnes() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Fixture.prepare(dir)
        let d = try TaskDataset.load(task: .rte, directory: dir.appendingPathComponent("data"))
        #expect(d.train.count == 40 && d.dev.count == 16 && d.test.count == 16)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("data/rte/dev.jsonl"))
        #expect(throws: DatasetError.self) { try TaskDataset.load(task: .rte, directory: dir.appendingPathComponent("data")) }
    }
}

@Suite("k-shot sampling and the generator")
struct SamplingTests {
    func examples(_ n: Int, classes: Int) -> [LabeledExample] {
        (0..<n).map { LabeledExample(fields: ["sentence": "s\($0)"], label: $0 % classes, line: $0 + 1) }
    }

    @Test func kShotIsDeterministicAndBalanced() throws {
        let data = examples(300, classes: 3)
        let a = try KShotSampler.sample(data, classes: 3, perClass: 16, seed: 7)
        let b = try KShotSampler.sample(data, classes: 3, perClass: 16, seed: 7)
        let c = try KShotSampler.sample(data, classes: 3, perClass: 16, seed: 8)
        #expect(a == b && a != c)
        #expect(TaskDataset.labelCounts(a, classes: 3) == [16, 16, 16])
        #expect(Set(a.map(\.line)).count == 48)   // without replacement
        #expect(throws: DatasetError.self) { try KShotSampler.sample(data, classes: 3, perClass: 101, seed: 1) }
    }

    @Test func subsetsAreSeededAndOrdered() {
        let data = examples(50, classes: 2)
        let s = KShotSampler.subset(data, count: 10, seed: 0, stream: 1)
        #expect(s.count == 10 && s == KShotSampler.subset(data, count: 10, seed: 0, stream: 1))
        #expect(s.map(\.line) == s.map(\.line).sorted())
        #expect(KShotSampler.subset(data, count: 0, seed: 0, stream: 1).count == 50)
    }

    @Test func generatorIsReproducibleAndSplitsAreDisjoint() throws {
        var sizes = DatasetGenerator.Sizes()
        sizes.train = 60; sizes.dev = 20; sizes.test = 20; sizes.corpusTrain = 50; sizes.corpusValidation = 10
        let a = DatasetGenerator(seed: 3, sizes: sizes).files(), b = DatasetGenerator(seed: 3, sizes: sizes).files()
        #expect(a.map(\.text) == b.map(\.text) && a.count == 11)
        for task in PromptTask.all {
            func split(_ s: String) throws -> Set<String> {
                let text = a.first { $0.path == "\(task.name)/\(s).jsonl" }!.text
                return Set(try JSONLinesReader.examples(Data(text.utf8), task: task).map { e in task.fields.map { e.fields[$0]! }.joined(separator: "|") })
            }
            let train = try split("train"), dev = try split("dev"), test = try split("test")
            #expect(train.isDisjoint(with: dev) && train.isDisjoint(with: test) && dev.isDisjoint(with: test))
            #expect(train.count == 60)
        }
    }
}
