import Foundation
import Testing
import ZOCore
@testable import ZOFunctions

/// The small dense routines: random orthogonal matrices, Cholesky solves, Jacobi eigenvalues,
/// and the seeded draws.
@Suite("Linear algebra and seeded draws")
struct LinearAlgebraTests {
    @Test(arguments: [1, 2, 7, 40])
    func randomOrthogonalIsOrthogonal(n: Int) {
        let q = DenseMatrix.randomOrthogonal(n, key: NoiseKey(seed: 3, stream: 1))
        var worst = 0.0
        for i in 0..<n {
            for j in 0..<n {
                var s = 0.0
                for k in 0..<n { s += q[k * n + i] * q[k * n + j] }
                worst = max(worst, abs(s - (i == j ? 1 : 0)))
            }
        }
        #expect(worst < 1e-13 * Double(max(n, 1)), "‖QᵀQ − I‖max = \(worst)")
    }

    @Test func rotatedQuadraticHasTheStatedSpectrumAndOffDiagonalCurvature() throws {
        let f = try RotatedQuadratic(dimension: 8, conditionNumber: 1000, seed: 5)
        let ev = DenseMatrix.symmetricEigenvalues(f.hessianMatrix)
        for (a, b) in zip(ev, f.eigenvalues) { #expect(abs(a - b) <= 1e-10 * 1000, "\(a) vs \(b)") }
        let offDiagonal = (0..<8).flatMap { i in (0..<8).filter { $0 != i }.map { f.hessianMatrix[i * 8 + $0] } }
        #expect(offDiagonal.map(abs).max()! > 1)
        let other = try RotatedQuadratic(dimension: 8, conditionNumber: 1000, seed: 6)
        #expect(other.hessianMatrix != f.hessianMatrix)
    }

    @Test func jacobiEigenvaluesOfKnownMatrices() {
        // tridiag(−1, 2, −1) of size n: λ_k = 2 − 2cos(kπ/(n+1)).
        let n = 9
        var t = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            t[i * n + i] = 2
            if i > 0 { t[i * n + i - 1] = -1; t[(i - 1) * n + i] = -1 }
        }
        let ev = DenseMatrix.symmetricEigenvalues(t)
        let exact = (1...n).map { 2 - 2 * cos(Double($0) * Double.pi / Double(n + 1)) }.sorted()
        for (a, b) in zip(ev, exact) { #expect(abs(a - b) < 1e-13) }
        let pair = DenseMatrix.symmetricEigenvalues([0, 1, 1, 0])
        #expect(abs(pair[0] + 1) < 1e-15 && abs(pair[1] - 1) < 1e-15)
    }

    @Test func choleskySolvesAndRefusesIndefiniteMatrices() throws {
        let s: [Double] = [4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2]
        let x = try #require(DenseMatrix.solveSymmetricPositiveDefinite(s, [1, 2, 3]))
        for i in 0..<3 {
            let r = (0..<3).map { s[i * 3 + $0] * x[$0] }.reduce(0, +) - [1.0, 2, 3][i]
            #expect(abs(r) < 1e-15)
        }
        #expect(DenseMatrix.solveSymmetricPositiveDefinite([1, 2, 2, 1], [1, 1]) == nil)
    }

    @Test func seededSamplesAreDistinctUniformAndReproducible() {
        var rng = SeededDraws.generator(seed: 1, purpose: .minibatch)
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0..<2000 {
            let s = SeededDraws.sample(3, of: 10, using: &rng)
            #expect(Set(s).count == 3 && s == s.sorted())
            for t in s { counts[t] += 1 }
        }
        // Each term is drawn with probability 3/10: expected 600 per term, sd ≈ 20.5.
        #expect(counts.allSatisfy { abs($0 - 600) < 100 }, "\(counts)")
        var a = SeededDraws.generator(seed: 8, purpose: .blockScales), b = a
        #expect(SeededDraws.permutation(12, using: &a) == SeededDraws.permutation(12, using: &b))
        #expect(SeededDraws.permutation(12, using: &a).sorted() == Array(0..<12))
        #expect(SeededDraws.sample(10, of: 10, using: &a) == Array(0..<10))
        #expect(SeededDraws.sample(0, of: 10, using: &a) == [])
    }
}
