#if canImport(Glibc)
import Glibc
#endif

/// SIGINT / SIGTERM → a flag the training loop reads at each step boundary, so an interrupt
/// saves a checkpoint after the step in flight instead of killing the process mid-write.
/// The handler only stores the signal number (async-signal-safe).
public enum InterruptMonitor {
    nonisolated(unsafe) private static var received: sig_atomic_t = 0
    nonisolated(unsafe) private static var installed = false

    /// Installs the handlers (idempotent) and unblocks both signals on the calling thread: a
    /// process spawned with them blocked (some launchers do) would otherwise never see them.
    public static func install() {
        guard !installed else { return }
        installed = true
        signal(SIGINT) { InterruptMonitor.received = $0 }
        signal(SIGTERM) { InterruptMonitor.received = $0 }
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// The signal received since the last `reset()`, or nil.
    public static var pendingSignal: Int32? { received == 0 ? nil : Int32(received) }

    public static func reset() { received = 0 }

    /// For tests: behave as if `signal` had arrived.
    public static func simulate(_ signal: Int32) { received = sig_atomic_t(signal) }
}
