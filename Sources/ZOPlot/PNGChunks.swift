import Foundation

/// One PNG chunk: a four-letter type and its data (length and CRC are derived).
public struct PNGChunk: Sendable, Equatable {
    public var type: String
    public var data: [UInt8]

    public init(type: String, data: [UInt8]) {
        precondition(type.utf8.count == 4, "a PNG chunk type has four ASCII letters")
        self.type = type
        self.data = data
    }

    /// CRC-32 over the type bytes and the data, as stored after the chunk.
    public var crc: UInt32 { CRC32.update(CRC32.checksum(Array(type.utf8)), data) }
}

/// PNG container reading and writing: signature, then chunks of
/// `length (4 bytes BE) · type (4) · data (length) · CRC-32 of type+data (4)`.
public enum PNGChunks {
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Splits a PNG into chunks, verifying the signature, every length and every CRC, and
    /// that the last chunk is IEND.
    public static func parse(_ png: Data) throws -> [PNGChunk] {
        let bytes = [UInt8](png)
        guard bytes.count >= 8, Array(bytes[0..<8]) == signature else {
            throw PlotError.malformedPNG("missing PNG signature")
        }
        var chunks: [PNGChunk] = []
        var offset = 8
        while offset < bytes.count {
            guard offset + 12 <= bytes.count else { throw PlotError.malformedPNG("truncated chunk header at byte \(offset)") }
            let length = Int(readUInt32(bytes, offset))
            guard length <= bytes.count - offset - 12 else {
                throw PlotError.malformedPNG("chunk at byte \(offset) claims \(length) bytes past the end")
            }
            let typeBytes = Array(bytes[(offset + 4)..<(offset + 8)])
            guard typeBytes.allSatisfy({ (65...90).contains($0) || (97...122).contains($0) }) else {
                throw PlotError.malformedPNG("invalid chunk type at byte \(offset)")
            }
            let type = String(decoding: typeBytes, as: UTF8.self)
            let chunk = PNGChunk(type: type, data: Array(bytes[(offset + 8)..<(offset + 8 + length)]))
            let stored = readUInt32(bytes, offset + 8 + length)
            guard stored == chunk.crc else {
                throw PlotError.malformedPNG("CRC mismatch in \(type) chunk at byte \(offset): stored \(hex(stored)), computed \(hex(chunk.crc))")
            }
            chunks.append(chunk)
            offset += 12 + length
            if type == "IEND" { break }
        }
        guard chunks.last?.type == "IEND" else { throw PlotError.malformedPNG("no IEND chunk") }
        guard chunks.first?.type == "IHDR" else { throw PlotError.malformedPNG("first chunk is not IHDR") }
        return chunks
    }

    /// Signature followed by the encoded chunks.
    public static func encode(_ chunks: [PNGChunk]) -> Data {
        var out = Data(signature)
        for c in chunks { out.append(contentsOf: encode(c)) }
        return out
    }

    /// One chunk's bytes: length, type, data, CRC.
    public static func encode(_ chunk: PNGChunk) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(chunk.data.count + 12)
        appendUInt32(&out, UInt32(chunk.data.count))
        out += Array(chunk.type.utf8)
        out += chunk.data
        appendUInt32(&out, chunk.crc)
        return out
    }

    /// Width and height from an IHDR chunk's data.
    public static func size(ofHeader ihdr: PNGChunk) throws -> (width: Int, height: Int) {
        guard ihdr.type == "IHDR", ihdr.data.count == 13 else { throw PlotError.malformedPNG("bad IHDR") }
        return (Int(readUInt32(ihdr.data, 0)), Int(readUInt32(ihdr.data, 4)))
    }

    static func readUInt32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }

    static func readUInt16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) << 8 | UInt16(b[at + 1]) }

    static func appendUInt32(_ out: inout [UInt8], _ v: UInt32) {
        out += [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    static func appendUInt16(_ out: inout [UInt8], _ v: UInt16) { out += [UInt8(v >> 8), UInt8(v & 0xFF)] }

    static func hex(_ v: UInt32) -> String { "0x" + String(v, radix: 16).leftPadded(to: 8) }
}
