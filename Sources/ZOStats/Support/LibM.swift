// The few libm functions ZOStats uses that the Swift standard library lacks. Only
// thread-safe ones: `lgamma` (which writes the global `signgam`) is not used; see
// `logGamma(_:)` instead.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

@inline(__always) func libmLog(_ x: Double) -> Double { log(x) }
@inline(__always) func libmExp(_ x: Double) -> Double { exp(x) }
@inline(__always) func libmLog1p(_ x: Double) -> Double { log1p(x) }
@inline(__always) func libmExpm1(_ x: Double) -> Double { expm1(x) }
@inline(__always) func libmErfc(_ x: Double) -> Double { erfc(x) }
@inline(__always) func libmErf(_ x: Double) -> Double { erf(x) }
@inline(__always) func libmPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
@inline(__always) func libmSin(_ x: Double) -> Double { sin(x) }
@inline(__always) func libmCos(_ x: Double) -> Double { cos(x) }
@inline(__always) func libmTan(_ x: Double) -> Double { tan(x) }
@inline(__always) func libmAtan(_ x: Double) -> Double { atan(x) }

/// ln √(2π).
let lnSqrt2Pi = 0.918938533204672741780329736406
/// ln(2π).
let ln2Pi = 1.837877066409345483560659472811
/// 1/√(2π).
let invSqrt2Pi = 0.398942280401432677939946059934
