// The quantile solver shared by the continuous distributions: a safeguarded Newton iteration
// (Numerical Recipes' rtsafe) on ln(tail(x)) − ln(target), with bisection (geometric where
// the bracket spans orders of magnitude) whenever Newton leaves the bracket or stops halving.
// Working on the logarithm makes Newton converge in the tails, where tail probabilities are
// exponentially (normal, χ²) or polynomially (t, F) small, as well as in the middle. The
// answer is as accurate as `tail` is: a relative error δ in tail(x) moves x by
// δ · tail(x)/density(x).

enum InversionDomain {
    /// x ∈ (0, ∞).
    case positive
    /// x ∈ (0, 1).
    case unit
}

/// Solves tail(x) = target, 0 < target < 1, where `tail` is a lower-tail CDF (`increasing`)
/// or a survival function, and `density` its density (|d tail/dx|).
func invertMonotone(
    target: Double, increasing: Bool, domain: InversionDomain, guess: Double,
    tail: (Double) -> Double, density: (Double) -> Double
) -> Double {
    let lnTarget = libmLog(target)
    // h(x) increases with x; h(root) = 0.
    func h(_ x: Double) -> (h: Double, tail: Double) {
        let t = tail(x)
        let v = libmLog(t) - lnTarget
        return (increasing ? v : -v, t)
    }
    func up(_ x: Double, _ factor: Double) -> Double {
        domain == .positive ? x * factor : 1 - (1 - x) / factor
    }
    func down(_ x: Double, _ factor: Double) -> Double { x / factor }
    func split(_ lo: Double, _ hi: Double) -> Double {
        if lo > 0 && hi > 4 * lo { return lo.squareRoot() * hi.squareRoot() }  // no overflow
        if domain == .unit && (1 - lo) > 4 * (1 - hi) && hi < 1 { return 1 - ((1 - lo) * (1 - hi)).squareRoot() }
        return lo + 0.5 * (hi - lo)
    }

    var x: Double
    switch domain {
    case .positive: x = (guess > 0 && guess.isFinite) ? guess : 1
    case .unit: x = (guess > 0 && guess < 1) ? guess : 0.5
    }
    var (hx, tx) = h(x)
    if hx == 0 { return x }

    // Bracket the root, with an accelerating step (factor 2, 4, 16, 256, …, capped).
    var lo = x, hLo = hx, hi = x, hHi = hx
    var factor = 2.0
    if hx < 0 {
        while true {
            let next = up(hi, factor)
            if !next.isFinite { return .infinity }  // the root lies beyond the largest Double
            if next == hi { return hi }             // unit domain: no Double left below 1
            lo = hi; hLo = hHi
            hi = next
            hHi = h(hi).h
            if hHi >= 0 || hHi.isNaN { break }
            factor = min(factor * factor, 1e16)
        }
    } else {
        while true {
            let next = down(lo, factor)
            if next == 0 || next == lo { return 0 }  // the root underflows
            hi = lo; hHi = hLo
            lo = next
            hLo = h(lo).h
            if hLo <= 0 || hLo.isNaN { break }
            factor = min(factor * factor, 1e16)
        }
    }
    if hLo == 0 { return lo }
    if hHi == 0 { return hi }

    // Start from the bracket end closer to the root.
    if abs(hLo) < abs(hHi) { x = lo; (hx, tx) = h(lo) } else { x = hi; (hx, tx) = h(hi) }
    var dx = hi - lo
    var dxOld = dx
    for _ in 0..<400 {
        let f = density(x)
        let newtonStep = hx * tx / f
        var next = x - newtonStep
        if !(next > lo && next < hi) || abs(2 * newtonStep) > abs(dxOld) || !newtonStep.isFinite {
            dxOld = dx
            next = split(lo, hi)
            dx = x - next
        } else {
            dxOld = dx
            dx = newtonStep
            if abs(newtonStep) <= 2 * Double.ulpOfOne * abs(x) { return next }
        }
        if next == lo || next == hi { return next }
        x = next
        (hx, tx) = h(x)
        if hx == 0 { return x }
        if hx < 0 { lo = x } else if hx > 0 { hi = x } else { return x }  // NaN: stop
        if hi - lo <= 2 * Double.ulpOfOne * max(abs(lo), abs(hi)) { return x }
    }
    return x
}
