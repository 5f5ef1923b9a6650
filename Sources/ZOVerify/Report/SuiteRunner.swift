import Foundation
import ZOCore
import ZOStats

/// Options of a suite run (`zolab verify`).
public struct SuiteOptions: Sendable {
    public var scale: RunScale
    public var seed: UInt64
    /// Checks to run (empty: all), by name.
    public var checks: [String]
    public var varySeed: Bool
    public var repetitions: Int
    /// The command line, for the report.
    public var command: String
    /// Experiments run concurrently (each check's claim run and negative control are separate
    /// tasks; results do not depend on the order or the thread count, only on the seeds).
    public var jobs: Int

    public init(scale: RunScale = .full, seed: UInt64 = SuiteSeeds.standard, checks: [String] = [],
                varySeed: Bool = false, repetitions: Int = 1, command: String = "zolab verify",
                jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.scale = scale
        self.seed = seed
        self.checks = checks
        self.varySeed = varySeed
        self.repetitions = repetitions
        self.command = command
        self.jobs = jobs
    }

    /// - Throws: ``VerifyError`` for a repetition count < 1, `--repeat` > 1 without
    ///   `--vary-seed` (identical reruns), or an unknown check name.
    public func validate() throws {
        guard repetitions >= 1 else { throw VerifyError.invalidOption("--repeat must be ≥ 1, got \(repetitions)") }
        guard jobs >= 1 else { throw VerifyError.invalidOption("--jobs must be ≥ 1, got \(jobs)") }
        guard varySeed || repetitions == 1 else {
            throw VerifyError.invalidOption("--repeat \(repetitions) needs --vary-seed (with a fixed seed every repetition is identical)")
        }
        for name in checks { _ = try CheckRegistry.check(named: name) }
    }

    public var selectedChecks: [any Check] {
        checks.isEmpty ? CheckRegistry.all : checks.compactMap { try? CheckRegistry.check(named: $0) }
    }
}

/// Runs checks and their negative controls, times them, and assembles the ``SuiteReport``.
///
/// Exit policy: the report's failures (non-zero exit) are exactly (1) a check whose machinery
/// threw (verdict `machineryError`) and (2) a negative control that was not refuted. A refuted
/// claim is a finding and does not fail the suite.
public enum SuiteRunner {
    /// Runs the selected checks. `registry` replaces ``CheckRegistry/all`` (tests inject checks
    /// with known behaviour); the budget is split over it.
    public static func run(_ options: SuiteOptions, registry: [any Check]? = nil, budget: SuiteBudget = .standard,
                           progress: (String) -> Void = { _ in }) throws -> SuiteReport {
        let all = registry ?? CheckRegistry.all
        if registry == nil { try options.validate() }
        let checks = registry.map { r in options.checks.isEmpty ? r : r.filter { options.checks.contains($0.name) } } ?? options.selectedChecks
        let watch = Stopwatch()
        let loadStart = SystemLoad.averages()
        let split = try budget.split(all)
        var reported: [CheckOutcome] = []
        var seeds: [UInt64] = []
        var perCheckRejections: [String: Int] = [:]
        var negativePasses: [String: Int] = [:]
        var claimVerdicts: [String: [String: Int]] = [:]
        var failures: [String] = []
        var falseFailRuns = 0
        let repetitions = options.varySeed ? options.repetitions : 1
        for r in 0..<repetitions {
            let suiteSeed = options.varySeed ? SuiteSeeds.repetitionSeed(base: options.seed, repetition: r) : options.seed
            seeds.append(suiteSeed)
            if options.varySeed { progress("== repetition \(r + 1)/\(repetitions), suite seed \(suiteSeed)") }
            let configurations = try checks.map {
                try CheckConfiguration.forCheck($0, scale: options.scale, suiteSeed: suiteSeed, budget: budget, among: all)
            }
            let outcomes = repetition(checks, configurations, withPositiveControls: options.varySeed, jobs: options.jobs,
                                      progress: progress)
            var anyFalseFail = false
            for (check, o) in zip(checks, outcomes) {
                let knownTrue = check.positiveControlIsClaim ? o.result : o.positiveControl
                if options.varySeed, knownTrue?.verdict == .refuted {
                    perCheckRejections[check.name, default: 0] += 1
                    anyFalseFail = true
                }
                if o.negativeControlRejected != true { negativePasses[check.name, default: 0] += 1 }
                claimVerdicts[check.name, default: [:]][o.result.verdict.rawValue, default: 0] += 1
                for run in [o.result, o.negativeControl, o.positiveControl].compactMap({ $0 }) where run.verdict == .machineryError {
                    failures.append("\(o.check) (\(run.kind.rawValue), suite seed \(suiteSeed)): machinery error: \(run.error ?? "unknown")")
                }
            }
            if anyFalseFail { falseFailRuns += 1 }
            if r == 0 { reported = outcomes }
        }
        for (name, count) in negativePasses.sorted(by: { $0.key < $1.key }) {
            failures.append("\(name): negative control not refuted in \(count) of \(repetitions) run(s) — the check could not fail")
        }
        var study: FalseFailStudy?
        if options.varySeed {
            let ci = try ConfidenceInterval.clopperPearson(successes: falseFailRuns, trials: repetitions, confidence: 0.95)
            study = FalseFailStudy(repetitions: repetitions, seeds: seeds, falseFailRuns: falseFailRuns,
                                   interval: IntervalEstimate(lower: ci.lower, upper: ci.upper, confidence: 0.95),
                                   budget: budget.total, perCheckRejections: perCheckRejections,
                                   negativeControlPasses: negativePasses, claimVerdicts: claimVerdicts)
        }
        return SuiteReport(
            generated: ISO8601DateFormatter().string(from: Date()), command: options.command, scale: options.scale,
            seed: options.seed, budgetTotal: budget.total, beta: budget.beta,
            budget: split.allocations.map { BudgetEntry(check: $0.name, alpha: $0.alpha, tests: $0.subTests) },
            outcomes: reported, seconds: watch.elapsed, loadAverageStart: loadStart, loadAverageEnd: SystemLoad.averages(),
            cores: ProcessInfo.processInfo.activeProcessorCount, falseFailStudy: study, failures: failures)
    }

