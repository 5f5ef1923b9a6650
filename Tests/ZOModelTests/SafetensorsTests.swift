import Foundation
import Testing
import ZOCore
@testable import ZOModel

@Suite("safetensors: reading, writing, conversions, malformed files, GPT-2 checkpoints")
struct SafetensorsTests {
    /// A file from a raw header string and data bytes.
    static func file(header: String, data: [UInt8] = [], lengthOverride: UInt64? = nil) -> Data {
        var out = Data()
        let h = Data(header.utf8)
        withUnsafeBytes(of: (lengthOverride ?? UInt64(h.count)).littleEndian) { out.append(contentsOf: $0) }
        out.append(h)
        out.append(contentsOf: data)
        return out
    }

    @Test("round trip of F32/F16/BF16/F64 tensors and metadata")
    func roundTrip() throws {
        var w = SafetensorsWriter()
        w.metadata = ["format": "pt", "note": "x"]
        try w.add("a", shape: [2, 3], values: [1, -2, 3.5, 0, 1e-3, 65504])
        try w.add("half", shape: [4], values: [1, -2, 0.333333, 1e-6], dtype: .f16)
        try w.add("brain", shape: [3], values: [1, -2, 0.333333], dtype: .bf16)
        try w.add("wide", shape: [2], values: [0.1, 7], dtype: .f64)
        try w.add("empty", shape: [0, 4], values: [])
        #expect(throws: SafetensorsError.duplicateTensor("a")) { try w.add("a", shape: [1], values: [1]) }
        #expect(throws: SafetensorsError.self) { try w.add("b", shape: [2], values: [1]) }
        #expect(throws: SafetensorsError.self) { try w.add("c", shape: [1], values: [0.5], dtype: .i32) }
        #expect(throws: SafetensorsError.self) { try w.add("c", shape: [1], values: [.nan], dtype: .i64) }
        try w.add("ids", shape: [3], values: [0, -7, 50256], dtype: .i64)
        try w.add("mask", shape: [2, 2], values: [1, 0, 1, 1], dtype: .bool)
        try w.add("bytes", shape: [3], values: [0, 7, 255], dtype: .u8)
        #expect(throws: SafetensorsError.self) { try w.add("m2", shape: [1], values: [2], dtype: .bool) }
        #expect(throws: SafetensorsError.self) { try w.add("b2", shape: [1], values: [256], dtype: .u8) }
        let f = try SafetensorsFile(data: try w.data())
        #expect(f.metadata == ["format": "pt", "note": "x"])
        #expect(f.names == ["a", "brain", "bytes", "empty", "half", "ids", "mask", "wide"])
        #expect(try f.floats("ids") == [0, -7, 50256])
        #expect(try f.floats("mask") == [1, 0, 1, 1] && f.tensors["mask"]?.dtype == .bool)
        #expect(try f.floats("bytes") == [0, 7, 255])
        #expect(try f.floats("a") == [1, -2, 3.5, 0, 1e-3, 65504])
        #expect(f.tensors["half"]?.dtype == .f16 && f.tensors["a"]?.shape == [2, 3])
        let half = try f.floats("half")
        #expect(half[0] == 1 && half[1] == -2 && abs(half[2] - 0.333333) < 2e-4 && abs(half[3] - 1e-6) < 6e-8)
        let brain = try f.floats("brain")
        #expect(brain[0] == 1 && brain[1] == -2 && abs(brain[2] - 0.333333) < 2e-3)
        #expect(try f.floats("wide") == [0.1, 7])
        #expect(try f.floats("empty").isEmpty)
        #expect(throws: SafetensorsError.missingTensor("zz")) { try f.floats("zz") }
    }

    @Test("F16 and BF16 decoding is exact on known bit patterns (subnormals, ∞, NaN)")
    func halfPrecision() {
        #expect(HalfPrecision.float(fromF16: 0x3C00) == 1)
        #expect(HalfPrecision.float(fromF16: 0xC000) == -2)
        #expect(HalfPrecision.float(fromF16: 0x7BFF) == 65504)
        #expect(HalfPrecision.float(fromF16: 0x0001) == 0x1p-24)
        #expect(HalfPrecision.float(fromF16: 0x03FF) == 1023 * 0x1p-24)
        #expect(HalfPrecision.float(fromF16: 0x7C00) == .infinity)
        #expect(HalfPrecision.float(fromF16: 0x7E00).isNaN)
        #expect(HalfPrecision.float(fromF16: 0x8000).sign == .minus)
        #expect(HalfPrecision.float(fromBF16: 0x3F80) == 1)
        #expect(HalfPrecision.float(fromBF16: 0xC0A0) == -5)
        // Every F16 value survives F16 → F32 → F16.
        for bits in UInt16.min...UInt16.max where (bits & 0x7C00) != 0x7C00 {
            #expect(HalfPrecision.f16(from: HalfPrecision.float(fromF16: bits)) == bits)
        }
        #expect(HalfPrecision.f16(from: 1e6) == 0x7C00)
        #expect(HalfPrecision.bf16(from: 1.00390625) == 0x3F80)     // tie → even
        #expect(HalfPrecision.bf16(from: 1.01171875) == 0x3F82)     // tie → even (up)
    }

