import Foundation
import ZOCore
import ZOModel
@testable import ZOTrain

/// Small on-disk fixtures: generated task files (few examples) and a tiny random base model.
enum Fixture {
    /// V 256 (bytes), context 128, C 16, L 2, NH 2: a model small enough for debug-mode tests.
    static let tinyConfig = GPTConfig(vocabularySize: 256, contextLength: 128, width: 16, depth: 2, heads: 2)

    static func temporaryDirectory(_ name: String = "zotrain") -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes the three tasks (40 train, 16 dev, 16 test each) and a tiny base checkpoint
    /// under `directory`; returns the base's URL.
    @discardableResult
    static func prepare(_ directory: URL, seed: UInt64 = 5) throws -> URL {
        var sizes = DatasetGenerator.Sizes()
        sizes.train = 40
        sizes.dev = 16
        sizes.test = 16
        for (path, text) in DatasetGenerator(seed: seed, sizes: sizes).taskFiles().files {
            try AtomicFile.write(text, to: directory.appendingPathComponent("data").appendingPathComponent(path))
        }
        let base = directory.appendingPathComponent("base.safetensors")
        try GPTCheckpoint.save(try GPTModel(config: tinyConfig, seed: 11), to: base)
        return base
    }

    /// A fine-tuning configuration over the fixture.
    static func config(_ directory: URL, optimizer: String = "mezo", options: [String: String] = [:], steps: Int = 6,
                       mode: String = "full", task: String = "sst2") -> FineTuneConfig {
        var c = FineTuneConfig()
        c.task = task
        c.data = directory.appendingPathComponent("data").path
        c.base = directory.appendingPathComponent("base.safetensors").path
        c.mode = mode
        c.optimizer = optimizer
        c.options = options
        c.steps = steps
        c.batchSize = 4
        c.kShot = 8
        c.devExamples = 8
        c.testExamples = 8
        c.evalEvery = 3
        c.checkpointEvery = 2
        c.curveWindow = 2
        return c
    }

    static func bytes(_ url: URL) throws -> Data { try Data(contentsOf: url) }
}
