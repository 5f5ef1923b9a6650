import Foundation

/// What the CPU offers, read from `/proc/cpuinfo` (Linux). Empty on other systems.
public struct CPUInfo: Sendable {
    public let modelName: String
    public let flags: Set<String>
    public let logicalCores: Int

    public static let current = CPUInfo.read()

    public init(modelName: String, flags: Set<String>, logicalCores: Int) {
        self.modelName = modelName
        self.flags = flags
        self.logicalCores = logicalCores
    }

    static func read() -> CPUInfo {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else {
            return CPUInfo(modelName: "unknown", flags: [], logicalCores: cores)
        }
        return parse(text, logicalCores: cores)
    }

    /// Parses the first processor stanza of a `/proc/cpuinfo` text.
    public static func parse(_ text: String, logicalCores: Int) -> CPUInfo {
        var model = "unknown"
        var flags = Set<String>()
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            let value = parts[1].trimmingCharacters(in: .whitespaces)
            if key == "model name" && model == "unknown" { model = value }
            if key == "flags" && flags.isEmpty { flags = Set(value.split(separator: " ").map(String.init)) }
        }
        return CPUInfo(modelName: model, flags: flags, logicalCores: logicalCores)
    }

    /// The vector-ISA features ZOLab cares about, in a fixed order.
    public var vectorFeatures: [String] {
        ["sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512dq",
         "avx512_bf16", "avx512_fp16", "amx_tile"].filter(flags.contains)
    }

    /// The OpenBLAS core this CPU can run: `SkylakeX` with the AVX-512 subsets OpenBLAS's
    /// SkylakeX kernels use, `Haswell` with AVX2 + FMA, nil otherwise.
    public var bestOpenBLASCore: String? {
        if ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"].allSatisfy(flags.contains) { return "SkylakeX" }
        if ["avx2", "fma"].allSatisfy(flags.contains) { return "Haswell" }
        return nil
    }
}
