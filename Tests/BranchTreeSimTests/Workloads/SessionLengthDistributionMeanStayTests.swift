import Testing

@testable import BranchTreeSim

@Suite struct SessionLengthDistributionMeanStayTests {
    /// ∫₀ᵗ P(S > s) ds by the trapezoid rule on a fine grid, from the CDF alone.
    private static func integrated(_ sessions: SessionLengthDistribution, upTo seconds: Double) -> Double {
        let steps = 200_000
        let width = seconds / Double(steps)
        var sum = 0.0
        for step in 0...steps {
            let survival = 1 - sessions.probability(shorterThan: Double(step) * width)
            sum += step == 0 || step == steps ? survival / 2 : survival
        }
        return sum * width
    }

    @Test(arguments: [
        SessionLengthDistribution.default, .lognormal(mu: 2, sigma: 0.5), .exponential(mean: 506),
        .pareto(shape: 1.5, scale: 60), .pareto(shape: 1, scale: 60), .pareto(shape: 0.5, scale: 60),
    ])
    func agreesWithTheIntegralOfTheSurvivalFunction(sessions: SessionLengthDistribution) {
        for seconds in [30.0, 60, 300, 3_600] {
            let stay = sessions.meanStay(upTo: seconds)
            #expect(
                abs(stay - Self.integrated(sessions, upTo: seconds)) < 1e-3 * seconds, "\(sessions) up to \(seconds) s")
            #expect(stay <= seconds && stay <= sessions.mean)
        }
    }

    @Test func endsAndLimits() {
        let sessions = SessionLengthDistribution.default
        #expect(sessions.meanStay(upTo: 0) == 0)
        #expect(sessions.meanStay(upTo: -5) == 0)
        #expect(sessions.meanStay(upTo: .infinity) == sessions.mean)
        #expect(abs(sessions.meanStay(upTo: 1e9) - sessions.mean) < 1e-6)
        #expect(abs(SessionLengthDistribution.exponential(mean: 100).meanStay(upTo: 100) - 63.212) < 0.001)
        // A Pareto tail without a mean still has a finite stay within any time.
        #expect(SessionLengthDistribution.pareto(shape: 0.5, scale: 60).meanStay(upTo: 3_600).isFinite)
        #expect(SessionLengthDistribution.pareto(shape: 2, scale: 60).meanStay(upTo: 30) == 30)
    }
}
