import BranchTree

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif canImport(ucrt)
import ucrt
#endif

// Continuous random variates by exact transformations of uniform draws, implemented here
// (never the standard library's random) so that a seed means the same workload on every
// Swift version. Each variate consumes a fixed number of draws, so runs that differ in one
// parameter still line up draw for draw.
//
// The transformations call the C library's `log`, `exp`, `pow` and `cos`: same seed, same
// platform ⇒ same results, bit for bit; across C libraries the last bit may differ.

extension Xoshiro256StarStar {
    /// A uniform `Double` in `(0, 1]`: never zero, so its logarithm is finite. One draw.
    @inline(__always)
    mutating func nextOpenUnitDouble() -> Double {
        1 - nextUnitDouble()
    }

    /// An exponential variate with mean 1 (inversion: −ln U). One draw.
    ///
    /// - Complexity: O(1)
    @inline(__always)
    mutating func nextStandardExponential() -> Double {
        -log(nextOpenUnitDouble())
    }

    /// A standard normal variate (Box–Muller: √(−2 ln U₁) · cos 2πU₂, exact). Two draws;
    /// the sine half of the pair is not kept, so that a draw needs no state.
    ///
    /// - Complexity: O(1)
    @inline(__always)
    mutating func nextStandardNormal() -> Double {
        let radius = (-2 * log(nextOpenUnitDouble())).squareRoot()
        return radius * cos(2 * Double.pi * nextUnitDouble())
    }

    /// A Pareto (type I) variate, `scale` · U^(−1/`shape`) ≥ `scale` (inversion). One draw.
    ///
    /// - Complexity: O(1)
    @inline(__always)
    mutating func nextPareto(shape: Double, scale: Double) -> Double {
        scale * pow(nextOpenUnitDouble(), -1 / shape)
    }
}
