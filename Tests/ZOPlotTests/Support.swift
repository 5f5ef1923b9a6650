import Foundation
@testable import ZOPlot

/// Writes `image` to `$ZOPLOT_SAMPLE_DIR/name.png` when that variable is set (for looking at
/// what the tests render); does nothing otherwise.
func saveSample(_ image: PlotImage, _ name: String) {
    guard let dir = ProcessInfo.processInfo.environment["ZOPLOT_SAMPLE_DIR"] else { return }
    try? image.writePNG(to: URL(fileURLWithPath: dir).appendingPathComponent(name + ".png"))
}

func saveSample(data: Data, _ name: String) {
    guard let dir = ProcessInfo.processInfo.environment["ZOPLOT_SAMPLE_DIR"] else { return }
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try? data.write(to: URL(fileURLWithPath: dir).appendingPathComponent(name))
}
