// Double-double arithmetic (hi + lo, ~106-bit significand; Dekker 1971, Knuth's TwoSum,
// FMA-based TwoProduct): only what the incomplete-beta continued fraction needs. Used where a
// Float64 recurrence loses log₁₀(a) digits to cancellation (see `IncompleteBeta.swift`).

struct DoubleDouble {
    var hi: Double
    var lo: Double

    @inline(__always) init(_ hi: Double, _ lo: Double = 0) {
        self.hi = hi
        self.lo = lo
    }

    /// 1 − y exactly (for |y| ≤ 1 the rounding error of 1 − y is captured in `lo`).
    @inline(__always) static func oneMinus(_ y: Double) -> DoubleDouble {
        twoSum(1, -y)
    }

    @inline(__always) static func twoSum(_ a: Double, _ b: Double) -> DoubleDouble {
        let s = a + b
        let bb = s - a
        let e = (a - (s - bb)) + (b - bb)
        return DoubleDouble(s, e)
    }

    @inline(__always) static func quickTwoSum(_ a: Double, _ b: Double) -> DoubleDouble {
        let s = a + b
        return DoubleDouble(s, b - (s - a))
    }

    @inline(__always) static func + (x: DoubleDouble, y: DoubleDouble) -> DoubleDouble {
        let s = twoSum(x.hi, y.hi)
        let t = twoSum(x.lo, y.lo)
        var r = quickTwoSum(s.hi, s.lo + t.hi)
        r = quickTwoSum(r.hi, r.lo + t.lo)
        return r
    }

    @inline(__always) static prefix func - (x: DoubleDouble) -> DoubleDouble {
        DoubleDouble(-x.hi, -x.lo)
    }

    @inline(__always) static func - (x: DoubleDouble, y: DoubleDouble) -> DoubleDouble { x + (-y) }

    @inline(__always) static func * (x: DoubleDouble, y: DoubleDouble) -> DoubleDouble {
        let p = x.hi * y.hi
        let e = (-p).addingProduct(x.hi, y.hi)  // exact error of x.hi·y.hi (FMA)
        return quickTwoSum(p, e + (x.hi * y.lo + x.lo * y.hi))
    }

    @inline(__always) static func / (x: DoubleDouble, y: DoubleDouble) -> DoubleDouble {
        let q1 = x.hi / y.hi
        let r = x - y * DoubleDouble(q1)
        let q2 = r.hi / y.hi
        let r2 = r - y * DoubleDouble(q2)
        let q3 = r2.hi / y.hi
        let q = quickTwoSum(q1, q2)
        return q + DoubleDouble(q3)
    }

    @inline(__always) var value: Double { hi + lo }
}
