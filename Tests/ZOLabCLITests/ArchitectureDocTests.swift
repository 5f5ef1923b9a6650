import Foundation
import Testing

/// docs/architecture.md's module table must state the dependencies Package.swift declares.
@Suite("docs/architecture.md matches Package.swift")
struct ArchitectureDocTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Target name → dependencies (target names, and package names for products) of every
    /// `.target` / `.executableTarget` in Package.swift.
    static func packageDependencies() throws -> [String: Set<String>] {
        let text = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        var result: [String: Set<String>] = [:]
        let chars = Array(text)
        var searchStart = text.startIndex
        while let range = text.range(of: #"\.(target|executableTarget)\(\s*name: "([^"]+)""#, options: .regularExpression,
                                     range: searchStart..<text.endIndex) {
            // The call's text up to its matching parenthesis.
            var depth = 0, opened = false
            var i = text.distance(from: text.startIndex, to: range.lowerBound)
            let begin = i
            while i < chars.count && !(opened && depth == 0) {
                if chars[i] == "(" { depth += 1; opened = true } else if chars[i] == ")" { depth -= 1 }
                i += 1
            }
            let call = String(chars[begin..<i])
            guard let name = call.firstMatch(of: #/name: "([^"]+)"/#).map({ String($0.1) }) else {
                Issue.record("cannot read the target call \(call)")
                break
            }
            var deps = Set<String>()
            if let list = call.firstMatch(of: #/dependencies: \[([\s\S]*)\]/#) {
                var body = String(list.1)
                for product in body.matches(of: #/\.product\(name: "[^"]+", package: "([^"]+)"\)/#) {
                    deps.insert(String(product.1))
                }
                body = body.replacing(#/\.product\([^)]*\)/#, with: "")
                for dep in body.matches(of: #/"([^"]+)"/#) { deps.insert(String(dep.1)) }
            }
            result[name] = deps
            searchStart = range.upperBound
        }
        return result
    }

    /// Module → the dependencies the doc's table lists ("—" = none; "all" rows are skipped).
    static func documentedDependencies() throws -> [String: Set<String>] {
        let text = try String(contentsOf: root.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        var result: [String: Set<String>] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3, let last = cells.last, !last.hasPrefix("all") else { continue }
            let modules = cells[0].matches(of: #/`([A-Za-z]+)`/#).map { String($0.1) }
            let deps: Set<String> = last == "—" ? [] : Set(last.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            for m in modules { result[m] = deps }
        }
        return result
    }

    @Test func moduleTableListsPackageDependencies() throws {
        let package = try Self.packageDependencies()
        let documented = try Self.documentedDependencies()
        #expect(documented.count >= 12, "parsed \(documented.keys.sorted())")
        for (module, deps) in documented {
            guard let declared = package[module] else {
                // System-library targets (CCairo, COpenBLAS) are not `.target`s and have none.
                #expect(deps.isEmpty && ["CCairo", "COpenBLAS"].contains(module), "\(module) is not a target in Package.swift")
                continue
            }
            #expect(deps == declared, "\(module): docs say \(deps.sorted()), Package.swift says \(declared.sorted())")
        }
        for module in package.keys where !module.hasSuffix("Tests") && module != "ZOLabCLI" {
            #expect(documented[module] != nil, "\(module) is missing from docs/architecture.md")
        }
    }
}
