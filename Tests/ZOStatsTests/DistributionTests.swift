import Testing
import ZOStats

/// Student t, χ², F and Beta. References: 60-digit mpmath evaluations of the incomplete
/// beta/gamma functions (see `SpecialFunctionTests`), and 200-step bisection on them for the
/// quantiles. SciPy 1.17.1's `ppf`/`isf` agree to ~1e-15 except where noted.
@Suite("Continuous distributions")
struct DistributionTests {
    @Test func studentTCDFMatchesReference() throws {
        let cases: [(nu: Double, t: Double, cdf: Double, sf: Double)] = [
            (1.0, -1000000.0, 3.1830988618368455e-07, 0.9999996816901138),
            (1.0, 0.5, 0.6475836176504333, 0.35241638234956674),
            (2.5, -3.0, 0.03628804777451592, 0.9637119522254841),
            (7.0, 2.3646242510102993, 0.9749999999785797, 0.02500000002142033),
            (30.0, -4.0, 0.00019092281804187843, 0.9998090771819581),
            (1000.0, 5.0, 0.9999996616371818, 3.3836281823243153e-07),
            (1000000.0, -2.0, 0.022750266925659603, 0.9772497330743404),
            (10000000000.0, 3.0, 0.998650101965046, 0.0013498980349539809),
        ]
        for c in cases {
            let d = try StudentT(degreesOfFreedom: c.nu)
            #expect(relativeError(d.cdf(c.t), c.cdf) <= 1e-13, "t(\(c.nu)) cdf(\(c.t)) = \(d.cdf(c.t))")
            #expect(relativeError(d.survival(c.t), c.sf) <= 1e-13, "t(\(c.nu)) sf(\(c.t)) = \(d.survival(c.t))")
        }
        // ν = ∞ is the normal.
        #expect(try StudentT(degreesOfFreedom: .infinity).cdf(-3) == StandardNormal.cdf(-3))
    }

    @Test func studentTQuantilesMatchReference() throws {
        let cases: [(nu: Double, q: Double, t: Double)] = [
            (1.0, 0.025, 12.706204736174705), (2.0, 0.05, 2.9199855803537256),
            (7.0, 0.025, 2.3646242515927853),  // the textbook t_{7, 0.975}; scipy t.ppf: 2.364624251592784
            (7.0, 1e-10, 53.83557948467373), (30.0, 0.005, 2.7499956535672254),
            (4071.0, 5e-06, 4.4227434755742445), (5636.0, 2.5e-06, 4.569213176069096),
            (1000000.0, 0.025, 1.959966356814107), (3.5, 0.2, 0.9567588339323109),
        ]
        for c in cases {
            let d = try StudentT(degreesOfFreedom: c.nu)
            #expect(relativeError(try d.upperQuantile(c.q), c.t) <= 1e-13, "t(\(c.nu)) upper quantile \(c.q)")
            #expect(relativeError(try d.quantile(c.q), -c.t) <= 1e-13, "t(\(c.nu)) quantile \(c.q)")
        }
    }

    @Test func studentTDensityIntegratesToTheCDF() throws {
        // Simpson's rule on f over [−1, 2] against F(2) − F(−1), for small and large ν.
        for nu in [1.0, 3.3, 40.0, 1e7] {
            let d = try StudentT(degreesOfFreedom: nu)
            let steps = 200, h = 3.0 / Double(steps)
            var s = d.density(-1) + d.density(2)
            for i in 1..<steps { s += (i % 2 == 1 ? 4 : 2) * d.density(-1 + Double(i) * h) }
            #expect(abs(s * h / 3 - (d.cdf(2) - d.cdf(-1))) <= 1e-9, "ν = \(nu)")
        }
    }

    @Test func chiSquaredMatchesReference() throws {
        let cdfCases: [(k: Double, x: Double, cdf: Double, sf: Double)] = [
            (1.0, 3.841458820694124, 0.95, 0.05000000000000006), (2.0, 0.1, 0.04877057549928599, 0.951229424500714),
            (5.0, 11.0705, 0.9500000445719563, 0.049999955428043655), (10.0, 2.0, 0.0036598468273437122, 0.9963401531726563),
            (100.0, 150.0, 0.9990960679576459, 0.0009039320423540091), (10000.0, 10000.0, 0.5018806340338173, 0.49811936596618267),
        ]
        for c in cdfCases {
            let d = try ChiSquared(degreesOfFreedom: c.k)
            #expect(relativeError(d.cdf(c.x), c.cdf) <= 1e-13, "χ²(\(c.k)) cdf(\(c.x))")
            #expect(relativeError(d.survival(c.x), c.sf) <= 1e-13, "χ²(\(c.k)) sf(\(c.x))")
        }
        let quantileCases: [(k: Double, p: Double, lower: Double, upper: Double)] = [
            (1.0, 0.95, 3.8414588206941245, 0.00393214000001953), (3.0, 0.01, 0.11483180189911704, 11.344866730144371),
            (10.0, 0.5, 9.341817765591967, 9.341817765591967), (50.0, 1e-08, 12.335462646737698, 127.70092200151682),
            (200.0, 0.999, 267.5405278227572, 143.8427949900008),
        ]
        for c in quantileCases {
            let d = try ChiSquared(degreesOfFreedom: c.k)
            #expect(relativeError(try d.quantile(c.p), c.lower) <= 1e-13, "χ²(\(c.k)) quantile \(c.p)")
            #expect(relativeError(try d.upperQuantile(c.p), c.upper) <= 1e-13, "χ²(\(c.k)) upper quantile \(c.p)")
        }
    }

