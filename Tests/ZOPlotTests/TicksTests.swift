import Foundation
import Testing
@testable import ZOPlot

@Suite("Nice-number ticks, log ticks, number labels")
struct TicksTests {
    @Test func niceNumbers() {
        #expect(Ticks.niceNumber(0.7, round: true) == 0.5)
        #expect(Ticks.niceNumber(1.4, round: true) == 1)
        #expect(Ticks.niceNumber(2.9, round: true) == 2)
        #expect(Ticks.niceNumber(6.9, round: true) == 5)
        #expect(Ticks.niceNumber(7.1, round: true) == 10)
        #expect(Ticks.niceNumber(3.2, round: false) == 5)
        #expect(Ticks.niceNumber(1.0, round: false) == 1)
        #expect(abs(Ticks.niceNumber(0.0032, round: false) - 0.005) < 1e-15)
        #expect(Ticks.niceNumber(1234, round: true) == 1000)
    }

    @Test func linearTicksOnCommonRanges() {
        #expect(Ticks.linear(from: -2, to: 2, targetCount: 5).map(\.value) == [-2, -1, 0, 1, 2])
        #expect(Ticks.linear(from: -2, to: 2, targetCount: 5).map(\.label) == ["−2", "−1", "0", "1", "2"])
        #expect(Ticks.linear(from: 0, to: 1, targetCount: 6).map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        // Ticks stay inside the range and are multiples of the step (no float drift in labels).
        let t = Ticks.linear(from: -4.5, to: 4.5, targetCount: 7)
        #expect(t.map(\.label) == ["−4", "−2", "0", "2", "4"])
        #expect(Ticks.linear(from: 0.1, to: 0.35, targetCount: 6).map(\.label) == ["0.1", "0.2", "0.3"])
        #expect(Ticks.linear(from: 0.1, to: 0.35, targetCount: 11).map(\.label) == ["0.10", "0.15", "0.20", "0.25", "0.30", "0.35"])
        #expect(Ticks.linear(from: 0, to: 500, targetCount: 6).map(\.value) == [0, 100, 200, 300, 400, 500])
        // −0 never appears.
        #expect(!Ticks.linear(from: -1, to: 1, targetCount: 3).map(\.label).contains("−0"))
    }

    @Test func linearTicksRejectDegenerateRanges() {
        #expect(Ticks.linear(from: 1, to: 1).isEmpty)
        #expect(Ticks.linear(from: 2, to: 1).isEmpty)
        #expect(Ticks.linear(from: .nan, to: 1).isEmpty)
        #expect(Ticks.linear(from: 0, to: .infinity).isEmpty)
        #expect(Ticks.linear(from: -Double.greatestFiniteMagnitude, to: Double.greatestFiniteMagnitude).isEmpty)
    }

    @Test func largeAndSmallMagnitudesUseScientificLabels() {
        let big = Ticks.linear(from: 0, to: 4e6, targetCount: 5)
        #expect(big.map(\.label) == ["0", "10⁶", "2×10⁶", "3×10⁶", "4×10⁶"])
        let small = Ticks.linear(from: 0, to: 4e-5, targetCount: 5)
        #expect(small.map(\.label) == ["0", "10⁻⁵", "2×10⁻⁵", "3×10⁻⁵", "4×10⁻⁵"])
    }

    @Test func looseRangeCoversDataAtStepMultiples() {
        let r = Ticks.looseRange(from: 0.13, to: 9.2, targetCount: 6)
        #expect(r == 0...10)
        #expect(Ticks.looseRange(from: 3, to: 3, targetCount: 6).contains(3))
    }

    @Test func logTicksAtDecades() {
        let t = Ticks.logarithmic(from: 1e-3, to: 1e3, targetCount: 7)
        let majors = t.filter(\.isMajor)
        #expect(majors.map(\.value) == [1e-3, 1e-2, 1e-1, 1, 1e1, 1e2, 1e3])
        #expect(majors.map(\.label) == ["10⁻³", "10⁻²", "10⁻¹", "10⁰", "10¹", "10²", "10³"])
        // Every decade labelled → minors at 2…9 × 10^k inside the range.
        #expect(t.filter { !$0.isMajor }.count == 6 * 8)
        // Many decades → every k-th labelled, aligned to multiples of k.
        let wide = Ticks.logarithmic(from: 1e-12, to: 1e4, targetCount: 5).filter(\.isMajor)
        #expect(wide.count <= 5 && wide.count >= 3)
        let exps = wide.map { Int(log10($0.value).rounded()) }
        let stride = exps[1] - exps[0]
        #expect(exps.allSatisfy { $0 % stride == 0 })
    }

    @Test func logTicksInsideOneDecade() {
        let t = Ticks.logarithmic(from: 1.5, to: 8, targetCount: 6)
        #expect(t.map(\.value) == [2, 5])
        let narrow = Ticks.logarithmic(from: 2.1, to: 2.9, targetCount: 5)
        #expect(narrow.count >= 2 && narrow.allSatisfy { $0.value >= 2.1 && $0.value <= 2.9 })
        #expect(Ticks.logarithmic(from: 0, to: 10).isEmpty)
        #expect(Ticks.logarithmic(from: -1, to: 10).isEmpty)
    }

    @Test func numberFormats() {
        #expect(NumberFormat.power(-3) == "10⁻³")
        #expect(NumberFormat.scientific(2.5e-4) == "2.5×10⁻⁴")
        #expect(NumberFormat.scientific(1e5) == "10⁵")
        #expect(NumberFormat.scientific(9.9996e5, significant: 3) == "10⁶")
        #expect(NumberFormat.compact(1e-3) == "0.001")
        #expect(NumberFormat.compact(0.00012) == "1.2×10⁻⁴")
        #expect(NumberFormat.compact(-12.5) == "−12.5")
        #expect(NumberFormat.compact(.nan) == "NaN")
        #expect(NumberFormat.fixed(-0.0001, decimals: 2) == "0.00")
        let s = PlotSettings(optimizer: "MeZO", learningRate: 1e-3, epsilon: 1e-3, steps: 500, seed: 7, extra: ["d = 2"])
        #expect(s.text == "MeZO · η = 0.001 · ε = 0.001 · 500 steps · seed 7 · d = 2")
    }
}
