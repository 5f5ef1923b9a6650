/// The Markdown of `report.md` and the verdict table the CLI prints.
public enum ReportMarkdown {
    /// Rows: check, claim, verdict, key numbers, αᵢ, detectable discrepancy, negative control, time.
    public static func verdictRows(_ report: SuiteReport) -> (header: [String], rows: [[String]]) {
        let header = ["check", "claim", "verdict", "αᵢ", "detectable", "negative control", "time"]
        let rows = report.outcomes.map { o -> [String] in
            let r = o.result
            let detectable = r.detectable.map { "\(Format.number($0.value, digits: 2)) (\($0.unit))" } ?? "exact"
            let control: String
            switch o.negativeControl?.verdict {
            case .refuted?: control = "refuted ✓"
            case nil: control = "—"
            case let v?: control = "NOT refuted (\(v))"
            }
            let time = r.seconds + (o.negativeControl?.seconds ?? 0) + (o.positiveControl?.seconds ?? 0)
            return [o.check, "\(o.claim)", r.verdict.rawValue, r.alpha > 0 ? Format.probability(r.alpha) : "exact",
                    detectable, control, Format.duration(time)]
        }
        return (header, rows)
    }

    public static func table(_ header: [String], _ rows: [[String]]) -> String {
        func esc(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        return (["| " + header.map(esc).joined(separator: " | ") + " |",
                 "|" + header.map { _ in "---" }.joined(separator: "|") + "|"]
                + rows.map { "| " + $0.map(esc).joined(separator: " | ") + " |" }).joined(separator: "\n")
    }

    static func load(_ l: [Double]) -> String { l.isEmpty ? "n/a" : l.map { Format.number($0, digits: 3) }.joined(separator: ", ") }

    public static func report(_ report: SuiteReport, figures: String) -> String {
        var out: [String] = []
        out.append("# zolab verify — \(report.scale) run")
        out.append("")
        out.append("Generated \(report.generated) by `\(report.command)`; suite seed \(report.seed); "
                   + "\(report.outcomes.count) check(s) in \(Format.duration(report.seconds)) on \(report.cores) core(s), "
                   + "load average \(load(report.loadAverageStart)) at the start, \(load(report.loadAverageEnd)) at the end.")
        out.append("")
        out.append(report.failures.isEmpty
                   ? "Exit status 0: every negative control was refuted and no experiment failed (a refuted claim is a finding, not a failure)."
                   : "**Exit status 1**:\n" + report.failures.map { "- \($0)" }.joined(separator: "\n"))
        out.append("")
        let (h, rows) = verdictRows(report)
        out.append(table(h, rows))
        out.append("")
        out.append("## False-fail budget")
        out.append("")
        out.append("α_total = \(Format.probability(report.budgetTotal)) for the whole suite (P(some true claim is reported refuted) ≤ α_total "
                   + "by the union bound), split equally across the \(report.budget.count) statistical checks (Bonferroni, "
                   + "FalseFailBudget) and within each check over its Kᵢ elementary tests; β = \(report.beta) "
                   + "(power 0.999 at the detectable discrepancy). Exact checks compare to a numerical tolerance and take no share.")
        out.append("")
        out.append(table(["check", "αᵢ", "Kᵢ", "per test"], report.budget.map {
            [$0.check, Format.probability($0.alpha), "\($0.tests)", Format.probability($0.alpha / Double($0.tests))]
        }))
        out.append("")
        out.append("Sum of shares: \(Format.probability(report.budget.map(\.alpha).reduce(0, +))).")
        if let s = report.falseFailStudy {
            out.append("")
            out.append("## Measured false-fail rate (--vary-seed)")
            out.append("")
            out.append("\(s.repetitions) repetitions with seeds \(s.seeds.map(String.init).joined(separator: ", ")): "
                       + "\(s.falseFailRuns) run(s) rejected a known-true case; observed rate \(Format.number(Double(s.falseFailRuns) / Double(s.repetitions), digits: 3)), "
                       + "Clopper–Pearson 95 % interval \(Format.interval(s.interval, digits: 3)) vs the budget \(Format.probability(s.budget)).")
            if !s.perCheckRejections.isEmpty {
                out.append("Rejections by check: " + s.perCheckRejections.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ".")
            }
            out.append("Negative controls not refuted (type II, each expected with probability ≈ β = \(report.beta)): "
                       + (s.negativeControlPasses.isEmpty ? "none" : s.negativeControlPasses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")) + ".")
            out.append("")
            out.append(table(["check", "claim verdicts over the repetitions"], s.claimVerdicts.sorted { $0.key < $1.key }.map {
                [$0.key, $0.value.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")]
            }))
        }
        for o in report.outcomes {
            out.append("")
            out.append("## \(o.check) (claim \(o.claim)): \(o.result.verdict)")
            out.append("")
            out.append(o.result.summary)
            if !o.result.findings.isEmpty {
                out.append("")
                out.append("Where the data contradict the paper or its code:")
                out.append(contentsOf: o.result.findings.map { "- \($0)" })
            }
            out.append("")
            out.append(subResultTable(o.result))
            if let c = o.negativeControl {
                out.append("")
                out.append("Negative control (\(c.verdict)\(c.verdict == .refuted ? ", as required" : " — MUST be refuted")): \(c.summary) "
                           + CheckPage.controlSize(c, claimDetectable: o.result.detectable))
            }
            if o.result.figure != nil {
                out.append("")
                out.append("![\(o.check)](\(figures)/\(o.check).png)")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    public static func subResultTable(_ r: CheckResult) -> String {
        guard !r.subResults.isEmpty else { return "" }
        return table(["sub-test", "hypothesis / measurement", "statistic", "value", "p (Bonferroni)", "level", "decision", "estimate [interval]", "n"],
                     r.subResults.map { s in
            let decision = s.rejected.map { $0 ? "rejected" : "not rejected" } ?? "measured"
            let est = s.estimate.map { Format.number($0) + (s.interval.map { " " + Format.interval($0) } ?? "") } ?? Format.interval(s.interval)
            return [s.name, s.hypothesis + (s.note.isEmpty ? "" : " — " + s.note), s.statistic, Format.number(s.value),
                    s.pValue.map(Format.probability) ?? "—", s.alpha.map(Format.probability) ?? "—", decision, est,
                    Format.count(s.sampleSize)]
        })
    }
}
