import ZOFunctions
import ZOOptim

/// Builds a ``FigurePreset`` from `zolab plot --function … --optimizers …` arguments, so an
/// ad-hoc figure goes through the same validation and pipeline as a preset file.
public enum AdHocFigure {
    /// `"mezo,hizoo:lr=1e-3:mu=1e-3"` → optimizers. An entry without `lr=` gets the seeded
    /// learning-rate search (`search`); with it, the fixed rate.
    public static func optimizers(_ text: String, search: SearchSpec) throws -> [FigureOptimizer] {
        let entries = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        return try entries.enumerated().map { k, entry in
            let path = "--optimizers entry \(k + 1)"
            let parts = entry.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard let name = parts.first, !name.isEmpty else {
                throw PresetError.invalidValue(file: "command line", path: path, reason: "empty optimizer name in '\(text)'")
            }
            var options: [String: String] = [:]
            for item in parts.dropFirst() {
                let kv = item.split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2, !kv[0].isEmpty, !kv[1].isEmpty else {
                    throw PresetError.invalidValue(file: "command line", path: path, reason: "expected name=value after ':', got '\(item)'")
                }
                guard options[kv[0]] == nil else {
                    throw PresetError.invalidValue(file: "command line", path: path, reason: "option '\(kv[0])' given twice")
                }
                options[kv[0]] = kv[1]
            }
            return FigureOptimizer(name: name.lowercased(), options: options,
                                   search: options["lr"] == nil && name.lowercased() != ExactCoordinateDescent.methodName ? search : nil)
        }
    }

    /// The preset for the ad-hoc arguments, validated exactly like a file (by re-parsing its
    /// JSON form, so the same messages apply).
    public static func preset(function: FigureFunction, optimizers: [FigureOptimizer], steps: Int, seed: UInt64,
                              output: String, layout: FigureLayout, width: Int, height: Int) throws -> FigurePreset {
        var preset = FigurePreset(id: "ad-hoc", output: output, functions: [function], optimizers: optimizers,
                                  steps: steps, seed: seed, layout: layout, width: width, height: height)
        preset = try PresetParser.parse(PresetWriter.json(preset), file: "command line")
        return preset
    }
}
