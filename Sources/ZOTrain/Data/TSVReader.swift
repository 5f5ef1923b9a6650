import Foundation

/// Reads GLUE-style TSV files (tab-separated, a header row naming the columns, no quoting —
/// as the GLUE distribution writes them), so the real SST-2 / RTE files can be used:
/// SST-2 `sentence<TAB>label` with labels 0/1, RTE `index<TAB>sentence1<TAB>sentence2<TAB>label`
/// with labels `entailment` / `not_entailment`. Columns are matched by ``PromptTask/tsvColumns``.
/// Every malformed line (wrong column count, empty field, unknown label) is reported with its
/// 1-based line number (the header is line 1) and the file is refused.
public enum TSVReader {
    public static func examples(_ data: Data, task: PromptTask, path: String = "<data>") throws -> [LabeledExample] {
        let lines = try JSONLinesReader.lines(data, path: path)
        guard let header = lines.first else { throw DatasetError.empty(path: path) }
        let names = header.text.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var column: [String: Int] = [:]
        var missing: [String] = []
        for key in task.fields + ["label"] {
            let accepted = task.tsvColumns[key] ?? [key]
            if let i = names.firstIndex(where: { accepted.contains($0) }) { column[key] = i } else { missing.append(accepted.joined(separator: "/")) }
        }
        if !missing.isEmpty {
            throw DatasetError.malformedLines(path: path, issues: [LineIssue(line: 1, reason: "header lacks column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) (found: \(names.joined(separator: ", ")))")], total: 1)
        }
        var out: [LabeledExample] = []
        var issues: [LineIssue] = []
        var total = 0
        func report(_ line: Int, _ reason: String) {
            total += 1
            if issues.count < DatasetError.reportedIssueLimit { issues.append(LineIssue(line: line, reason: reason)) }
        }
        for (number, text) in lines.dropFirst() {
            let cells = text.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == names.count else {
                report(number, "\(cells.count) column\(cells.count == 1 ? "" : "s"), the header has \(names.count)")
                continue
            }
            var fields: [String: String] = [:]
            var empty: [String] = []
            for field in task.fields {
                let value = cells[column[field]!]
                if value.trimmingCharacters(in: .whitespaces).isEmpty { empty.append(field) }
                fields[field] = value
            }
            if !empty.isEmpty { report(number, "empty field\(empty.count == 1 ? "" : "s") \(empty.joined(separator: ", "))"); continue }
            let rawLabel = cells[column["label"]!].trimmingCharacters(in: .whitespaces)
            let label: Int
            if let i = task.labelIndex(named: rawLabel) {
                label = i
            } else if let i = Int(rawLabel), i >= 0, i < task.classCount {
                label = i
            } else {
                report(number, rawLabel.isEmpty ? "missing label" : "unknown label \"\(rawLabel)\" (\(task.name) labels: \(task.labels.joined(separator: ", ")) or 0…\(task.classCount - 1))")
                continue
            }
            out.append(LabeledExample(fields: fields, label: label, line: number))
        }
        if total > 0 { throw DatasetError.malformedLines(path: path, issues: issues, total: total) }
        if out.isEmpty { throw DatasetError.empty(path: path) }
        return out
    }

    public static func examples(contentsOf url: URL, task: PromptTask) throws -> [LabeledExample] {
        try examples(try JSONLinesReader.read(url), task: task, path: url.path)
    }
}
