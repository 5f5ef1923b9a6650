import Foundation
import ZOCore
import ZOFunctions
import ZOOptim
import ZOPlot

/// Where a rendered preset went (paths as written, relative or absolute).
public struct FigureOutputs: Sendable, Hashable {
    public var figure: String
    public var sidecar: String
    public var animation: String?
    public var gnuplot: String?
    /// Things the user should know (gnuplot skipped, runs that diverged).
    public var notes: [String]
}

/// What rendering a preset produced: the files, the runs, and the image (whose
/// `plotAreas` map data coordinates to pixels).
public struct FigureReport {
    public var outputs: FigureOutputs
    public var runs: [FigureRun]
    public var image: PlotImage
    public var sidecar: FigureSidecar
}

/// Renders a ``FigurePreset``: runs the optimizers, composes the figure, and writes the PNG,
/// its `.png.json` sidecar, and the optional APNG and gnuplot chart — each atomically
/// (temporary file + rename, via ZOPlot/ZOCore).
public struct FigureRenderer {
    /// When set, every output goes into this directory (keeping its file name).
    public var outputDirectory: String?
    /// The command recorded in the sidecar (default: `zolab plot --preset <file>`).
    public var command: String?
    /// Finds gnuplot for a preset's `gnuplot` output (default: `$ZOLAB_GNUPLOT`, else `$PATH`);
    /// when it throws ``PlotError/gnuplotNotFound(searched:)`` that output is skipped with a
    /// note, and the rest of the figure is still written.
    public var locateGnuplot: () throws -> GnuplotBackend = { try GnuplotBackend.locate() }

    public init(outputDirectory: String? = nil, command: String? = nil) {
        self.outputDirectory = outputDirectory
        self.command = command
    }

    /// Where `path` (a preset output) is written.
    public func resolve(_ path: String) -> String {
        guard let dir = outputDirectory else { return path }
        return URL(fileURLWithPath: dir).appendingPathComponent(URL(fileURLWithPath: path).lastPathComponent).path
    }

    /// Runs, composes and writes. Diverged runs are drawn and flagged, not errors.
    /// - Throws: ``PresetError`` (`.render` wraps the catalogs', optimizers' and ZOPlot's errors).
    public func render(_ preset: FigurePreset, progress: ((String) -> Void)? = nil) throws -> FigureReport {
        let file = preset.source ?? preset.id
        do {
            let runs = try FigureRunner.run(preset, progress: progress)
            let composer = FigureComposer(preset: preset, runs: runs)
            let image = try composer.figure().render(width: preset.width, height: preset.height)
            var outputs = FigureOutputs(figure: resolve(preset.output), sidecar: resolve(preset.output) + ".json",
                                        animation: nil, gnuplot: nil, notes: [])
            try image.writePNG(to: URL(fileURLWithPath: outputs.figure))
            if let a = preset.animation, let plot = try composer.animationPanel() {
                let path = resolve(a.output)
                try TrajectoryAnimation(plot: plot, frameCount: a.frames).writeAPNG(to: URL(fileURLWithPath: path),
                                                                                  width: a.width, height: a.height)
                outputs.animation = path
            }
            if let g = preset.gnuplot {
                let path = resolve(g.output)
                do {
                    try locateGnuplot().render(composer.gnuplotChart(), width: g.width, height: g.height,
                                               to: URL(fileURLWithPath: path))
                    outputs.gnuplot = path
                } catch PlotError.gnuplotNotFound(let searched) {
                    outputs.notes.append("gnuplot not found (searched \(searched)): skipped \(path) (install gnuplot-nox)")
                }
            }
            for r in runs where r.divergence != nil {
                outputs.notes.append("\(r.function.name) × \(composer.legendLabel(r)) diverged at step \(r.divergence!.step): "
                                     + "\(r.divergence!.reason) (drawn up to the last finite point, marked ✗)")
            }
            let sidecar = FigureSidecar(preset: preset, composer: composer,
                                        command: command ?? "zolab plot --preset \(preset.source ?? "plots/\(preset.id).json")",
                                        outputs: outputs)
            do {
                try AtomicFile.write(try sidecar.json(), to: URL(fileURLWithPath: outputs.sidecar))
            } catch let e as CoreError {
                throw PresetError.io(path: outputs.sidecar, reason: e.description)
            }
            return FigureReport(outputs: outputs, runs: runs, image: image, sidecar: sidecar)
        } catch let e as PresetError {
            throw e
        } catch let e as PlotError {
            throw PresetError.render(file: file, message: e.description)
        } catch let e as FunctionError {
            throw PresetError.render(file: file, message: e.description)
        } catch let e as OptimizerError {
            throw PresetError.render(file: file, message: e.description)
        } catch let e as ExperimentError {
            throw PresetError.render(file: file, message: e.description)
        } catch let e as ExactCoordinateDescent.Failure {
            throw PresetError.render(file: file, message: e.description)
        } catch let e as ObjectiveError {
            throw PresetError.render(file: file, message: "\(e)")
        }
    }
}
