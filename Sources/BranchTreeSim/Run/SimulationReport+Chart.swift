import BranchTree

extension SimulationReport {
    /// The report as a chart for `--svg`: viewers and interrupted viewers over simulated
    /// time, and viewers per depth at the end, titled with the scenario's policy, fan-out
    /// and audience, subtitled with its seed and duration (and a flash crowd and restarts,
    /// which explain the curves' shape).
    ///
    ///     try OutputFile(path: "chart.svg").write(report.chart(of: scenario).render())
    ///
    /// - Complexity: O(points of the timeline + depths)
    package func chart(of scenario: Scenario) -> SVGChart {
        let count = { (value: Int) in ChartNumberFormat.decimal(value, exponent: 0) }
        let audience = scenario.arrivalRate.map { "\(Scenario.numberText($0)) arrivals/s" } ?? "\(count(scenario.audience)) viewers"
        var subtitle = "seed \(scenario.seed) · \(ProgressLine.clock(scenario.duration)) simulated"
        if let rush = scenario.flashCrowd {
            subtitle += " · flash crowd ×\(Scenario.numberText(rush.multiplier)) for \(ProgressLine.clock(rush.duration.secondsDouble))"
        }
        if !scenario.restarts.isEmpty {
            subtitle += " · \(scenario.restarts.count) broadcaster restart\(scenario.restarts.count == 1 ? "" : "s")"
        }
        return SVGChart(
            title: "\(scenario.policy) · fan-out \(scenario.fanout) · \(audience)",
            subtitle: subtitle,
            series: [
                (name: "viewers", points: timeline.map { (x: $0.time, y: Double($0.viewers)) }),
                (name: "interrupted viewers", points: timeline.map { (x: $0.time, y: Double($0.interrupted)) }),
            ],
            histogram: depthHistogram.enumerated().map { (label: String($0.offset), value: Double($0.element)) })
    }
}