    /// One pass over the checks at fixed configurations: every claim run and negative control
    /// (and the separate positive controls when asked) as concurrent tasks; progress per task
    /// and per check.
    static func repetition(_ checks: [any Check], _ configurations: [CheckConfiguration], withPositiveControls: Bool,
                           jobs: Int, progress: (String) -> Void) -> [CheckOutcome] {
        var tasks: [(Int, RunKind)] = []
        for k in checks.indices {
            tasks.append((k, .claim))
            tasks.append((k, .negativeControl))
            if withPositiveControls && !checks[k].positiveControlIsClaim { tasks.append((k, .positiveControl)) }
        }
        let printLock = NSLock()
        let body = { (k: Int, kind: RunKind) -> CheckResult in
            let r = execute(checks[k], configurations[k], kind: kind)
            let label = kind == .claim ? "" : " (\(kind.rawValue))"
            let status = kind == .negativeControl ? (r.verdict == .refuted ? "refuted ✓" : "NOT REFUTED (\(r.verdict))") : r.verdict.rawValue
            printLock.lock()
            progress("  \(checks[k].name)\(label): \(status), \(Format.duration(r.seconds))")
            printLock.unlock()
            return r
        }
        let results = runTasks(tasks, jobs: jobs, body)
        return checks.enumerated().map { k, check in
            func find(_ kind: RunKind) -> CheckResult? { tasks.indices.first { tasks[$0] == (k, kind) }.map { results[$0] } }
            let o = CheckOutcome(check: check.name, claim: check.claim, title: check.title, result: find(.claim)!,
                                 negativeControl: find(.negativeControl), positiveControl: find(.positiveControl))
            let control = o.negativeControl!
            let controlText = control.verdict == .refuted ? "negative control refuted ✓" : "NEGATIVE CONTROL NOT REFUTED (\(control.verdict))"
            progress("[\(k + 1)/\(checks.count)] \(check.name): \(o.result.verdict) "
                     + "(\(Format.duration(o.result.seconds)); \(controlText), \(Format.duration(control.seconds)))")
            return o
        }
    }

    /// Runs `body` for every task on `jobs` threads (tasks taken in order); results in task order.
    static func runTasks(_ tasks: [(Int, RunKind)], jobs: Int, _ body: (Int, RunKind) -> CheckResult) -> [CheckResult] {
        var results = [CheckResult?](repeating: nil, count: tasks.count)
        let lock = NSLock()
        var next = 0
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, tasks.count))) { _ in
                while true {
                    lock.lock()
                    let i = next
                    next += 1
                    lock.unlock()
                    guard i < tasks.count else { return }
                    let r = body(tasks[i].0, tasks[i].1)
                    lock.lock()
                    results[i] = r
                    lock.unlock()
                }
            }
        }
        return results.map { $0! }
    }

    /// Runs one kind of experiment, turning a thrown error into a `machineryError` result.
    public static func execute(_ check: any Check, _ configuration: CheckConfiguration, kind: RunKind) -> CheckResult {
        let watch = Stopwatch()
        do {
            var r: CheckResult
            switch kind {
            case .claim: r = try check.run(configuration: configuration)
            case .negativeControl: r = try check.runNegativeControl(configuration: configuration)
            case .positiveControl: r = try check.runPositiveControl(configuration: configuration)
            }
            r.kind = kind
            r.seconds = watch.elapsed
            return r
        } catch {
            return CheckResult(check: check.name, claim: check.claim, kind: kind, verdict: .machineryError,
                               summary: "The experiment failed: \(error)", alpha: configuration.alpha,
                               elementaryTests: configuration.elementaryTests, seconds: watch.elapsed,
                               seed: configuration.seed, scale: configuration.scale, error: "\(error)")
        }
    }
}

/// The machine's load, for runtime reports on a shared machine.
public enum SystemLoad {
    /// The 1, 5 and 15 minute load averages (empty when /proc/loadavg is unreadable).
    public static func averages() -> [Double] {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return [] }
        return text.split(separator: " ").prefix(3).compactMap { Double($0) }
    }
}
