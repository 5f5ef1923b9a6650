/// The curvature of a function at a point: Hessian diagonal, and for d ≤
/// ``CurvatureSummary/eigenvalueLimit`` the eigenvalues, inertia and condition number.
public struct CurvatureSummary: Hashable, Sendable {
    /// Eigenvalues are computed (Jacobi, O(d³)) only up to this dimension.
    public static let eigenvalueLimit = 64

    public enum Definiteness: String, Hashable, Sendable {
        case positiveDefinite = "positive definite"
        case positiveSemidefinite = "positive semidefinite (singular)"
        case indefinite
        case negativeSemidefinite = "negative semidefinite"
        case negativeDefinite = "negative definite"
    }

    public let point: [Double]
    /// diag ∇²f(point).
    public let diagonal: [Double]
    /// Eigenvalues of ∇²f(point), ascending (nil above ``eigenvalueLimit``).
    public let eigenvalues: [Double]?

    /// Computes the summary of `function` at `point`.
    public init(_ function: any TestFunction, at point: [Double]) {
        self.point = point
        self.diagonal = function.hessianDiagonal(point)
        self.eigenvalues = function.dimension <= Self.eigenvalueLimit
            ? DenseMatrix.symmetricEigenvalues(function.hessian(point)) : nil
    }

    /// Eigenvalues with |λ| ≤ 1e-10·max|λ| count as zero.
    private var zeroTolerance: Double { 1e-10 * max((eigenvalues ?? []).map(abs).max() ?? 0, 1e-300) }

    /// The Hessian's definiteness (nil without eigenvalues).
    public var definiteness: Definiteness? {
        guard let ev = eigenvalues, !ev.isEmpty else { return nil }
        let tol = zeroTolerance
        let negative = ev.filter { $0 < -tol }.count, positive = ev.filter { $0 > tol }.count
        switch (negative, positive) {
        case (0, ev.count): return .positiveDefinite
        case (0, _): return .positiveSemidefinite
        case (ev.count, 0): return .negativeDefinite
        case (_, 0): return .negativeSemidefinite
        default: return .indefinite
        }
    }

    /// λ_max/λ_min when the Hessian is positive definite.
    public var conditionNumber: Double? {
        guard definiteness == .positiveDefinite, let ev = eigenvalues else { return nil }
        return ev.last! / ev.first!
    }

    /// max/min of the Hessian diagonal when every diagonal entry is positive: the
    /// per-coordinate curvature ratio a diagonal preconditioner (HiZOO) sees.
    public var diagonalRatio: Double? {
        guard let lo = diagonal.min(), let hi = diagonal.max(), lo > 0 else { return nil }
        return hi / lo
    }
}
