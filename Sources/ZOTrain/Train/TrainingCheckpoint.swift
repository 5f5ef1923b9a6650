import Foundation
import ZOCore
import ZOModel
import ZOOptim

/// A training checkpoint: one safetensors file written atomically (ZOCore ``AtomicFile``:
/// temporary file, fsync, rename), so a crash leaves the previous checkpoint or the new one.
///
/// Contents:
/// - `model.<tensor>`: the trainable tensors (F32, bit-exact) — the whole base in `full` mode,
///   the adapters otherwise (their frozen base is the `base` file, checked by fingerprint);
/// - `optimizer.<buffer>`: the optimizer's state buffers (F32);
/// - metadata: `zolab.kind`, `config` (the run configuration, canonical JSON), `trainer`
///   (``TrainerState``: next step, metrics-file length, curve, evaluations), the optimizer's
///   Double vectors (as IEEE bit patterns, exact) and integers, and `base.fingerprint`.
public enum TrainingCheckpoint {
    public struct Loaded {
        public var optimizer: OptimizerState<Float>
        public var trainer: TrainerState
    }

    public static func save(to url: URL, kind: String, configJSON: String, baseFingerprint: String,
                            trainable: ParameterSet<Float>, optimizer: OptimizerState<Float>, trainer: TrainerState) throws {
        var writer = SafetensorsWriter()
        for (i, t) in trainable.tensors.enumerated() {
            try writer.add("model." + t.name, shape: t.shape.dimensions, values: UnsafeBufferPointer(trainable.view(i).buffer))
        }
        var bufferCounts: [String: Int] = [:]
        for name in optimizer.buffers.keys.sorted() {
            let values = optimizer.buffers[name]!
            bufferCounts[name] = values.count
            if !values.isEmpty { try writer.add("optimizer." + name, shape: [values.count], values: values) }
        }
        let vectors = optimizer.vectors.mapValues { $0.map { String($0.bitPattern, radix: 16) } }
        writer.metadata = [
            "zolab.kind": kind,
            "config": configJSON,
            "base.fingerprint": baseFingerprint,
            "trainer": try json(trainer),
            "optimizer.buffers": try json(bufferCounts),
            "optimizer.vectors": try json(vectors),
            "optimizer.integers": try json(optimizer.integers),
        ]
        try writer.write(to: url)
    }

    /// Loads `url` into `trainable` after checking kind, configuration and base fingerprint.
    public static func load(from url: URL, kind: String, configJSON: String, baseFingerprint: String,
                            into trainable: ParameterSet<Float>) throws -> Loaded {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else { throw TrainError.noCheckpoint(path: path) }
        let file: SafetensorsFile
        do { file = try SafetensorsFile(contentsOf: url) } catch {
            throw TrainError.invalidCheckpoint(path: path, reason: "\(error)")
        }
        let m = file.metadata
        guard m["zolab.kind"] == kind else {
            throw TrainError.invalidCheckpoint(path: path, reason: "kind is \(m["zolab.kind"] ?? "missing"), expected \(kind)")
        }
        guard let stored = m["config"] else { throw TrainError.invalidCheckpoint(path: path, reason: "no configuration recorded") }
        if stored != configJSON {
            throw TrainError.configurationMismatch(path: path, differences: differences(stored: stored, current: configJSON))
        }
        if m["base.fingerprint"] != baseFingerprint {
            throw TrainError.configurationMismatch(path: path, differences: [
                "base checkpoint contents changed (fingerprint \(m["base.fingerprint"] ?? "?") → \(baseFingerprint))"])
        }
        func decode<T: Decodable>(_ key: String, as: T.Type) throws -> T {
            guard let text = m[key] else { throw TrainError.invalidCheckpoint(path: path, reason: "missing \(key)") }
            do { return try JSONDecoder().decode(T.self, from: Data(text.utf8)) } catch {
                throw TrainError.invalidCheckpoint(path: path, reason: "unreadable \(key)")
            }
        }
        let trainer = try decode("trainer", as: TrainerState.self)
        let counts = try decode("optimizer.buffers", as: [String: Int].self)
        let vectorBits = try decode("optimizer.vectors", as: [String: [String]].self)
        let integers = try decode("optimizer.integers", as: [String: Int].self)

        for (i, t) in trainable.tensors.enumerated() {
            guard let info = file.tensors["model." + t.name] else {
                throw TrainError.invalidCheckpoint(path: path, reason: "missing tensor model.\(t.name)")
            }
            guard info.shape == t.shape.dimensions, info.dtype == .f32 else {
                throw TrainError.invalidCheckpoint(path: path, reason: "tensor model.\(t.name) has shape \(info.shape) \(info.dtype.rawValue), expected \(t.shape.dimensions) F32")
            }
            file.read(info, into: trainable.view(i).pointer)
        }
        var buffers: [String: [Float]] = [:]
        for (name, count) in counts {
            if count == 0 { buffers[name] = []; continue }
            guard let info = file.tensors["optimizer." + name], info.count == count, info.dtype == .f32 else {
                throw TrainError.invalidCheckpoint(path: path, reason: "optimizer buffer \(name) missing or of the wrong size")
            }
            buffers[name] = try file.floats("optimizer." + name)
        }
        var vectors: [String: [Double]] = [:]
        for (name, bits) in vectorBits {
            vectors[name] = try bits.map {
                guard let b = UInt64($0, radix: 16) else { throw TrainError.invalidCheckpoint(path: path, reason: "bad vector \(name)") }
                return Double(bitPattern: b)
            }
        }
        return Loaded(optimizer: OptimizerState(buffers: buffers, vectors: vectors, integers: integers), trainer: trainer)
    }

    /// "key: stored → current" for each differing top-level key of two JSON objects.
    static func differences(stored: String, current: String) -> [String] {
        guard let a = (try? JSONSerialization.jsonObject(with: Data(stored.utf8))) as? [String: Any],
              let b = (try? JSONSerialization.jsonObject(with: Data(current.utf8))) as? [String: Any] else {
            return ["the recorded configuration cannot be read"]
        }
        var out: [String] = []
        for key in Set(a.keys).union(b.keys).sorted() {
            let x = a[key].map { "\($0)" } ?? "(absent)", y = b[key].map { "\($0)" } ?? "(absent)"
            if x != y { out.append("\(key): checkpoint \(x), now \(y)") }
        }
        return out.isEmpty ? ["the configurations differ"] : out
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// FNV-1a (64-bit) of a file's bytes, hex: identifies the frozen base of adapter runs.
    public static func fingerprint(of url: URL) throws -> String {
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw TrainError.invalidSetting("cannot read \(url.path): \(error.localizedDescription)")
        }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        data.withUnsafeBytes { raw in
            for byte in raw.bindMemory(to: UInt8.self) { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        return String(h, radix: 16)
    }
}