    @Test("malformed files give typed errors, never a crash")
    func malformed() throws {
        let ok = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        let data8 = [UInt8](repeating: 0, count: 8)
        #expect(throws: Never.self) { try SafetensorsFile(data: Self.file(header: ok, data: data8)) }
        // truncated: shorter than the length prefix, than the header, than the data
        #expect(throws: SafetensorsError.truncated(expected: 8, actual: 3)) { try SafetensorsFile(data: Data([1, 2, 3])) }
        let full = Self.file(header: ok, data: data8)
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(data: full.prefix(20)) }
        #expect(throws: SafetensorsError.offsetsOutOfRange(tensor: "a", begin: 0, end: 8, dataSize: 4)) {
            try SafetensorsFile(data: full.prefix(full.count - 4))
        }
        // absurd header length
        #expect(throws: SafetensorsError.headerTooLarge(length: UInt64.max, limit: SafetensorsFile.maximumHeaderBytes)) {
            try SafetensorsFile(data: Self.file(header: ok, data: data8, lengthOverride: .max))
        }
        // bad JSON / wrong structure
        for header in ["{not json", "[1,2]", #"{"a":3}"#, #"{"a":{"shape":[2],"data_offsets":[0,8]}}"#,
                       #"{"a":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}"#,
                       #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0]}}"#,
                       #"{"a":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}"#,
                       #"{"a":{"dtype":"F32","shape":[true],"data_offsets":[0,4]}}"#,
                       #"{"__metadata__":{"k":1}}"#] {
            #expect(throws: SafetensorsError.self, "\(header)") { try SafetensorsFile(data: Self.file(header: header, data: data8)) }
        }
        // offsets out of range, reversed, negative
        #expect(throws: SafetensorsError.offsetsOutOfRange(tensor: "a", begin: 0, end: 16, dataSize: 8)) {
            try SafetensorsFile(data: Self.file(header: #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, data: data8))
        }
        #expect(throws: SafetensorsError.offsetsOutOfRange(tensor: "a", begin: 8, end: 0, dataSize: 8)) {
            try SafetensorsFile(data: Self.file(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#, data: data8))
        }
        #expect(throws: SafetensorsError.offsetsOutOfRange(tensor: "a", begin: -4, end: 4, dataSize: 8)) {
            try SafetensorsFile(data: Self.file(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[-4,4]}}"#, data: data8))
        }
        // a gap between tensors, a data section longer than its tensors (e.g. a header length off by a few spaces)
        #expect(throws: SafetensorsError.uncoveredData(begin: 4, end: 8)) {
            try SafetensorsFile(data: Self.file(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#,
                                                data: data8 + [0, 0, 0, 0]))
        }
        #expect(throws: SafetensorsError.uncoveredData(begin: 8, end: 10)) {
            try SafetensorsFile(data: Self.file(header: ok, data: data8 + [0, 0]))
        }
        #expect(throws: SafetensorsError.uncoveredData(begin: 0, end: 8)) {
            try SafetensorsFile(data: Self.file(header: #"{"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}"#, data: data8))
        }
        // overlapping
        #expect(throws: SafetensorsError.overlappingTensors("a", "b")) {
            try SafetensorsFile(data: Self.file(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: data8))
        }
        // wrong dtype, wrong size for the shape, negative or overflowing shape
        #expect(throws: SafetensorsError.unsupportedDType(tensor: "a", dtype: "Q4")) {
            try SafetensorsFile(data: Self.file(header: #"{"a":{"dtype":"Q4","shape":[2],"data_offsets":[0,8]}}"#, data: data8))
        }
        #expect(throws: SafetensorsError.sizeMismatch(tensor: "a", expectedBytes: 12, actualBytes: 8)) {
            try SafetensorsFile(data: Self.file(header: #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: data8))
        }
        #expect(throws: SafetensorsError.invalidShape(tensor: "a", shape: [-2])) {
            try SafetensorsFile(data: Self.file(header: #"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, data: data8))
        }
        #expect(throws: SafetensorsError.self) {
            try SafetensorsFile(data: Self.file(header: #"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#, data: data8))
        }
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(contentsOf: URL(fileURLWithPath: "/nonexistent/x.safetensors")) }
    }

    /// What a corrupted checkpoint did when read and loaded.
    enum FuzzOutcome: String, CaseIterable, Comparable {
        case readerError            // SafetensorsFile threw a SafetensorsError
        case loaderError            // configuration/loadBase threw a ModelError or SafetensorsError
        case loadedUnchanged        // loaded; configuration and every weight as the original (a no-op corruption)
        case loadedMetadataOnly     // loaded; same tensor table and weights, only the metadata (head count) differs
        case loadedValuesChanged    // loaded; exactly the overwritten data elements changed, to the written bits
        static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    }

    /// Four corruption kinds of the committed fixture checkpoint, 100 trials each (fixed seed):
    /// truncation; 1–4 random bytes in the JSON header; one random byte of the length prefix;
    /// 1–4 random bytes in the data section. Every trial must end in one outcome its kind allows:
    /// a typed error, or a load that is exactly explained by what was changed — never a trap and
    /// never a silently different model. Data corruption keeps the file valid, so it must load
    /// (values changed) unless it breaks the lm_head = wte tie, which the loader must refuse.
    @Test("random corruption of a real checkpoint: typed errors or exactly explained loads, never a trap")
    func fuzz() throws {
        let original = try Data(contentsOf: TestSupport.fixtures.appendingPathComponent("gpt_tiny.safetensors"))
        let reference = try SafetensorsFile(data: original)
        let referenceConfig = try GPTCheckpoint.configuration(of: reference)
        let referenceBase = try GPTCheckpoint.loadBase(reference, config: referenceConfig)
        let referenceValues = referenceBase.snapshot()
        let referenceBits = referenceValues.map { $0.bitPattern }
        let headerEnd = 8 + Int(original.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        let dataSize = original.count - headerEnd
        #expect(reference.tensors.values.allSatisfy { $0.dtype == .f32 })     // the data-corruption bookkeeping assumes F32
        let headName = try #require(["lm_head.weight", "transformer.lm_head.weight"].first { reference.tensors[$0] != nil })
        let wteInfo = try #require(reference.tensors["transformer.wte.weight"]), headInfo = reference.tensors[headName]!
        // Where each stored tensor's elements live in the base slab (nil: lm_head, not in the base).
        var baseOffset: [String: Int] = [:]
        for t in referenceBase.tensors { baseOffset["transformer." + t.name] = t.range.lowerBound }

        /// Element `i` of `info` in the (possibly corrupted) bytes `d`, decoded here (not by the reader).
        func element(_ d: Data, _ info: SafetensorsTensorInfo, _ i: Int) -> UInt32 {
            let at = headerEnd + info.byteRange.lowerBound + 4 * i
            return (0..<4).reduce(UInt32(0)) { $0 | UInt32(d[at + $1]) << (8 * UInt32($1)) }
        }

        let kinds = ["truncation", "header bytes", "length prefix", "data bytes"]
        let trialsPerKind = 100
        var counts: [String: [FuzzOutcome: Int]] = [:]
        var rng = PhiloxRandom(seed: 5)
        for trial in 0..<(kinds.count * trialsPerKind) {
            let kind = kinds[trial % kinds.count]
            var d = original
            var dataBytes: [Int] = []          // data-section offsets overwritten (data corruption)
            switch kind {
            case "truncation": d = d.prefix(Int(rng.next() % UInt64(d.count)))
            case "header bytes":
                for _ in 0...(rng.next() % 4) { d[8 + Int(rng.next() % UInt64(headerEnd - 8))] = UInt8(truncatingIfNeeded: rng.next()) }
            case "length prefix": d[Int(rng.next() % 8)] = UInt8(truncatingIfNeeded: rng.next())
            default:
                for _ in 0...(rng.next() % 4) {
                    let at = Int(rng.next() % UInt64(dataSize))
                    d[headerEnd + at] = UInt8(truncatingIfNeeded: rng.next())
                    dataBytes.append(at)
                }
            }
            let outcome: FuzzOutcome
            let file: SafetensorsFile
            do { file = try SafetensorsFile(data: d) } catch {
                #expect(error is SafetensorsError, "trial \(trial) (\(kind)): untyped reader error \(error)")
                counts[kind, default: [:]][.readerError, default: 0] += 1
                continue
            }
            do {
                let config = try GPTCheckpoint.configuration(of: file)
                let values = try GPTCheckpoint.loadBase(file, config: config).snapshot()
                if d == original {
                    #expect(config == referenceConfig && TestSupport.sameBits(values, referenceValues))
                    outcome = .loadedUnchanged
                } else if kind == "header bytes" {
                    // Only the metadata may have changed: same tensors, same weights, at most a different head count.
                    var sameShape = config
                    sameShape.heads = referenceConfig.heads
                    let explained = file.tensors == reference.tensors && sameShape == referenceConfig
                        && TestSupport.sameBits(values, referenceValues)
                    #expect(explained, "trial \(trial): a corrupted header loaded as a different model (\(config))")
                    outcome = file.metadata == reference.metadata ? .loadedUnchanged : .loadedMetadataOnly
                    if outcome == .loadedUnchanged { #expect(config == referenceConfig) }
                } else if kind == "data bytes" {
                    // Exactly the overwritten elements of base tensors change, to the bits written.
                    #expect(config == referenceConfig && file.tensors == reference.tensors)
                    var expected = referenceBits
                    for at in dataBytes {
                        guard let (name, info) = file.tensors.first(where: { $0.value.byteRange.contains(at) }) else {
                            Issue.record("offset \(at) outside every tensor"); continue
                        }
                        let i = (at - info.byteRange.lowerBound) / 4
                        if let offset = baseOffset[name] { expected[offset + i] = element(d, info, i) }
                    }
                    #expect(values.map { $0.bitPattern } == expected, "trial \(trial): loaded values are not the written ones")
                    outcome = expected == referenceBits ? .loadedUnchanged : .loadedValuesChanged
                } else {
                    Issue.record("trial \(trial) (\(kind)): a corrupted file loaded")
                    outcome = .loadedValuesChanged
                }
                // A load must keep GPT-2's tie: the stored head equals the stored wte (Float ==).
                let tied = (0..<wteInfo.count).allSatisfy { Float(bitPattern: element(d, wteInfo, $0)) == Float(bitPattern: element(d, headInfo, $0)) }
                #expect(tied, "trial \(trial): loaded although lm_head.weight differs from wte.weight")
            } catch {
                #expect(error is ModelError || error is SafetensorsError, "trial \(trial) (\(kind)): untyped loader error \(error)")
                if kind == "data bytes" {
                    // The only way valid data can fail to load: the overwrite broke the lm_head = wte tie.
                    let tied = (0..<wteInfo.count).allSatisfy { Float(bitPattern: element(d, wteInfo, $0)) == Float(bitPattern: element(d, headInfo, $0)) }
                    #expect(!tied && error as? ModelError == .incompatibleCheckpoint("lm_head.weight differs from wte.weight: untied heads are not supported"),
                            "trial \(trial): valid data refused: \(error)")
                }
                outcome = .loaderError
            }
            counts[kind, default: [:]][outcome, default: 0] += 1
        }

        let table = kinds.map { k in "\(k): " + (counts[k] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ") }
        print("safetensors fuzz outcomes — " + table.joined(separator: "; "))
        for k in kinds { #expect((counts[k] ?? [:]).values.reduce(0, +) == trialsPerKind, "\(k): \(counts[k] ?? [:])") }
        // Each kind can only end in the outcomes its corruption allows, and does reach its main one.
        let allowed: [String: Set<FuzzOutcome>] = [
            "truncation": [.readerError],
            "length prefix": [.readerError, .loadedUnchanged],
            "header bytes": [.readerError, .loaderError, .loadedUnchanged, .loadedMetadataOnly],
            "data bytes": [.loaderError, .loadedUnchanged, .loadedValuesChanged],
        ]
        for k in kinds { #expect(Set((counts[k] ?? [:]).keys).isSubset(of: allowed[k]!), "\(k): \(counts[k] ?? [:])") }
        #expect(counts["truncation"]?[.readerError] == trialsPerKind)
        #expect((counts["length prefix"]?[.readerError] ?? 0) >= trialsPerKind * 3 / 4)
        #expect((counts["header bytes"]?[.readerError] ?? 0) + (counts["header bytes"]?[.loaderError] ?? 0) >= trialsPerKind / 2)
        #expect((counts["data bytes"]?[.loadedValuesChanged] ?? 0) >= trialsPerKind / 2)
        #expect((counts["data bytes"]?[.loaderError] ?? 0) >= 1)          // wte/lm_head bytes are ~6 % of the data
    }

    @Test("GPT checkpoints: save/load round trip (atomic), adapters, F16, Linear layout, prefix and errors")
    func checkpoints() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = GPTConfig(vocabularySize: 20, contextLength: 8, width: 16, depth: 2, heads: 2)
        let model = try GPTModel(config: config, mode: .lora(rank: 2, alpha: 4), seed: 3)
        model.trainable.buffer.update(repeating: 0.25)
        let url = dir.appendingPathComponent("m.safetensors")
        try GPTCheckpoint.save(model, to: url)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["m.safetensors"])   // no temporaries left
        let loaded = try GPTCheckpoint.loadModel(from: url, mode: .lora(rank: 2, alpha: 4))
        #expect(loaded.config == config)
        #expect(loaded.base.snapshot() == model.base.snapshot())
        #expect(loaded.trainable.snapshot() == model.trainable.snapshot())
        let full = try GPTCheckpoint.loadModel(from: url)       // adapters in the file are ignored in full mode
        #expect(full.base.snapshot() == model.base.snapshot())

        // F16 storage: values rounded to F16.
        let halfURL = dir.appendingPathComponent("h.safetensors")
        try GPTCheckpoint.save(model, to: halfURL, dtype: .f16, includeAdapters: false)
        let half = try GPTCheckpoint.loadModel(from: halfURL)
        #expect(TestSupport.maxRelativeError(half.base.snapshot(), model.base.snapshot()) < 1e-3)

        // nn.Linear layout ([out, in]) with the "transformer." prefix: transposed on load.
        let f = try SafetensorsFile(contentsOf: url)
        var w = SafetensorsWriter()
        for name in f.names where !name.contains("lora") {
            let info = f.tensors[name]!
            var values = try f.floats(name)
            var shape = info.shape
            if shape.count == 2 && name.hasPrefix("h.") {
                let (r, c) = (shape[0], shape[1])
                values = (0..<(r * c)).map { i in values[(i % r) * c + i / r] }
                shape = [c, r]
            }
            try w.add("transformer." + name, shape: shape, values: values)
        }
        try w.add("lm_head.weight", shape: [20, 16], values: try f.floats("wte.weight"))
        try w.add("transformer.h.0.attn.bias", shape: [1, 1, 8, 8], values: [Float](repeating: 1, count: 64))
        let linear = try SafetensorsFile(data: try w.data())
        let linearBase = try GPTCheckpoint.loadBase(linear, config: config, layout: .automatic)
        #expect(linearBase.snapshot() == model.base.snapshot())
        #expect(throws: ModelError.self) { try GPTCheckpoint.loadBase(linear, config: config, layout: .conv1D) }
        var untied = SafetensorsWriter()
        for name in f.names { try untied.add(name, shape: f.tensors[name]!.shape, values: try f.floats(name)) }
        try untied.add("lm_head.weight", shape: [20, 16], values: (try f.floats("wte.weight")).map { $0 + 1 })
        #expect(throws: ModelError.incompatibleCheckpoint("lm_head.weight differs from wte.weight: untied heads are not supported")) {
            try GPTCheckpoint.loadBase(try SafetensorsFile(data: try untied.data()), config: config)
        }

        // Wrong configuration, missing and unexpected tensors.
        #expect(throws: ModelError.self) {
            try GPTCheckpoint.loadBase(f, config: GPTConfig(vocabularySize: 20, contextLength: 8, width: 16, depth: 3, heads: 2))
        }
        #expect(throws: ModelError.self) {
            try GPTCheckpoint.loadBase(f, config: GPTConfig(vocabularySize: 21, contextLength: 8, width: 16, depth: 2, heads: 2))
        }
        var extra = SafetensorsWriter()
        for name in f.names { try extra.add(name, shape: f.tensors[name]!.shape, values: try f.floats(name)) }
        try extra.add("h.0.mystery.weight", shape: [1], values: [0])
        #expect(throws: ModelError.incompatibleCheckpoint("unexpected tensor \"h.0.mystery.weight\"")) {
            try GPTCheckpoint.loadBase(try SafetensorsFile(data: try extra.data()), config: config)
        }
        var missing = SafetensorsWriter()
        for name in f.names where name != "h.1.ln_2.bias" { try missing.add(name, shape: f.tensors[name]!.shape, values: try f.floats(name)) }
        #expect(throws: ModelError.missingTensor("h.1.ln_2.bias")) {
            try GPTCheckpoint.loadBase(try SafetensorsFile(data: try missing.data()), config: config)
        }
        #expect(throws: ModelError.self) { try GPTCheckpoint.loadAdapters(f, into: try GPTModel(config: config, mode: .prefix(tokens: 2))) }
    }
}
