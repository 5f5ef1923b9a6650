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
        let f = try SafetensorsFile(data: try w.data())
        #expect(f.metadata == ["format": "pt", "note": "x"])
        #expect(f.names == ["a", "brain", "empty", "half", "ids", "wide"])
        #expect(try f.floats("ids") == [0, -7, 50256])
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
        // overlapping
        #expect(throws: SafetensorsError.self) {
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

    @Test("random corruption of a real checkpoint never crashes the reader or the loader")
    func fuzz() throws {
        let original = try Data(contentsOf: TestSupport.fixtures.appendingPathComponent("gpt_tiny.safetensors"))
        var rng = PhiloxRandom(seed: 5)
        for trial in 0..<300 {
            var d = original
            switch trial % 3 {
            case 0: d = d.prefix(Int(rng.next() % UInt64(d.count)))
            case 1:
                for _ in 0..<4 { d[Int(rng.next() % 600)] = UInt8(truncatingIfNeeded: rng.next()) }
            default:
                d[Int(rng.next() % 8)] = UInt8(truncatingIfNeeded: rng.next())
            }
            if let f = try? SafetensorsFile(data: d), let config = try? GPTCheckpoint.configuration(of: f) {
                _ = try? GPTCheckpoint.loadBase(f, config: config)
            }
        }
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
