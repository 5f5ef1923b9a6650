import Testing
import ZOStats

/// Bad input gives a typed error with a message a user can act on — never a trap.
@Suite("Typed errors")
struct ErrorTests {
    @Test func testsRefuseBadSamples() throws {
        #expect(throws: StatsError.emptySample(what: "sample")) { try SignificanceTest.oneSampleT([Double]()) }
        #expect(throws: StatsError.tooFewSamples(what: "sample", needed: 2, got: 1)) { try SignificanceTest.oneSampleT([1.0]) }
        #expect(throws: StatsError.nonFiniteData(what: "sample", count: 1)) { try SignificanceTest.oneSampleT([1, 2, .infinity]) }
        #expect(throws: StatsError.zeroVariance(what: "sample")) { try SignificanceTest.oneSampleT([2, 2, 2]) }
        #expect(throws: StatsError.zeroVariance(what: "both samples")) { try SignificanceTest.welchT([1, 1], [3, 3]) }
        #expect(throws: StatsError.self) { try SignificanceTest.oneSampleZ([1, 2], standardDeviation: 0) }
        #expect(throws: StatsError.self) { try SignificanceTest.oneSampleT([1, 2], nullMean: .nan) }
        #expect(throws: StatsError.self) { try SignificanceTest.exactBinomial(successes: 5, trials: 4, probability: 0.5) }
        #expect(throws: StatsError.self) { try SignificanceTest.exactBinomial(successes: 1, trials: 4, probability: 0) }
        #expect(throws: StatsError.zeroVariance(what: "coordinate 1")) {
            try SignificanceTest.coordinateT([RunningMoments([1, 2]), RunningMoments([3, 3])])
        }
        #expect(throws: StatsError.dimensionMismatch(what: "null mean μ₀", expected: 2, got: 1)) {
            try SignificanceTest.coordinateT([RunningMoments([1, 2]), RunningMoments([3, 4])], nullMean: [0])
        }
    }

    @Test func messagesNameTheProblem() {
        let cases: [(StatsError, [String])] = [
            (.emptySample(what: "sample"), ["sample", "empty"]),
            (.tooFewSamples(what: "sample", needed: 4, got: 3), ["3", "4"]),
            (.probabilityOutOfRange(name: "α", value: 1.5), ["α", "1.5", "between 0 and 1"]),
            (.nonFiniteData(what: "sample", count: 2), ["2", "NaN"]),
            (.singularCovariance(dimension: 3, coordinate: 2, residual: 0, tolerance: 1e-10), ["coordinate 2", "singular", "1e-10"]),
            (.unknownCheck(name: "x", known: ["a", "b"]), ["'x'", "a, b"]),
            (.duplicateCheck(name: "a"), ["'a'"]),
            (.zeroVariance(what: "coordinate 1"), ["coordinate 1", "zero variance"]),
            (.dimensionMismatch(what: "observation", expected: 2, got: 3), ["3", "2"]),
            (.invalidParameter(name: "ν", value: -1, requirement: "must be > 0"), ["ν", "-1", "> 0"]),
        ]
        for (error, needles) in cases {
            for needle in needles {
                #expect(error.description.contains(needle), "'\(error)' should mention '\(needle)'")
            }
        }
    }
}
