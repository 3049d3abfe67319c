import BranchTree
import Foundation
import Testing

@testable import BranchTreeSim

@Suite struct SessionLengthDistributionTests {
    static let sampleCount = 200_000

    private static func samples(_ distribution: SessionLengthDistribution, seed: UInt64 = 42) -> [Double] {
        var random = Xoshiro256StarStar(seed: seed)
        return (0..<sampleCount).map { _ in distribution.sample(using: &random) }
    }

    private static func fraction(_ samples: [Double], _ predicate: (Double) -> Bool) -> Double {
        Double(samples.count(where: predicate)) / Double(samples.count)
    }

    private static func mean(_ samples: [Double]) -> Double {
        samples.reduce(0, +) / Double(samples.count)
    }

    // MARK: Analytic values

    @Test func defaultIsTheMeasuredLognormal() {
        let sessions = SessionLengthDistribution.default
        #expect(sessions == .lognormal(mu: 5.19, sigma: 1.44))
        #expect(abs(sessions.median - 179.47) < 0.01)
        #expect(abs(sessions.mean - 506.13) < 0.01)
        #expect(abs(sessions.probability(shorterThan: 60) - 0.2234) < 0.0005)  // ≈ 22 %
        #expect(abs(1 - sessions.probability(shorterThan: 3_600) - 0.0187) < 0.0005)  // ≈ 1.9 %
        #expect(abs(sessions.probability(shorterThan: sessions.median) - 0.5) < 1e-12)
    }

    @Test func exponentialAndParetoMoments() {
        let exponential = SessionLengthDistribution.exponential(mean: 506)
        #expect(exponential.mean == 506)
        #expect(abs(exponential.median - 506 * log(2.0)) < 1e-9)
        #expect(abs(exponential.probability(shorterThan: exponential.median) - 0.5) < 1e-12)

        let pareto = SessionLengthDistribution.pareto(shape: 2.52, scale: 1.55)
        #expect(abs(pareto.mean - 2.52 * 1.55 / 1.52) < 1e-12)
        #expect(abs(pareto.median - 1.55 * pow(2, 1 / 2.52)) < 1e-12)
        #expect(pareto.probability(shorterThan: 1.55) == 0)
        #expect(abs(pareto.probability(shorterThan: pareto.median) - 0.5) < 1e-12)
    }

    @Test(arguments: [1.0, 0.8, 0.1])
    func paretoWithShapeAtMostOneHasNoMean(shape: Double) throws {
        let pareto = SessionLengthDistribution.pareto(shape: shape, scale: 60)
        try pareto.validate()
        #expect(pareto.mean == .infinity)
        #expect(pareto.median.isFinite)
    }

    // MARK: Sampling

    @Test func defaultSamplesMatchTheWorkload() {
        let sessions = SessionLengthDistribution.default
        let samples = Self.samples(sessions)
        #expect(samples.allSatisfy { $0 > 0 && $0.isFinite })
        // Standard errors at 200k: mean ≈ 3 s (0.6 %), fractions ≤ 0.0011.
        #expect(abs(Self.mean(samples) / 506.13 - 1) < 0.03)
        #expect(abs(Self.fraction(samples) { $0 < sessions.median } - 0.5) < 0.005)
        #expect(abs(Self.fraction(samples) { $0 < 60 } - 0.2234) < 0.005)
        #expect(abs(Self.fraction(samples) { $0 > 3_600 } - 0.0187) < 0.0015)
        // The cross-check of the source: 86 % of viewer-time is in sessions over 5 min.
        let longTime = samples.lazy.filter { $0 > 300 }.reduce(0, +)
        #expect(abs(longTime / samples.reduce(0, +) - 0.86) < 0.02)
    }

    @Test(arguments: [1.0, 2.0])
    func lognormalSensitivitySigmas(sigma: Double) {
        let sessions = SessionLengthDistribution.lognormal(mu: 5.19, sigma: sigma)
        let samples = Self.samples(sessions, seed: 7)
        #expect(abs(Self.fraction(samples) { $0 < sessions.median } - 0.5) < 0.005)
        #expect(abs(Self.fraction(samples) { $0 < 60 } - sessions.probability(shorterThan: 60)) < 0.005)
        #expect(abs(Self.mean(samples) / sessions.mean - 1) < (sigma > 1.5 ? 0.08 : 0.02))
    }

    @Test func exponentialSamples() {
        let sessions = SessionLengthDistribution.exponential(mean: 506)
        let samples = Self.samples(sessions, seed: 3)
        #expect(samples.allSatisfy { $0 >= 0 && $0.isFinite })
        #expect(abs(Self.mean(samples) / 506 - 1) < 0.01)  // standard error 0.22 %
        #expect(abs(Self.fraction(samples) { $0 < sessions.median } - 0.5) < 0.005)
    }

