import Foundation

extension Scenario {
    /// The same broadcast with `churn` times the turnover: every session `churn` times
    /// shorter and viewers arriving `churn` times as fast, so the concurrent audience stays
    /// the same while `churn` times as many viewers come and go. Churn 1 is the scenario
    /// itself.
    ///
    ///     var busy = Scenario().scaledChurn(by: 2)   // sessions: median ≈ 90 s instead of ≈ 180 s
    ///
    /// The session distribution keeps its shape (a lognormal's μ moves by −ln churn, an
    /// exponential's mean and a Pareto's scale are divided by churn); an explicit arrival
    /// rate and every rate change are multiplied by it (a rate derived from the audience
    /// follows the shorter sessions by itself). Flash crowds, restarts and the network are
    /// unchanged.
    ///
    /// - Precondition: `churn` is positive and finite.
    /// - Complexity: O(rate changes)
    package func scaledChurn(by churn: Double) -> Scenario {
        precondition(churn > 0 && churn.isFinite, "churn must be positive and finite")
        guard churn != 1 else { return self }
        var scaled = self
        switch sessions {
        case .lognormal(let mu, let sigma): scaled.sessions = .lognormal(mu: mu - log(churn), sigma: sigma)
        case .exponential(let mean): scaled.sessions = .exponential(mean: mean / churn)
        case .pareto(let shape, let scale): scaled.sessions = .pareto(shape: shape, scale: scale / churn)
        }
        scaled.arrivalRate = arrivalRate.map { $0 * churn }
        scaled.rateChanges = rateChanges.map { RateChange(at: $0.at, rate: $0.rate * churn) }
        return scaled
    }
}
