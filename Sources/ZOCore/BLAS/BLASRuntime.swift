import COpenBLAS
import Foundation

/// Makes OpenBLAS use the right CPU kernels without any action from the user.
///
/// Debian's OpenBLAS 0.3.21 is a DYNAMIC_ARCH build that picks its kernels from the CPU model
/// number when the library loads. It does not know recent Xeons and falls back to "Prescott"
/// (SSE3), which runs sgemm ≈ 5–8× slower than its AVX-512 "SkylakeX" kernels. The choice can be
/// forced with `OPENBLAS_CORETYPE`, but only before the library loads.
///
/// `BLASRuntime` fixes it in-process: on the first BLAS call it compares the core OpenBLAS
/// chose with the best core the CPU flags support (``CPUInfo/bestOpenBLASCore``) and, when the
/// chosen one is weaker, re-runs OpenBLAS's own dispatcher (`gotoblas_dynamic_quit` /
/// `gotoblas_dynamic_init`, looked up with dlsym) with `OPENBLAS_CORETYPE` set for that call.
/// A user-set `OPENBLAS_CORETYPE` is respected; `ZOLAB_BLAS_CORE=keep` disables the switch and
/// `ZOLAB_BLAS_CORE=<name>` forces a core. Call only while no BLAS call is in flight.
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

    /// The name OpenBLAS reports for its active kernels, e.g. "SkylakeX".
    public static var activeCore: String {
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

    /// Cores at least as capable as `best`; a detected core in this set is left alone.
    static func adequateCores(for best: String) -> Set<String> {
        switch best.lowercased() {
        case "skylakex": return ["skylakex", "cooperlake", "sapphirerapids"]
        case "haswell": return ["haswell", "skylakex", "cooperlake", "sapphirerapids", "zen"]
        default: return [best.lowercased()]
        }
    }

    private static func configure() -> Status {
        let detected = activeCore
        let env = ProcessInfo.processInfo.environment
        let available = dispatch != nil
        if let userCore = env["OPENBLAS_CORETYPE"], !userCore.isEmpty {
            return Status(detectedCore: detected, activeCore: detected,
                          decision: "OPENBLAS_CORETYPE=\(userCore) set by the user", runtimeDispatchAvailable: available)
        }
        let request = env["ZOLAB_BLAS_CORE"] ?? "auto"
        if request == "keep" {
            return Status(detectedCore: detected, activeCore: detected,
                          decision: "kept (ZOLAB_BLAS_CORE=keep)", runtimeDispatchAvailable: available)
        }
        let target: String
        if request != "auto" {
            target = request
        } else {
            guard let best = CPUInfo.current.bestOpenBLASCore else {
                return Status(detectedCore: detected, activeCore: detected,
                              decision: "kept (no AVX2/AVX-512 core applies)", runtimeDispatchAvailable: available)
            }
            if adequateCores(for: best).contains(detected.lowercased()) {
                return Status(detectedCore: detected, activeCore: detected,
                              decision: "kept (matches the CPU)", runtimeDispatchAvailable: available)
            }
            target = best
        }
        guard available else {
            return Status(detectedCore: detected, activeCore: detected,
                          decision: "kept (this OpenBLAS has no runtime dispatch; set OPENBLAS_CORETYPE=\(target))",
                          runtimeDispatchAvailable: false)
        }
        let now = select(core: target)
        let ok = now.lowercased() == target.lowercased()
        return Status(detectedCore: detected, activeCore: now,
                      decision: ok ? "switched to \(target) (CPU flags support it)"
                                   : "asked for \(target), OpenBLAS chose \(now)",
                      runtimeDispatchAvailable: true)
    }

    /// Re-runs OpenBLAS's dispatcher with `OPENBLAS_CORETYPE=core` and returns the core now
    /// active. Used by configuration and by `zolab bench blas` to time the detected core and
    /// the selected one side by side. No BLAS call may be in flight.
    @discardableResult
    public static func select(core: String) -> String {
        guard let dispatch else { return activeCore }
        let previous = getenv("OPENBLAS_CORETYPE").map { String(cString: $0) }
        setenv("OPENBLAS_CORETYPE", core, 1)
        dispatch.quit()
        dispatch.initialise()
        if let previous { setenv("OPENBLAS_CORETYPE", previous, 1) } else { unsetenv("OPENBLAS_CORETYPE") }
        return activeCore
    }
}
