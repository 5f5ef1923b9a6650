import Foundation
import ZOCore

/// Element types of safetensors tensors that ZOLab reads (all converted to Float32). U8 and BOOL
/// (one byte; BOOL reads as 0/1) are there for GPT-2's causal-mask buffers, which some exports
/// store as uint8 or bool masks.
public enum SafetensorsDType: String, CaseIterable, Sendable {
    case f32 = "F32", f16 = "F16", bf16 = "BF16", f64 = "F64", i32 = "I32", i64 = "I64", u8 = "U8", bool = "BOOL"

    public var size: Int {
        switch self {
        case .u8, .bool: return 1
        case .f16, .bf16: return 2
        case .f32, .i32: return 4
        case .f64, .i64: return 8
        }
    }
}

/// One tensor's entry in a safetensors header.
public struct SafetensorsTensorInfo: Hashable, Sendable {
    public let name: String
    public let dtype: SafetensorsDType
    public let shape: [Int]
    /// Byte range in the data section (after the header).
    public let byteRange: Range<Int>
    public var count: Int { shape.reduce(1, *) }
}

/// A parsed safetensors file (Hugging Face format): an 8-byte little-endian header length N,
/// N bytes of JSON `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {…}}`,
/// then the data section. Parsing validates everything before any tensor is read: header size
/// (≤ ``maximumHeaderBytes`` and within the file), JSON form, dtypes, shapes (non-negative,
/// product fits), offsets inside the data section, byte counts = shape × dtype size, and the
/// tensors tiling the data section exactly (no overlap, gap or trailing bytes). Malformed files
/// throw ``SafetensorsError``; nothing traps.
public struct SafetensorsFile: Sendable {
    /// Headers beyond this are refused as absurd (real checkpoints have headers of a few hundred KB).
    public static let maximumHeaderBytes = 100 << 20

