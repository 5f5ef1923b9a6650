import Foundation
@testable import ZOExperiments

/// Preset text for the tests: a small, fast figure; `patch` edits the JSON object first.
enum TestPresets {
    /// The repository's `plots/` directory.
    static var plotsDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("plots")
    }

    /// A 2-D quadratic with exact coordinate descent (deterministic path (1, 1) → (0, 1) → …)
    /// and MeZO at a fixed η: 60 × 60 grid, 20 steps, 420 × 360 px.
    static let tiny = """
    {
      "id": "tiny",
      "title": "tiny",
      "output": "plots/gallery/tiny.png",
      "size": [420, 360],
      "layout": "contour",
      "function": {
        "name": "diagonal-quadratic",
        "dimension": 2,
        "parameters": {"kappa": 10},
        "start": [1, 1],
        "domain": {"x": [-1.5, 1.5], "y": [-1.5, 1.5]},
        "levels": {"scale": "log", "count": 10},
        "resolution": 60
      },
      "optimizers": [
        {"name": "exact-cd"},
        {"name": "mezo", "options": {"lr": 0.01, "eps": 0.001}}
      ],
      "steps": 20,
      "seed": 3
    }
    """

    /// A temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("zoexp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
