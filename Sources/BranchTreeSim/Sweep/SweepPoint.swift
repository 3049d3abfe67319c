/// One point of a sweep: a grid cell, with the scenario its replicates run.
///
///     let points = grid.points(base: Scenario())
///     points[0].scenario.fanout      // the first fan-out of the grid
///
/// ``index`` is the point's place in grid order, which is the order rows are printed in.
package struct SweepPoint: Sendable, Hashable {
    /// The point's place in grid order, from 0.
    package var index: Int
    /// The churn multiplier (see ``Scenario/scaledChurn(by:)``).
    package var churn: Double
    /// What the point simulates: the base scenario with the point's fan-out, audience,
    /// policy and churn (and the base seed).
    package var scenario: Scenario

    package init(index: Int, churn: Double, scenario: Scenario) {
        self.index = index
        self.churn = churn
        self.scenario = scenario
    }
}

extension SweepPoint {
    /// `fan-out 3, audience 1000, skyway, churn 2`, for messages.
    package var summary: String {
        "fan-out \(scenario.fanout), audience \(scenario.audience), \(scenario.policy), churn "
            + NumberFormat.shortest(churn)
    }

    /// `report` with a first section, `sweep`, that places the row: the point's index and
    /// churn (the scenario section already names the fan-out, audience, policy, seed and
    /// replicates).
    ///
    /// - Complexity: O(1)
    package func labelled(_ report: SimulationReport) -> SimulationReport {
        var labelled = report
        labelled.sweepPosition = .init(point: index, churn: .decimal(churn, places: Self.places(of: churn)))
        return labelled
    }

    /// The fewest decimal places (at most 6) that print `value` exactly: 2 → 0, 0.25 → 2.
    static func places(of value: Double) -> Int {
        var scale = 1.0
        for places in 0..<6 {
            if (value * scale).rounded() == value * scale { return places }
            scale *= 10
        }
        return 6
    }
}