    public let metadata: [String: String]
    public let tensors: [String: SafetensorsTensorInfo]
    private let data: Data
    private let dataStart: Int

    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw SafetensorsError.io(path: url.path, reason: error.localizedDescription)
        }
        try self.init(data: data)
    }

    public init(data: Data) throws {
        let data = data.startIndex == 0 ? data : Data(data)   // slices are re-based (copied) to index 0
        guard data.count >= 8 else { throw SafetensorsError.truncated(expected: 8, actual: data.count) }
        var length: UInt64 = 0
        for i in 0..<8 { length |= UInt64(data[i]) << (8 * UInt64(i)) }
        guard length <= UInt64(Self.maximumHeaderBytes) else {
            throw SafetensorsError.headerTooLarge(length: length, limit: Self.maximumHeaderBytes)
        }
        let headerEnd = 8 + Int(length)
        guard data.count >= headerEnd else { throw SafetensorsError.truncated(expected: headerEnd, actual: data.count) }
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<headerEnd)) } catch {
            throw SafetensorsError.invalidHeader("not JSON (\(error.localizedDescription))")
        }
        guard let object = json as? [String: Any] else { throw SafetensorsError.invalidHeader("the header is not a JSON object") }
        let dataSize = data.count - headerEnd
        var metadata: [String: String] = [:]
        var tensors: [String: SafetensorsTensorInfo] = [:]
        for (name, value) in object {
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else { throw SafetensorsError.invalidHeader("__metadata__ is not an object") }
                for (k, v) in m {
                    guard let s = v as? String else { throw SafetensorsError.invalidHeader("metadata value of \"\(k)\" is not a string") }
                    metadata[k] = s
                }
                continue
            }
            tensors[name] = try Self.parseEntry(name: name, value: value, dataSize: dataSize)
        }
        // The non-empty tensors must tile the data section: no overlap, no gap, no trailing bytes
        // (as the reference implementation requires). A header whose length prefix or offsets
        // are off by a few bytes then fails here instead of reading shifted values.
        let sorted = tensors.values.filter { !$0.byteRange.isEmpty }.sorted { $0.byteRange.lowerBound < $1.byteRange.lowerBound }
        var covered = 0, previous = ""
        for info in sorted {
            guard info.byteRange.lowerBound >= covered else { throw SafetensorsError.overlappingTensors(previous, info.name) }
            guard info.byteRange.lowerBound == covered else { throw SafetensorsError.uncoveredData(begin: covered, end: info.byteRange.lowerBound) }
            covered = info.byteRange.upperBound
            previous = info.name
        }
        guard covered == dataSize else { throw SafetensorsError.uncoveredData(begin: covered, end: dataSize) }
        self.metadata = metadata
        self.tensors = tensors
        self.data = data
        self.dataStart = headerEnd
    }

    private static func parseEntry(name: String, value: Any, dataSize: Int) throws -> SafetensorsTensorInfo {
        guard let entry = value as? [String: Any] else { throw SafetensorsError.invalidHeader("entry \"\(name)\" is not an object") }
        guard let dtypeName = entry["dtype"] as? String else { throw SafetensorsError.invalidHeader("entry \"\(name)\" has no dtype string") }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw SafetensorsError.unsupportedDType(tensor: name, dtype: dtypeName)
        }
        guard let shapeValues = entry["shape"] as? [Any] else { throw SafetensorsError.invalidHeader("entry \"\(name)\" has no shape list") }
        let shape = try shapeValues.map { v -> Int in
            guard let n = integer(v) else { throw SafetensorsError.invalidHeader("shape of \"\(name)\" holds a non-integer") }
            return n
        }
        guard let validated = try? Shape.validated(shape) else { throw SafetensorsError.invalidShape(tensor: name, shape: shape) }
        guard let offsets = entry["data_offsets"] as? [Any], offsets.count == 2,
              let begin = integer(offsets[0]), let end = integer(offsets[1]) else {
            throw SafetensorsError.invalidHeader("entry \"\(name)\" needs data_offsets [begin, end] of integers")
        }
        guard begin >= 0, begin <= end, end <= dataSize else {
            throw SafetensorsError.offsetsOutOfRange(tensor: name, begin: begin, end: end, dataSize: dataSize)
        }
        let (bytes, overflow) = validated.count.multipliedReportingOverflow(by: dtype.size)
        guard !overflow, bytes == end - begin else {
            throw SafetensorsError.sizeMismatch(tensor: name, expectedBytes: overflow ? Int.max : bytes, actualBytes: end - begin)
        }
        return SafetensorsTensorInfo(name: name, dtype: dtype, shape: shape, byteRange: begin..<end)
    }

    /// An exact integer from a JSON number (NSNumber of an integral value), else nil.
    private static func integer(_ v: Any) -> Int? {
        guard let n = v as? NSNumber, String(cString: n.objCType) != "c" else { return nil }   // "c": a JSON boolean
        let d = n.doubleValue
        guard d.isFinite, d == d.rounded(), abs(d) < 9.0e15 else { return nil }
        return n.intValue
    }

    /// Tensor names, sorted.
    public var names: [String] { tensors.keys.sorted() }

    /// The elements of tensor `name` converted to Float32 (row-major).
    public func floats(_ name: String) throws -> [Float] {
        guard let info = tensors[name] else { throw SafetensorsError.missingTensor(name) }
        var out = [Float](repeating: 0, count: info.count)
        out.withUnsafeMutableBufferPointer { read(info, into: $0.baseAddress!) }
        return out
    }

    /// Converts tensor `info` into `out` (info.count elements).
    public func read(_ info: SafetensorsTensorInfo, into out: UnsafeMutablePointer<Float>) {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let src = raw.baseAddress! + dataStart + info.byteRange.lowerBound
            let n = info.count
            switch info.dtype {
            case .f32:
                #if _endian(little)
                UnsafeMutableRawPointer(out).copyMemory(from: src, byteCount: 4 * n)
                #else
                for i in 0..<n { out[i] = Float(bitPattern: UInt32(littleEndian: src.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
                #endif
            case .f16:
                for i in 0..<n { out[i] = HalfPrecision.float(fromF16: UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
            case .bf16:
                for i in 0..<n { out[i] = HalfPrecision.float(fromBF16: UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
            case .f64:
                for i in 0..<n { out[i] = Float(Double(bitPattern: UInt64(littleEndian: src.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))) }
            case .i32:
                for i in 0..<n { out[i] = Float(Int32(littleEndian: src.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self))) }
            case .i64:
                for i in 0..<n { out[i] = Float(Int64(littleEndian: src.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self))) }
            case .u8:
                for i in 0..<n { out[i] = Float(src.load(fromByteOffset: i, as: UInt8.self)) }
            case .bool:
                for i in 0..<n { out[i] = src.load(fromByteOffset: i, as: UInt8.self) == 0 ? 0 : 1 }
            }
        }
    }
}

/// Builds a safetensors file: add tensors (Float32 values, stored as any ``SafetensorsDType``;
/// integer and boolean types only for values they represent exactly), then
/// ``data()`` or ``write(to:)`` (atomic, via ZOCore ``AtomicFile``). Tensors are laid out in
/// insertion order, the header padded with spaces to a multiple of 8 bytes (as the reference
/// implementation does).
public struct SafetensorsWriter {
    private var entries: [(name: String, dtype: SafetensorsDType, shape: [Int], bytes: Data)] = []
    public var metadata: [String: String] = [:]

    public init() {}

    public mutating func add(_ name: String, shape: [Int], values: UnsafeBufferPointer<Float>, dtype: SafetensorsDType = .f32) throws {
        guard !entries.contains(where: { $0.name == name }), name != "__metadata__" else { throw SafetensorsError.duplicateTensor(name) }
        guard let s = try? Shape.validated(shape), s.count == values.count else {
            throw SafetensorsError.invalidShape(tensor: name, shape: shape)
        }
        // Little-endian words, converted in bulk (closures, not key paths: those are slow unoptimised).
        func data<T: FixedWidthInteger>(_ words: [T]) -> Data {
            #if _endian(little)
            return words.withUnsafeBufferPointer { Data(buffer: $0) }
            #else
            return words.map { $0.littleEndian }.withUnsafeBufferPointer { Data(buffer: $0) }
            #endif
        }
        let bytes: Data
        switch dtype {
        case .f32:
            #if _endian(little)
            bytes = Data(buffer: values)           // IEEE binary32, already little-endian
            #else
            bytes = data(values.map { $0.bitPattern })
            #endif
        case .f16: bytes = data(values.map(HalfPrecision.f16(from:)))
        case .bf16: bytes = data(values.map(HalfPrecision.bf16(from:)))
        case .f64: bytes = data(values.map { Double($0).bitPattern })
        case .i32:
            guard values.allSatisfy({ Int32(exactly: $0) != nil }) else {
                throw SafetensorsError.unsupportedDType(tensor: name, dtype: "I32 for values that are not all 32-bit integers")
            }
            bytes = data(values.map { Int32($0) })
        case .i64:
            guard values.allSatisfy({ Int64(exactly: $0) != nil }) else {
                throw SafetensorsError.unsupportedDType(tensor: name, dtype: "I64 for values that are not all 64-bit integers")
            }
            bytes = data(values.map { Int64($0) })
        case .u8:
            guard values.allSatisfy({ UInt8(exactly: $0) != nil }) else {
                throw SafetensorsError.unsupportedDType(tensor: name, dtype: "U8 for values that are not all integers in 0…255")
            }
            bytes = data(values.map { UInt8($0) })
        case .bool:
            guard values.allSatisfy({ $0 == 0 || $0 == 1 }) else {
                throw SafetensorsError.unsupportedDType(tensor: name, dtype: "BOOL for values that are not all 0 or 1")
            }
            bytes = data(values.map { UInt8($0) })
        }
        entries.append((name, dtype, shape, bytes))
    }

    public mutating func add(_ name: String, shape: [Int], values: [Float], dtype: SafetensorsDType = .f32) throws {
        try values.withUnsafeBufferPointer { try add(name, shape: shape, values: $0, dtype: dtype) }
    }

    /// The file's bytes.
    public func data() throws -> Data {
        var header: [String: Any] = [:]
        var offset = 0
        for e in entries {
            header[e.name] = ["dtype": e.dtype.rawValue, "shape": e.shape, "data_offsets": [offset, offset + e.bytes.count]] as [String: Any]
            offset += e.bytes.count
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json: Data
        do { json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]) } catch {
            throw SafetensorsError.invalidHeader("cannot encode header: \(error.localizedDescription)")
        }
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        for e in entries { out.append(e.bytes) }
        return out
    }

    /// Writes atomically: a reader sees the old file or the new one, never a torn mix.
    public func write(to url: URL) throws {
        let bytes = try data()
        do { try AtomicFile.write(bytes, to: url) } catch let error as CoreError {
            throw SafetensorsError.io(path: url.path, reason: error.description)
        }
    }
}
