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

/// Probe colours the pixel tests draw with (they occur nowhere else in a figure) and the
/// thresholds that recognise them on a decoded pixel.
let probeMagenta = PlotColor(hex: 0xFF00FF)
let probeCyan = PlotColor(hex: 0x00C8FF)
func isProbeMagenta(_ c: (r: UInt8, g: UInt8, b: UInt8, a: UInt8)) -> Bool { c.r > 200 && c.g < 90 && c.b > 200 }
func isProbeCyan(_ c: (r: UInt8, g: UInt8, b: UInt8, a: UInt8)) -> Bool { c.r < 60 && c.g > 160 && c.b > 220 }