    @Test func paretoSamples() {
        let sessions = SessionLengthDistribution.pareto(shape: 2.52, scale: 1.55)
        let samples = Self.samples(sessions, seed: 5)
        #expect(samples.allSatisfy { $0 >= 1.55 })
        #expect(abs(Self.mean(samples) / sessions.mean - 1) < 0.02)
        #expect(abs(Self.fraction(samples) { $0 < sessions.median } - 0.5) < 0.005)
        #expect(abs(Self.fraction(samples) { $0 < 5 } - sessions.probability(shorterThan: 5)) < 0.005)
    }

    @Test func sameSeedSameSessions() {
        for distribution: SessionLengthDistribution in [
            .default, .exponential(mean: 100), .pareto(shape: 1.5, scale: 30),
        ] {
            var first = Xoshiro256StarStar(seed: 11)
            var second = Xoshiro256StarStar(seed: 11)
            var other = Xoshiro256StarStar(seed: 12)
            let a = (0..<100).map { _ in distribution.sample(using: &first) }
            #expect(a == (0..<100).map { _ in distribution.sample(using: &second) })
            #expect(a != (0..<100).map { _ in distribution.sample(using: &other) })
        }
    }

    @Test func firstDefaultSessionIsPinned() {
        // exp(5.19 + 1.44 · √(−2 ln(1 − u₁)) · cos(2π u₂)) for the first two draws of seed 0.
        var random = Xoshiro256StarStar(seed: 0)
        var reference = Xoshiro256StarStar(seed: 0)
        let u1 = reference.nextUnitDouble()
        let u2 = reference.nextUnitDouble()
        let expected = exp(5.19 + 1.44 * (-2 * log(1 - u1)).squareRoot() * cos(2 * Double.pi * u2))
        let session = SessionLengthDistribution.default.sample(using: &random)
        #expect(abs(session - expected) <= 1e-12 * expected)
        #expect(random == reference)  // exactly two draws
    }

    @Test func drawsPerSample() {
        let cases: [(SessionLengthDistribution, draws: Int)] = [
            (.default, 2), (.exponential(mean: 1), 1), (.pareto(shape: 2, scale: 1), 1),
        ]
        for (distribution, draws) in cases {
            var random = Xoshiro256StarStar(seed: 9)
            var reference = random
            _ = distribution.sample(using: &random)
            for _ in 0..<draws { _ = reference.next() }
            #expect(random == reference, "\(distribution)")
        }
    }

    // MARK: Validation and coding

    @Test func validationNamesTheParameter() {
        #expect(
            throws: WorkloadError(
                parameter: "session length lognormal sigma", problem: "must be positive and finite, got -1.0")
        ) {
            try SessionLengthDistribution.lognormal(mu: 5.19, sigma: -1).validate()
        }
        #expect(throws: WorkloadError(parameter: "session length lognormal mu", problem: "must be finite, got nan")) {
            try SessionLengthDistribution.lognormal(mu: .nan, sigma: 1).validate()
        }
        #expect(
            throws: WorkloadError(
                parameter: "session length exponential mean", problem: "must be positive and finite, got 0.0")
        ) {
            try SessionLengthDistribution.exponential(mean: 0).validate()
        }
        #expect(
            throws: WorkloadError(
                parameter: "session length Pareto scale", problem: "must be positive and finite, got inf")
        ) {
            try SessionLengthDistribution.pareto(shape: 2, scale: .infinity).validate()
        }
        let invalid: [SessionLengthDistribution] = [
            .lognormal(mu: 1, sigma: 0), .lognormal(mu: .infinity, sigma: 1), .exponential(mean: -3),
            .exponential(mean: .nan), .pareto(shape: 0, scale: 1), .pareto(shape: -2, scale: 1),
            .pareto(shape: 2, scale: 0),
        ]
        for distribution in invalid {
            #expect(throws: WorkloadError.self, "\(distribution)") { try distribution.validate() }
        }
        #expect(throws: Never.self) { try SessionLengthDistribution.lognormal(mu: -2, sigma: 0.5).validate() }
        #expect(
            WorkloadError(parameter: "x", problem: "must be finite, got nan").description == "x must be finite, got nan"
        )
    }

    @Test func codingRoundTripsAndValidates() throws {
        for distribution: SessionLengthDistribution in [
            .default, .exponential(mean: 506), .pareto(shape: 1.2, scale: 60),
        ] {
            let data = try JSONEncoder().encode(distribution)
            #expect(try JSONDecoder().decode(SessionLengthDistribution.self, from: data) == distribution)
        }
        let json = #"{"lognormal":{"mu":5.19,"sigma":1.44}}"#
        #expect(try JSONDecoder().decode(SessionLengthDistribution.self, from: Data(json.utf8)) == .default)
        let error = #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SessionLengthDistribution.self, from: Data(#"{"exponential":{"mean":-1}}"#.utf8))
        }
        guard case .dataCorrupted(let context) = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(context.underlyingError is WorkloadError)
        #expect(context.debugDescription == "session length exponential mean must be positive and finite, got -1.0")
    }
}