    @Test func fisherFMatchesReference() throws {
        let cdfCases: [(m: Double, n: Double, x: Double, cdf: Double, sf: Double)] = [
            (1.0, 1.0, 1.0, 0.5, 0.5), (2.0, 10.0, 4.1, 0.9499224515189162, 0.05007754848108386),
            (5.0, 20.0, 0.5, 0.2273956142094951, 0.7726043857905049),
            (10.0, 4000.0, 3.0, 0.9991164752655669, 0.0008835247344331471),
            (100.0, 5000.0, 1.3, 0.9751058210966432, 0.02489417890335681),
        ]
        for c in cdfCases {
            let d = try FisherF(numeratorDegreesOfFreedom: c.m, denominatorDegreesOfFreedom: c.n)
            #expect(relativeError(d.cdf(c.x), c.cdf) <= 1e-13, "F(\(c.m), \(c.n)) cdf(\(c.x))")
            #expect(relativeError(d.survival(c.x), c.sf) <= 1e-13, "F(\(c.m), \(c.n)) sf(\(c.x))")
        }
        let quantileCases: [(m: Double, n: Double, p: Double, lower: Double, upper: Double)] = [
            (1.0, 1.0, 0.9, 39.86345818906142, 0.025085630936916587),
            (3.0, 10.0, 0.05, 0.11382359425864678, 3.7082648190468444),
            (5.0, 100.0, 0.999, 4.481507729513616, 0.04146775677673958),
            // SciPy's f.isf gives 4.709133050667286 here, 1.5e-12 low.
            (10.0, 4000.0, 1e-06, 0.033780256469969565, 4.709133050674229),
        ]
        for c in quantileCases {
            let d = try FisherF(numeratorDegreesOfFreedom: c.m, denominatorDegreesOfFreedom: c.n)
            #expect(relativeError(try d.quantile(c.p), c.lower) <= 1e-13, "F(\(c.m), \(c.n)) quantile \(c.p)")
            #expect(relativeError(try d.upperQuantile(c.p), c.upper) <= 1e-13, "F(\(c.m), \(c.n)) upper quantile \(c.p)")
        }
    }

    @Test func betaQuantilesMatchReference() throws {
        let cases: [(a: Double, b: Double, p: Double, lower: Double, upper: Double)] = [
            (1.0, 20.0, 0.025, 0.0012650894979498038, 0.16843347098308534),
            (3.0, 18.0, 0.5, 0.13147368058426617, 0.13147368058426617),
            (20.0, 1.0, 0.975, 0.9987349105020502, 0.8315665290169147),
            (0.5, 0.5, 0.1, 0.024471741852423217, 0.9755282581475768),
            (50.0, 951.0, 0.025, 0.03733539760466177, 0.06426605314016966),
        ]
        for c in cases {
            let d = try BetaDistribution(alpha: c.a, beta: c.b)
            #expect(relativeError(try d.quantile(c.p), c.lower) <= 1e-13, "Beta(\(c.a), \(c.b)) quantile \(c.p)")
            #expect(relativeError(try d.upperQuantile(c.p), c.upper) <= 1e-13, "Beta(\(c.a), \(c.b)) upper quantile \(c.p)")
        }
    }

    @Test func quantilesInvertTheirCDFs() throws {
        let t = try StudentT(degreesOfFreedom: 5.5)
        let chi = try ChiSquared(degreesOfFreedom: 7)
        let f = try FisherF(numeratorDegreesOfFreedom: 4, denominatorDegreesOfFreedom: 33)
        for p in [1e-12, 1e-6, 0.01, 0.3, 0.5, 0.77, 0.999] {
            #expect(relativeError(t.cdf(try t.quantile(p)), p) <= 1e-12, "t p = \(p)")
            #expect(relativeError(chi.cdf(try chi.quantile(p)), p) <= 1e-12, "χ² p = \(p)")
            #expect(relativeError(f.cdf(try f.quantile(p)), p) <= 1e-12, "F p = \(p)")
            #expect(relativeError(f.survival(try f.upperQuantile(p)), p) <= 1e-12, "F q = \(p)")
        }
    }

    @Test func invalidParametersThrow() {
        #expect(throws: StatsError.invalidParameter(name: "degrees of freedom ν", value: 0, requirement: "must be > 0")) {
            try StudentT(degreesOfFreedom: 0)
        }
        #expect(throws: StatsError.self) { try StudentT(degreesOfFreedom: .nan) }
        #expect(throws: StatsError.self) { try ChiSquared(degreesOfFreedom: -2) }
        #expect(throws: StatsError.self) { try ChiSquared(degreesOfFreedom: .infinity) }
        #expect(throws: StatsError.self) { try FisherF(numeratorDegreesOfFreedom: 1, denominatorDegreesOfFreedom: 0) }
        #expect(throws: StatsError.self) { try BetaDistribution(alpha: 1, beta: -1) }
        #expect(throws: StatsError.self) { try StudentT(degreesOfFreedom: 3).quantile(1.01) }
    }
}
