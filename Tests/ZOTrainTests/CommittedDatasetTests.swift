import Foundation
import Testing
@testable import ZOTrain

/// The files under `datasets/` are what `zolab datasets generate --seed 0` writes, and the
/// corpus holds no dev or test example.
@Suite("Committed datasets")
struct CommittedDatasetTests {
    static let datasets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("datasets")

    /// Every data file under `datasets/`, relative to it (everything but README.md), sorted.
    static func committedFiles() throws -> [String] {
        let root = datasets.resolvingSymlinksInPath().path
        guard let walker = FileManager.default.enumerator(atPath: root) else { throw CocoaError(.fileReadNoSuchFile) }
        var paths: [String] = []
        while let path = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue,
               path != "README.md" {
                paths.append(path)
            }
        }
        return paths.sorted()
    }

    /// All nine task files and the corpus (train and validation, 2.5 MB), byte for byte, and
    /// no file more or less. Generating the corpus takes a few seconds in a debug build.
    @Test func everyCommittedFileIsTheGeneratorsOutput() throws {
        let generated = DatasetGenerator(seed: 0).files()
        let committed = try Self.committedFiles()
        #expect(committed == generated.map(\.path), "datasets/ holds other files than `zolab datasets generate --seed 0` writes")
        #expect(committed.count == 11)
        for (path, text) in generated {
            let bytes = try Data(contentsOf: Self.datasets.appendingPathComponent(path))
            #expect(bytes == Data(text.utf8), "datasets/\(path) differs from `zolab datasets generate --seed 0`")
        }
    }

    /// No dev or test example occurs in the corpus as the text of a document: a review or
    /// headline as it starts a document or follows a ": " ("In sports news: …"), a premise and
    /// hypothesis in any of the three entailment forms. (A held-out premise may recur with
    /// another hypothesis; that is a different example.) The same scan finds thousands of
    /// *training* reviews and headlines in the corpus, so it can fail.
    @Test func noHeldOutExampleOccursInTheCorpus() throws {
        let corpus = try ["train", "validation"].flatMap { split in
            try JSONLinesReader.documents(try Data(contentsOf: Self.datasets.appendingPathComponent("corpus/\(split).jsonl")))
        }
        #expect(corpus.count == 31_000)
        let heldOut = try HeldOutTexts(splits: ["dev", "test"])
        let training = try HeldOutTexts(splits: ["train"])
        #expect(heldOut.sentences.count == 3000 && heldOut.pairs.count == 1500)   // sst2 and topic; rte
        var leaked: [String] = []
        var trainingSentencesFound = 0, pairDocuments = 0
        for document in corpus {
            let (sentences, pairs) = CorpusDocumentScan.candidates(document)
            if sentences.contains(where: heldOut.sentences.contains) || pairs.contains(where: heldOut.pairs.contains) {
                leaked.append(document)
            }
            if sentences.contains(where: training.sentences.contains) { trainingSentencesFound += 1 }
            if !pairs.isEmpty { pairDocuments += 1 }
        }
        #expect(leaked.isEmpty, "\(leaked.count) corpus documents hold a dev/test example, e.g. \(leaked.prefix(3))")
        #expect(trainingSentencesFound > 1000)   // the scan recognises the sentence forms
        #expect(pairDocuments > 6000)            // ≈ 25 % of the corpus is entailment pairs
    }

    /// The scan itself: each form the corpus generator writes yields the example's text.
    @Test func theScanRecognisesEveryDocumentForm() {
        let review = "the plot is not dull .", headline = "the rangers won the championship ."
        for document in ["\(review) I loved it.", "\(review) It was great.", "\(headline) Topic: sports.",
                         "In sports news: \(headline)", "\(headline) Filed under sports."] {
            let found = CorpusDocumentScan.candidates(document).sentences
            #expect(found.contains(review) || found.contains(headline), "\(document)")
        }
        let premise = "Anna sold the red car in the park.", hypothesis = "Anna sold the car"
        for document in ["\(premise) Question: \(hypothesis)? Yes or No? Answer: Yes.", "\(premise) So it is true that \(hypothesis).",
                         "\(premise) It is not true that \(hypothesis)."] {
            #expect(CorpusDocumentScan.candidates(document).pairs == ["\(premise)|\(hypothesis)"], "\(document)")
        }
    }
}

/// The example texts of some splits of the committed tasks: reviews and headlines, and
/// entailment pairs keyed "premise|hypothesis".
struct HeldOutTexts {
    var sentences = Set<String>()
    var pairs = Set<String>()

    init(splits: [String]) throws {
        for task in PromptTask.all {
            for split in splits {
                let url = CommittedDatasetTests.datasets.appendingPathComponent("\(task.name)/\(split).jsonl")
                for e in try JSONLinesReader.examples(try Data(contentsOf: url), task: task) {
                    if task.fields.count == 2 {
                        pairs.insert(e.fields["premise"]! + "|" + e.fields["hypothesis"]!)
                    } else {
                        sentences.insert(e.fields["sentence"]!)
                    }
                }
            }
        }
    }
}

/// Candidate example texts of a corpus document, over-inclusively: every span that starts at
/// the document's start or after ": " and ends with a "." followed by a space or the end (the
/// review and headline forms), and the premise–hypothesis pair of each entailment form.
enum CorpusDocumentScan {
    static func candidates(_ document: String) -> (sentences: [String], pairs: [String]) {
        let bytes = Array(document.utf8)
        var starts = [0], ends: [Int] = []
        for i in bytes.indices {
            if i > 0 && bytes[i - 1] == UInt8(ascii: ":") && bytes[i] == UInt8(ascii: " ") { starts.append(i + 1) }
            if bytes[i] == UInt8(ascii: ".") && (i + 1 == bytes.count || bytes[i + 1] == UInt8(ascii: " ")) { ends.append(i + 1) }
        }
        var sentences: [String] = []
        for s in starts { for e in ends where s < e { sentences.append(String(decoding: bytes[s..<e], as: UTF8.self)) } }
        var pairs: [String] = []
        for connector in [" Question: ", " So it is true that ", " It is not true that "] {
            guard let r = document.range(of: connector) else { continue }
            let premise = document[..<r.lowerBound], rest = document[r.upperBound...]
            if connector == " Question: " {
                if let q = rest.range(of: "? Yes or No?") { pairs.append("\(premise)|\(rest[..<q.lowerBound])") }
            } else if rest.hasSuffix(".") {
                pairs.append("\(premise)|\(rest.dropLast())")
            }
        }
        return (sentences, pairs)
    }
}
