import ArgumentParser
import Foundation
import ZOExperiments
import ZOFunctions
import ZOOptim
import ZOCore

/// `zolab plot`: renders figure presets (`plots/*.json`) or an ad-hoc figure to PNG, with a
/// `.png.json` sidecar recording the exact command, the chosen learning rates and the runs.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Render optimizer trajectories to PNG from a figure preset (plots/*.json) or ad hoc.",
        discussion: """
        Examples:
          zolab plot --preset plots/rosenbrock.json
          zolab plot --all                                  (every plots/*.json)
          zolab plot --function rosenbrock --optimizers mezo,mezo:lr=1e-4 --steps 500 --seed 0 --out fig.png

        An ad-hoc optimizer without lr= gets the seeded learning-rate search (criterion: distance to \
        the minimum when known, else final loss; horizon = --steps). Outputs are written atomically; \
        preset output paths are relative to the current directory (run from the repository root) or \
        go into --out DIR. The preset format is described in docs/gallery.md. A preset's "gnuplot" \
        chart runs the gnuplot named by $ZOLAB_GNUPLOT, else the first on PATH; without one it is \
        skipped with a note and the command still succeeds.
        """
    )

    @Option(help: ArgumentHelp("Figure preset to render (JSON).", valueName: "file"))
    var preset: String?

    @Flag(help: "Render every preset in --presets-dir.")
    var all = false

    @Option(help: ArgumentHelp("Directory of presets for --all.", valueName: "dir"))
    var presetsDir = "plots"

    @Option(help: "Ad hoc: test function (see `zolab functions`).")
    var function: String?

    @Option(name: [.short, .long], help: "Ad hoc: dimension d.")
    var dimension: Int?

    @Option(help: ArgumentHelp("Ad hoc: optimizers, comma-separated, options after colons.", valueName: "mezo,hizoo:lr=1e-3"))
    var optimizers: String?

    @Option(help: "Ad hoc: steps per run.")
    var steps = 500

    @Option(help: "Ad hoc: run seed (also the search seed).")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("Ad hoc: start point.", valueName: "x1,x2,…"))
    var start: String?

    @Option(help: ArgumentHelp("Ad hoc: plot window.", valueName: "xmin,xmax,ymin,ymax"))
    var domain: String?

    @Option(help: "Ad hoc: contour levels, linear or log.")
    var levels = "linear"

    @Option(help: "Ad hoc: layout (contour, contour+loss, grid, loss).")
    var layout = "contour+loss"

    @Option(help: ArgumentHelp("Ad hoc: figure size.", valueName: "WxH"))
    var size: String?

    @Option(help: "Ad hoc: learning-rate search criterion (distance, final-loss, mean-loss).")
    var criterion: String?

    @Option(help: ArgumentHelp("Output: the PNG (ad hoc), or a directory for presets' outputs (--preset/--all).", valueName: "path"))
    var out: String?

    @Option(help: ArgumentHelp("Ad hoc: also save the figure's preset JSON here.", valueName: "file"))
    var savePreset: String?

    @Flag(help: "Print no progress lines.")
    var quiet = false

    func validate() throws {
        let modes = [preset != nil, all, function != nil].filter { $0 }.count
        guard modes == 1 else { throw ValidationError("give exactly one of --preset FILE, --all, or --function NAME (ad hoc)") }
        if function != nil {
            guard optimizers != nil else { throw ValidationError("--function needs --optimizers (e.g. mezo,mezo:lr=1e-4)") }
            guard let out, out.lowercased().hasSuffix(".png") else { throw ValidationError("an ad-hoc figure needs --out FILE.png") }
            guard steps >= 1 else { throw ValidationError("--steps must be ≥ 1, got \(steps)") }
            guard FigureLayout(rawValue: layout) != nil else {
                throw ValidationError("--layout must be one of \(FigureLayout.allCases.map(\.rawValue).joined(separator: ", ")), got \(layout)")
            }
            guard LevelSpec.Scale(rawValue: levels) != nil else { throw ValidationError("--levels must be linear or log, got \(levels)") }
            if let criterion, LearningRateSearch.Criterion(rawValue: criterion) == nil {
                throw ValidationError("--criterion must be distance, final-loss or mean-loss, got \(criterion)")
            }
            // Size, start, domain, function and optimizer names, dimensions and option values are
            // parsed and looked up here, so bad input exits 64 before any run starts.
            _ = try CLIError.checkInput { try adHocPreset(progress: nil) }
        } else {
            for (name, given) in [("--optimizers", optimizers != nil), ("--start", start != nil), ("--domain", domain != nil),
                                  ("--size", size != nil), ("--save-preset", savePreset != nil)] where given {
                throw ValidationError("\(name) applies to ad-hoc figures (--function) only")
            }
        }
    }

    func parsedSize() throws -> (Int, Int) {
        guard let size else { return (1200, 600) }
        let parts = size.lowercased().split(separator: "x").map { Int($0) }
        guard parts.count == 2, let w = parts[0], let h = parts[1], (100...4000).contains(w), (100...4000).contains(h) else {
            throw ValidationError("--size must be WxH with 100 ≤ W, H ≤ 4000, got \(size)")
        }
        return (w, h)
    }

    func parsedDomain(_ text: String) throws -> (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        let v = try ListParsing.numbers(text, option: "--domain")
        guard v.count == 4 else { throw ValidationError("--domain needs xmin,xmax,ymin,ymax (4 numbers), got \(v.count)") }
        guard v[1] > v[0], v[3] > v[2] else {
            throw ValidationError("--domain is empty or degenerate: needs xmin < xmax and ymin < ymax, got \(text)")
        }
        return (v[0]...v[1], v[2]...v[3])
    }

    func run() throws {
        let progress: ((String) -> Void)? = quiet ? nil : { Output.progress($0) }
        do {
            if function != nil {
                try renderAdHoc(progress: progress)
            } else {
                let files = try presetFiles()
                var failures: [String] = []
                for file in files {
                    do {
                        try render(PresetParser.load(path: file), renderer: FigureRenderer(outputDirectory: out), progress: progress)
                    } catch let e as PresetError where all {
                        Output.progress("error: \(e)")
                        failures.append(file)
                    }
                }
                if !failures.isEmpty {
                    throw CLIError.input("\(failures.count) of \(files.count) presets failed: \(failures.joined(separator: ", "))")
                }
            }
        } catch let e as PresetError {
            throw CLIError.input(e.description)
        }
    }

    func presetFiles() throws -> [String] {
        if let preset { return [preset] }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: presetsDir)
        } catch {
            throw CLIError.input("\(presetsDir): cannot list presets (\(error.localizedDescription))")
        }
        let files = names.filter { $0.hasSuffix(".json") }.sorted().map { presetsDir + "/" + $0 }
        guard !files.isEmpty else { throw CLIError.input("\(presetsDir): no *.json presets") }
        return files
    }

    func render(_ preset: FigurePreset, renderer: FigureRenderer, progress: ((String) -> Void)?) throws {
        progress?("== \(preset.source ?? preset.id): \(preset.runCount) run\(preset.runCount == 1 ? "" : "s")")
        let report = try renderer.render(preset, progress: progress)
        let o = report.outputs
        for path in [o.figure, o.sidecar, o.animation, o.gnuplot].compactMap({ $0 }) { print(path) }
        for note in o.notes { Output.progress("note: \(note)") }
    }

    /// The ad-hoc figure as a preset, validated by the preset parser (names, dimensions, options).
    func adHocPreset(progress: ((String) -> Void)?) throws -> FigurePreset {
        var search = SearchSpec()
        search.criterion = criterion.flatMap(LearningRateSearch.Criterion.init(rawValue:))
        let optimizerList = try AdHocFigure.optimizers(optimizers!, search: search)
        var f = FigureFunction(name: function!, dimension: dimension)
        f.start = try start.map { try ListParsing.numbers($0, option: "--start") }
        f.domain = try domain.map(parsedDomain)
        f.levels.scale = LevelSpec.Scale(rawValue: levels)!
        f.levels.count = levels == "log" ? 24 : 14
        let (w, h) = try parsedSize()
        var chosenLayout = FigureLayout(rawValue: layout)!
        if chosenLayout != .loss, let d = try? f.make().dimension, d > FigureRunner.trajectoryLimit {
            chosenLayout = .loss
            progress?("note: d = \(d) > \(FigureRunner.trajectoryLimit): drawing loss curves only (layout loss)")
        }
        return try AdHocFigure.preset(function: f, optimizers: optimizerList, steps: steps, seed: seed, output: out!,
                                      layout: chosenLayout, width: w, height: h)
    }

    func renderAdHoc(progress: ((String) -> Void)?) throws {
        let preset = try adHocPreset(progress: progress)
        if let savePreset {
            var saved = preset
            saved.id = URL(fileURLWithPath: savePreset).deletingPathExtension().lastPathComponent
            try AtomicFile.write(PresetWriter.json(saved), to: URL(fileURLWithPath: savePreset))
            print(savePreset)
        }
        let command = (["zolab"] + CommandLine.arguments.dropFirst()).map(Self.shellQuoted).joined(separator: " ")
        try render(preset, renderer: FigureRenderer(command: command), progress: progress)
    }

    static func shellQuoted(_ s: String) -> String {
        let safe = s.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "-_./:=,+".unicodeScalars.contains($0) }
        return safe && !s.isEmpty ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
