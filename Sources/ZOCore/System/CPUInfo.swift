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
    public var bestOpenBLASCore: String? { Self.bestOpenBLASCore(flags: flags) }

    /// ``bestOpenBLASCore`` for a given flag set (`/proc/cpuinfo` names).
    public static func bestOpenBLASCore(flags: Set<String>) -> String? {
        ["SkylakeX", "Haswell"].first { missingFlags(forOpenBLASCore: $0, flags: flags)?.isEmpty == true }
    }

    /// x86-64 OpenBLAS cores (`OPENBLAS_CORETYPE` names) that ZOLab will select, with the
    /// `/proc/cpuinfo` flags their kernels need (Prescott's SSE3 is `pni`). A kernel table
    /// for an ISA the CPU lacks would crash at the first BLAS call.
    public static let openBLASCoreRequirements: [(name: String, flags: [String])] = [
        ("Prescott", ["sse2", "pni"]),
        ("Core2", ["sse2", "pni", "ssse3"]),
        ("Penryn", ["sse2", "pni", "ssse3", "sse4_1"]),
        ("Nehalem", ["sse2", "pni", "ssse3", "sse4_1", "sse4_2"]),
        ("Sandybridge", ["sse4_2", "avx"]),
        ("Haswell", ["avx", "avx2", "fma"]),
        ("Zen", ["avx", "avx2", "fma"]),
        ("SkylakeX", ["avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"]),
        ("Cooperlake", ["avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd", "avx512_bf16"]),
        ("SapphireRapids", ["avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd", "avx512_bf16",
                            "avx512_fp16", "amx_tile"]),
    ]

    /// The ``openBLASCoreRequirements`` entry of core `name` (case-insensitive), nil if unknown.
    public static func openBLASCoreRequirement(_ name: String) -> (name: String, flags: [String])? {
        openBLASCoreRequirements.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The canonical spelling of an OpenBLAS core name (case-insensitive), nil if unknown.
    public static func openBLASCoreName(_ name: String) -> String? { openBLASCoreRequirement(name)?.name }

    /// The flags core `name` needs that `flags` lack (empty: a CPU with them can run it); nil for
    /// a name not in ``openBLASCoreRequirements``.
    public static func missingFlags(forOpenBLASCore name: String, flags: Set<String>) -> [String]? {
        openBLASCoreRequirement(name)?.flags.filter { !flags.contains($0) }
    }

    /// The flags core `name` needs that this CPU lacks (empty: it can run it); nil for a name
    /// not in ``openBLASCoreRequirements``.
    public func missingFlags(forOpenBLASCore name: String) -> [String]? {
        Self.missingFlags(forOpenBLASCore: name, flags: flags)
    }

    /// True when the CPU has every flag core `name`'s kernels need.
    public func canRun(openBLASCore name: String) -> Bool { missingFlags(forOpenBLASCore: name)?.isEmpty == true }
}
