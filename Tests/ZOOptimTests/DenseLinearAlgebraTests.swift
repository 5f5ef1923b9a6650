import Testing
import ZOCore
@testable import ZOOptim

@Suite("Dense linear algebra: QR and its twin, rank, Cholesky, LU; Newton's indefinite handling")
struct DenseLinearAlgebraTests {
    static func gaussian(_ count: Int, seed: UInt64) -> [Double] {
        var rng = PhiloxRandom(seed: seed)
        return (0..<count).map { _ in rng.nextGaussian() }
    }

    static func multiply(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    BLASReference.gemm(m: m, n: n, k: k, a: a.baseAddress!, b: b.baseAddress!, c: c.baseAddress!)
                }
            }
        }
        return c
    }

    @Test(arguments: [(5, 5), (12, 3), (40, 8), (7, 1)])
    func householderQRMatchesGramSchmidtAndReconstructs(_ shape: (Int, Int)) throws {
        let (m, n) = shape
        let a = Self.gaussian(m * n, seed: UInt64(m * 100 + n))
        let (q, r) = DenseLinearAlgebra.householderQR(a, rows: m, cols: n)
        let (q2, r2) = DenseLinearAlgebra.gramSchmidtQR(a, rows: m, cols: n)
        for i in q.indices { #expect(abs(q[i] - q2[i]) < 1e-10) }
        for i in r.indices { #expect(abs(r[i] - r2[i]) < 1e-10) }
        #expect(SubZeroTests.orthonormalityError(q, rows: m, cols: n) < 1e-13)
        let qr = Self.multiply(q, r, m: m, k: n, n: n)
        for i in a.indices { #expect(abs(qr[i] - a[i]) < 1e-12) }
        for k in 0..<n {
            #expect(r[k * n + k] >= 0)
            for j in 0..<k { #expect(r[k * n + j] == 0) }
        }
    }

    @Test func householderStaysOrthonormalOnIllConditionedInput() throws {
        // Columns nearly parallel: classical Gram–Schmidt would lose orthogonality here.
        let m = 20, n = 4
        var a = Self.gaussian(m, seed: 3).flatMap { x in [Double](repeating: x, count: n) }
        let noise = Self.gaussian(m * n, seed: 4)
        for i in a.indices { a[i] += 1e-9 * noise[i] }
        let q = DenseLinearAlgebra.householderQR(a, rows: m, cols: n).q
        #expect(SubZeroTests.orthonormalityError(q, rows: m, cols: n) < 1e-12)
    }

    @Test func numericalRankOfLowRankProducts() throws {
        for (m, n, k) in [(10, 8, 1), (10, 8, 3), (6, 9, 6), (5, 5, 5)] {
            let a = Self.multiply(Self.gaussian(m * k, seed: 1), Self.gaussian(k * n, seed: 2), m: m, k: k, n: n)
            #expect(DenseLinearAlgebra.numericalRank(a, rows: m, cols: n) == k, "\(m)×\(n) rank \(k)")
        }
        #expect(DenseLinearAlgebra.numericalRank([Double](repeating: 0, count: 12), rows: 3, cols: 4) == 0)
    }

    @Test func choleskyAndLUSolveTheirSystems() throws {
        let n = 6
        let b = Self.gaussian(n * n, seed: 9)
        var spd = Self.multiply(b, (0..<(n * n)).map { b[($0 % n) * n + $0 / n] }, m: n, k: n, n: n)   // B Bᵀ
        for i in 0..<n { spd[i * n + i] += 0.1 }
        let rhs = Self.gaussian(n, seed: 10)
        var l = spd
        #expect(DenseLinearAlgebra.cholesky(&l, n: n))
        let x = DenseLinearAlgebra.choleskySolve(l, n: n, rhs)
        let ax = Self.multiply(spd, x, m: n, k: n, n: 1)
        for i in 0..<n { #expect(abs(ax[i] - rhs[i]) < 1e-10) }

        var indefinite = spd
        indefinite[0] = -50
        var copy = indefinite
        #expect(!DenseLinearAlgebra.cholesky(&copy, n: n))
        let y = try #require(DenseLinearAlgebra.luSolve(indefinite, n: n, rhs))
        let ay = Self.multiply(indefinite, y, m: n, k: n, n: 1)
        for i in 0..<n { #expect(abs(ay[i] - rhs[i]) < 1e-10) }
        #expect(DenseLinearAlgebra.luSolve([1, 2, 2, 4], n: 2, [1, 1]) == nil)
    }

    /// f = ½ Σ λᵢ θᵢ² with λ = (2, −1, 3): a saddle at 0. "damp" takes a descent step, "lu" jumps
    /// to the saddle (pure Newton), "fail" refuses.
    @Test func newtonHandlesAnIndefiniteHessianAsConfigured() throws {
        func make(_ indefinite: String) -> (QuadraticObjective<Double>, any Optimizer<Double>) {
            let f = QuadraticObjective<Double>(curvature: [2, -1, 3], start: [1, 0.5, -1])
            let opt = try! OptimizerRegistry.make("newton", options: ["indefinite": indefinite], parameters: f.parameters)
            return (f, opt)
        }
        let (f1, damp) = make("damp")
        let before = try f1.loss()
        let report = try damp.step(f1, context: StepContext(step: 0, runSeed: 1))
        #expect(try f1.loss() < before)
        #expect(report.diagnostics["damping"]! > 1)

        let (f2, lu) = make("lu")
        _ = try lu.step(f2, context: StepContext(step: 0, runSeed: 1))
        for x in f2.x { #expect(abs(x) < 1e-12) }

        let (f3, fail) = make("fail")
        #expect(throws: OptimizerError.self) { try fail.step(f3, context: StepContext(step: 0, runSeed: 1)) }
        #expect(f3.x == [1, 0.5, -1])
    }

    @Test func diagonalNewtonUsesTheMagnitudeAndTheFloor() throws {
        let f = QuadraticObjective<Double>(curvature: [2, -1, 0], start: [1, 0.5, 1])
        let opt = try OptimizerRegistry.make("diag-newton", options: ["floor": "0.5"], parameters: f.parameters)
        let report = try opt.step(f, context: StepContext(step: 0, runSeed: 1))
        // θ₀ − g/|h|: 1 − 2/2 = 0; 0.5 − (−0.5)/1 = 1 (moves away from the maximum); 1 − 0/0.5 = 1.
        #expect(f.x == [0, 1, 1])
        #expect(report.diagnostics["flooredCoordinates"] == 1)
    }
}
