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

/// How long viewers stay, in seconds.
///
///     let sessions = SessionLengthDistribution.default      // lognormal, μ 5.19, σ 1.44
///     var random = Xoshiro256StarStar(seed: 7)
///     let stay = sessions.sample(using: &random)            // e.g. 212.4 (seconds)
///     sessions.median                                       // ≈ 179.5
///     sessions.mean                                         // ≈ 506.1
///
/// The default is the measured lognormal of live-streaming sessions; ``exponential(mean:)``
/// with the same mean is the memoryless control (a viewer's age then says nothing about how
/// long it stays), and ``pareto(shape:scale:)`` a heavier tail for sensitivity runs.
///
/// Cases carry unchecked parameters; ``validate()`` says whether they describe a
/// distribution, and decoding validates. Sampling an invalid distribution is a
/// programming error.
package enum SessionLengthDistribution: Sendable, Hashable {
    /// ln S ~ Normal(`mu`, `sigma`²), with S in seconds: median e^μ, mean e^(μ + σ²/2).
    /// `mu` may be any finite number; `sigma` must be positive.
    case lognormal(mu: Double, sigma: Double)
    /// Exponential with `mean` seconds.
    case exponential(mean: Double)
    /// Pareto type I: P(S > s) = (`scale` / s)^`shape` for s ≥ `scale` seconds.
    case pareto(shape: Double, scale: Double)

    /// Lognormal with μ = 5.19, σ = 1.44: median ≈ 179 s, mean ≈ 506 s, 22 % of sessions
    /// under a minute, 1.9 % over an hour.
    // Source: Veloso et al., IMW 2002 (values as used by the OSSIM simulator).
    package static let `default` = SessionLengthDistribution.lognormal(mu: 5.19, sigma: 1.44)

    /// Throws unless the parameters describe a distribution: `sigma`, `mean`, `shape` and
    /// `scale` positive and finite, `mu` finite.
    ///
    /// - Throws: ``WorkloadError`` naming the parameter.
    /// - Complexity: O(1)
    package func validate() throws(WorkloadError) {
        switch self {
        case .lognormal(let mu, let sigma):
            try WorkloadError.requireFinite(mu, "session length lognormal mu")
            try WorkloadError.requirePositive(sigma, "session length lognormal sigma")
        case .exponential(let mean):
            try WorkloadError.requirePositive(mean, "session length exponential mean")
        case .pareto(let shape, let scale):
            try WorkloadError.requirePositive(shape, "session length Pareto shape")
            try WorkloadError.requirePositive(scale, "session length Pareto scale")
        }
    }

    /// One session length in seconds, drawn from `random`: always positive (finite
    /// unless the parameters are extreme).
    ///
    /// Exact transformations of uniform draws: Box–Muller for the lognormal (two draws),
    /// inversion for the others (one draw).
    ///
    /// - Precondition: ``validate()`` does not throw (checked with the `InternalChecks` trait).
    /// - Complexity: O(1)
    package func sample(using random: inout Xoshiro256StarStar) -> Double {
        #if BRANCHTREE_INTERNAL_CHECKS
        do { try validate() } catch { preconditionFailure("SessionLengthDistribution: \(error)") }
        #endif
        switch self {
        case .lognormal(let mu, let sigma):
            return exp(mu + sigma * random.nextStandardNormal())
        case .exponential(let mean):
            return mean * random.nextStandardExponential()
        case .pareto(let shape, let scale):
            return random.nextPareto(shape: shape, scale: scale)
        }
    }

    /// The mean session length in seconds; `Double.infinity` for a Pareto tail with
    /// `shape` ≤ 1, whose mean does not exist.
    ///
    /// - Complexity: O(1)
    package var mean: Double {
        switch self {
        case .lognormal(let mu, let sigma): exp(mu + sigma * sigma / 2)
        case .exponential(let mean): mean
        case .pareto(let shape, let scale): shape > 1 ? shape * scale / (shape - 1) : .infinity
        }
    }

    /// The median session length in seconds.
    ///
    /// - Complexity: O(1)
    package var median: Double {
        switch self {
        case .lognormal(let mu, _): exp(mu)
        case .exponential(let mean): mean * log(2)
        case .pareto(let shape, let scale): scale * pow(2, 1 / shape)
        }
    }

    /// The probability that a session lasts less than `seconds`.
    ///
    ///     SessionLengthDistribution.default.probability(shorterThan: 60)   // ≈ 0.223
    ///
    /// - Complexity: O(1)
    package func probability(shorterThan seconds: Double) -> Double {
        switch self {
        case .lognormal(let mu, let sigma):
            guard seconds > 0 else { return 0 }
            // Φ((ln s − μ) / σ), through erfc for accuracy in both tails.
            return 0.5 * erfc(-(log(seconds) - mu) / (sigma * 2.0.squareRoot()))
        case .exponential(let mean):
            guard seconds > 0 else { return 0 }
            return -expm1(-seconds / mean)
        case .pareto(let shape, let scale):
            guard seconds > scale else { return 0 }
            return 1 - pow(scale / seconds, shape)
        }
    }
}

// MARK: - Codable

extension SessionLengthDistribution: Codable {
    /// The coded form: `{"lognormal":{"mu":5.19,"sigma":1.44}}`, `{"exponential":{"mean":506}}`
    /// or `{"pareto":{"shape":1.5,"scale":60}}` (seconds), as Swift synthesises for the enum.
    private enum Coded: Codable {
        case lognormal(mu: Double, sigma: Double)
        case exponential(mean: Double)
        case pareto(shape: Double, scale: Double)
    }

    /// Decodes and validates.
    ///
    /// - Throws: `DecodingError.dataCorrupted` with the ``WorkloadError`` as its underlying
    ///   error when the parameters do not describe a distribution.
    package init(from decoder: any Decoder) throws {
        switch try Coded(from: decoder) {
        case .lognormal(let mu, let sigma): self = .lognormal(mu: mu, sigma: sigma)
        case .exponential(let mean): self = .exponential(mean: mean)
        case .pareto(let shape, let scale): self = .pareto(shape: shape, scale: scale)
        }
        do {
            try validate()
        } catch {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath, debugDescription: error.description, underlyingError: error))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        let coded: Coded =
            switch self {
            case .lognormal(let mu, let sigma): .lognormal(mu: mu, sigma: sigma)
            case .exponential(let mean): .exponential(mean: mean)
            case .pareto(let shape, let scale): .pareto(shape: shape, scale: scale)
            }
        try coded.encode(to: encoder)
    }
}
