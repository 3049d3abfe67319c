import Testing

@testable import BranchTreeSim

@Suite struct ScenarioChurnTests {
    @Test func churnOneIsTheScenarioItself() {
        let scenario = Scenario()
        #expect(scenario.scaledChurn(by: 1) == scenario)
    }

    @Test(arguments: [0.5, 2.0, 4.0])
    func lognormalSessionsShortenAndTheArrivalRateFollows(churn: Double) throws {
        let scenario = Scenario()
        let scaled = scenario.scaledChurn(by: churn)
        #expect(abs(scaled.sessions.median - scenario.sessions.median / churn) < 1e-9 * scenario.sessions.median)
        #expect(abs(scaled.sessions.mean - scenario.sessions.mean / churn) < 1e-9 * scenario.sessions.mean)
        guard case .lognormal(_, let sigma) = scaled.sessions else {
            Issue.record("the shape changed")
            return
        }
        #expect(sigma == 1.44)
        // Little's law: the audience stays, churn times as many arrivals.
        let base = try scenario.arrivalProcess()
        let busy = try scaled.arrivalProcess()
        #expect(abs(busy.rate(at: .zero) - churn * base.rate(at: .zero)) < 1e-9 * churn * base.rate(at: .zero))
        #expect(scaled.audience == scenario.audience)
    }

    @Test func exponentialAndParetoScaleTheirSeconds() {
        var scenario = Scenario()
        scenario.sessions = .exponential(mean: 600)
        #expect(scenario.scaledChurn(by: 2).sessions == .exponential(mean: 300))
        scenario.sessions = .pareto(shape: 1.5, scale: 60)
        #expect(scenario.scaledChurn(by: 3).sessions == .pareto(shape: 1.5, scale: 20))
    }

    @Test func explicitRatesAreMultiplied() {
        var scenario = Scenario()
        scenario.arrivalRate = 10
        scenario.rateChanges = [.init(at: 60, rate: 5)]
        scenario.restarts = [30]
        let scaled = scenario.scaledChurn(by: 2)
        #expect(scaled.arrivalRate == 20)
        #expect(scaled.rateChanges == [.init(at: 60, rate: 10)])
        #expect(scaled.restarts == [30])
        #expect(scaled.duration == scenario.duration)
    }
}
