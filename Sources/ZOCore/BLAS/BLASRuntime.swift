import COpenBLAS
import Foundation

/// Makes OpenBLAS use the right CPU kernels without any action from the user.
///
/// Debian's OpenBLAS 0.3.21 is a DYNAMIC_ARCH build that picks its kernels from the CPU model
/// number when the library loads. It does not know recent Xeons and falls back to "Prescott"
/// (SSE3), which runs sgemm ≈ 5–8× slower than its AVX-512 "SkylakeX" kernels. The choice can be
/// forced with `OPENBLAS_CORETYPE`, but only before the library loads.
///
/// `BLASRuntime` fixes it in-process: on the first BLAS call it asks ``decide(detected:environment:cpuFlags:runtimeDispatchAvailable:)``
/// — a pure function of the core OpenBLAS chose, the environment and the CPU flags — whether
/// to keep that core or switch, and switches by re-running OpenBLAS's own dispatcher
/// (`gotoblas_dynamic_quit` / `gotoblas_dynamic_init`, looked up with dlsym) with
/// `OPENBLAS_CORETYPE` set for that call. A user-set `OPENBLAS_CORETYPE` is respected;
/// `ZOLAB_BLAS_CORE=keep` disables the switch and `ZOLAB_BLAS_CORE=<name>` forces a core.
///
/// Thread safety: between `quit` and `init` OpenBLAS has no kernel table, so a BLAS call in
/// flight would crash. The configuration switch runs inside the initialiser of ``status``,
/// which every ZOLab BLAS call (``ZOScalar``'s `blas…` entry points, through ``call(_:)``)
/// reads first — Swift runs a static initialiser once and makes every other thread wait for
/// it — so no call can overlap it. ``select(core:)`` after that is for single-threaded callers
/// only (`zolab bench blas`); the hot path carries no lock for it.
public enum BLASRuntime {
    /// What happened at configuration time.
    public struct Status: Sendable, CustomStringConvertible {
        /// The core OpenBLAS picked by itself when it loaded.
        public let detectedCore: String
        /// The core in use after configuration.
        public let activeCore: String
        /// Why the core was (or was not) changed.
        public let decision: String
        public let runtimeDispatchAvailable: Bool

        public var description: String { "\(activeCore) (detected \(detectedCore); \(decision))" }
    }

    /// The configuration decision: keep the detected core, or switch to `target`.
    public struct Decision: Sendable, Equatable, CustomStringConvertible {
        /// The core to switch to; nil keeps the detected one.
        public let target: String?
        /// Why, in words (shown by `zolab env`).
        public let reason: String

        public static func keep(_ reason: String) -> Decision { Decision(target: nil, reason: reason) }
        public static func switchTo(_ core: String, _ reason: String) -> Decision { Decision(target: core, reason: reason) }

        public var description: String { target.map { "switch to \($0): \(reason)" } ?? "keep: \(reason)" }
    }

    private typealias VoidFunction = @convention(c) () -> Void

    private static let dispatch: (quit: VoidFunction, initialise: VoidFunction)? = {
        guard let handle = dlopen(nil, RTLD_NOW),
              let quit = dlsym(handle, "gotoblas_dynamic_quit"),
              let initialise = dlsym(handle, "gotoblas_dynamic_init") else { return nil }
        return (unsafeBitCast(quit, to: VoidFunction.self), unsafeBitCast(initialise, to: VoidFunction.self))
    }()

    /// The configuration status; computed once, on first access, before the first BLAS call.
    public static let status: Status = configure()

    /// Runs the one-time configuration (cheap after the first call).
    @inline(__always) public static func ensureConfigured() { _ = status }

    /// Runs one BLAS call, configuring OpenBLAS's core on first use.
    @inline(__always)
    public static func call<T>(_ body: () -> T) -> T {
        ensureConfigured()
        return body()
    }

    /// The name OpenBLAS reports for its active kernels, e.g. "SkylakeX".
    public static var activeCore: String { coreName() }

    private static func coreName() -> String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// OpenBLAS's build configuration string.
    public static var buildConfig: String {
        guard let c = openblas_get_config() else { return "unknown" }
        return String(cString: c)
    }

    /// OpenBLAS worker threads.
    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    /// Cores at least as capable as `best` (lower-cased): those whose kernels need every flag
    /// `best`'s need (``CPUInfo/openBLASCoreRequirements``) — for SkylakeX: SkylakeX, Cooperlake,
    /// SapphireRapids; for Haswell also Zen. A detected core in this set is left alone.
    static func adequateCores(for best: String) -> Set<String> {
        guard let needed = CPUInfo.openBLASCoreRequirement(best)?.flags else {
            return [best.lowercased()]
        }
        return Set(CPUInfo.openBLASCoreRequirements.filter { Set($0.flags).isSuperset(of: needed) }.map { $0.name.lowercased() })
    }

