#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif canImport(ucrt)
import ucrt
#endif

extension SessionLengthDistribution {
    /// The mean of min(S, `seconds`): how long a viewer stays, on average, within the
    /// first `seconds` after it arrives.
    ///
    ///     SessionLengthDistribution.exponential(mean: 100).meanStay(upTo: 100)   // ≈ 63.2
    ///
    /// With Poisson arrivals at rate λ for `seconds`, λ × this is how many of those
    /// viewers are present at the end (the M/G/∞ queue); it is finite even for a Pareto
    /// tail whose mean is not, and approaches ``mean`` as `seconds` grows.
    ///
    /// - Complexity: O(1)
    package func meanStay(upTo seconds: Double) -> Double {
        guard seconds > 0 else { return 0 }
        guard seconds.isFinite else { return mean }
        switch self {
        case .lognormal(let mu, let sigma):
            // E[S; S < t] + t·P(S ≥ t), the first term lognormal's partial expectation.
            func phi(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }
            let z = (log(seconds) - mu) / sigma
            return exp(mu + sigma * sigma / 2) * phi(z - sigma) + seconds * phi(-z)
        case .exponential(let mean):
            return mean * -expm1(-seconds / mean)
        case .pareto(let shape, let scale):
            guard seconds > scale else { return seconds }
            // scale + ∫ from scale to t of (scale / s)^shape ds
            if shape == 1 { return scale * (1 + log(seconds / scale)) }
            return scale * (1 + (1 - pow(scale / seconds, shape - 1)) / (shape - 1))
        }
    }
}