    /// The configuration rule, as a pure function:
    /// 1. `OPENBLAS_CORETYPE` set (non-empty) → keep: OpenBLAS already obeyed the user.
    /// 2. `ZOLAB_BLAS_CORE=keep` → keep; `ZOLAB_BLAS_CORE=<name>` → switch to that core
    ///    (keep when it is the detected one, or when it is unknown or its kernels need flags
    ///    the CPU lacks — they would crash at the first call).
    /// 3. Otherwise the best core the flags support (``CPUInfo/bestOpenBLASCore(flags:)``):
    ///    none → keep; the detected core at least as capable (e.g. Cooperlake or
    ///    SapphireRapids for SkylakeX, Zen for Haswell) → keep; else switch to it — Prescott
    ///    detected on an AVX-512 CPU → SkylakeX, on an AVX2 + FMA CPU → Haswell.
    /// 4. A switch without runtime dispatch (a non-DYNAMIC_ARCH OpenBLAS) → keep, saying which
    ///    `OPENBLAS_CORETYPE` to set.
    public static func decide(detected: String, environment: [String: String], cpuFlags: Set<String>,
                              runtimeDispatchAvailable: Bool) -> Decision {
        if let userCore = environment["OPENBLAS_CORETYPE"], !userCore.isEmpty {
            return .keep("OPENBLAS_CORETYPE=\(userCore) set by the user")
        }
        let request = environment["ZOLAB_BLAS_CORE"] ?? "auto"
        if request == "keep" { return .keep("kept (ZOLAB_BLAS_CORE=keep)") }
        let target: String, reason: String
        if request != "auto" && !request.isEmpty {
            if request.lowercased() == detected.lowercased() { return .keep("kept (ZOLAB_BLAS_CORE=\(request) is the detected core)") }
            guard let known = CPUInfo.openBLASCoreRequirement(request) else {
                return .keep("kept (ZOLAB_BLAS_CORE=\(request) is not a core ZOLab knows)")
            }
            let missing = known.flags.filter { !cpuFlags.contains($0) }
            guard missing.isEmpty else {
                return .keep("kept (ZOLAB_BLAS_CORE=\(request) needs \(missing.joined(separator: ", ")), which this CPU lacks)")
            }
            target = known.name
            reason = "ZOLAB_BLAS_CORE=\(request)"
        } else {
            guard let best = CPUInfo.bestOpenBLASCore(flags: cpuFlags) else {
                return .keep("kept (no AVX2/AVX-512 core applies)")
            }
            if adequateCores(for: best).contains(detected.lowercased()) { return .keep("kept (matches the CPU)") }
            target = best
            reason = "CPU flags support it"
        }
        guard runtimeDispatchAvailable else {
            return .keep("kept (this OpenBLAS has no runtime dispatch; set OPENBLAS_CORETYPE=\(target))")
        }
        return .switchTo(target, reason)
    }

    private static func configure() -> Status {
        let detected = coreName()
        let available = dispatch != nil
        let decision = decide(detected: detected, environment: ProcessInfo.processInfo.environment,
                              cpuFlags: CPUInfo.current.flags, runtimeDispatchAvailable: available)
        guard let target = decision.target else {
            return Status(detectedCore: detected, activeCore: detected, decision: decision.reason,
                          runtimeDispatchAvailable: available)
        }
        let now = select(core: target)
        let ok = now.lowercased() == target.lowercased()
        return Status(detectedCore: detected, activeCore: now,
                      decision: ok ? "switched to \(target) (\(decision.reason))" : "asked for \(target), OpenBLAS chose \(now)",
                      runtimeDispatchAvailable: true)
    }

    /// Re-runs OpenBLAS's dispatcher with `OPENBLAS_CORETYPE=core` and returns the core now
    /// active (OpenBLAS falls back to its own detection for a name it does not know). Used by
    /// configuration and by `zolab bench blas` to time several cores side by side. No BLAS call
    /// may be in flight: single-threaded callers only. Only switch to cores the CPU can run
    /// (``CPUInfo/canRun(openBLASCore:)``): a kernel table for a missing ISA crashes at the
    /// first call.
    @discardableResult
    public static func select(core: String) -> String {
        guard let dispatch else { return coreName() }
        let previous = getenv("OPENBLAS_CORETYPE").map { String(cString: $0) }
        setenv("OPENBLAS_CORETYPE", core, 1)
        dispatch.quit()
        dispatch.initialise()
        if let previous { setenv("OPENBLAS_CORETYPE", previous, 1) } else { unsetenv("OPENBLAS_CORETYPE") }
        return coreName()
    }
}
