import BranchTree

extension SimulationReport {
    /// The report as a chart for `--svg`; the same as
    /// ``chart(of:replicates:)`` with this report alone.
    ///
    ///     try OutputFile(path: "chart.svg").write(report.chart(of: scenario).render())
    ///
    /// - Complexity: O(points of the timeline + depths + restarts)
    package func chart(of scenario: Scenario) -> SVGChart {
        Self.chart(of: scenario, replicates: [self])
    }

    /// Runs of `scenario` as one chart: viewers and interrupted viewers over simulated
    /// time, each broadcaster restart marked (its downtime shaded), and viewers per depth
    /// at the end. The title gives the policy, the fan-out, the audience asked for (target
    /// viewers, or the arrival rate) and the peak of viewers present as sampled; the
    /// subtitle what shaped the curves: seed, duration, a cold or warm start, a flash
    /// crowd, rate changes, restarts.
    ///
    ///     let chart = SimulationReport.chart(of: scenario, replicates: reports)
    ///
    /// One report is drawn as it is. With more, `replicates[0]` being the run of the base
    /// seed: each series is the mean across the runs at each sample time with a band from
    /// their lowest to their highest value (on a common grid, see ``ReplicateSpread``),
    /// the peak is the range of the runs' peaks, the histogram is the mean per depth (a
    /// run without a depth counts 0 there), and the subtitle and panel title say so.
    ///
    /// - Precondition: `replicates` is not empty.
    /// - Complexity: O(*n* log *n*) for *n* timeline points in all, plus O(depths ·
    ///   replicates + restarts)
    package static func chart(of scenario: Scenario, replicates: [SimulationReport]) -> SVGChart {
        precondition(!replicates.isEmpty, "a chart needs at least one report")
        let viewers = replicates.map { $0.timeline.map { SVGChart.Point(x: $0.time, y: Double($0.viewers)) } }
        let interrupted = replicates.map { $0.timeline.map { SVGChart.Point(x: $0.time, y: Double($0.interrupted)) } }
        var labels = SVGChart.Labels()
        let series: [SVGChart.Series]
        let histogram: [SVGChart.Bucket]
        if replicates.count == 1 {
            series = [
                SVGChart.Series(name: "viewers", points: viewers[0]),
                SVGChart.Series(name: "interrupted viewers", points: interrupted[0]),
            ]
            histogram = replicates[0].depthHistogram.enumerated()
                .map { SVGChart.Bucket(label: String($0.offset), value: Double($0.element)) }
        } else {
            series = [("viewers", viewers), ("interrupted viewers", interrupted)].map { name, runs in
                let spread = ReplicateSpread.of(runs)
                return SVGChart.Series(
                    name: name + " (mean)", points: spread.map { SVGChart.Point(x: $0.x, y: $0.mean) },
                    band: spread.map { SVGChart.BandPoint(x: $0.x, low: $0.low, high: $0.high) })
            }
            let depths = replicates.map(\.depthHistogram.count).max() ?? 0
            histogram = (0..<depths).map { depth in
                let total = replicates.reduce(0) {
                    $0 + ($1.depthHistogram.indices.contains(depth) ? $1.depthHistogram[depth] : 0)
                }
                return SVGChart.Bucket(label: String(depth), value: Double(total) / Double(replicates.count))
            }
            labels.histogramTitle = "Viewers by depth (mean of \(replicates.count) replicates)"
        }
        let restarts = scenario.restarts.sorted().map { time in
            SVGChart.Marker(
                x: time, width: scenario.restartDowntime, label: "restart",
                note:
                    "broadcaster restart at \(NumberFormat.clock(time)), down \(NumberFormat.shortest(scenario.restartDowntime)) s"
            )
        }
        return SVGChart(
            title: chartTitle(of: scenario, peaks: replicates.compactMap { $0.timeline.map(\.viewers).max() }),
            subtitle: chartSubtitle(of: scenario, replicates: replicates.count),
            series: series, histogram: histogram, markers: restarts, labels: labels)
    }

    /// "skyway · fan-out 3 · target 2,000 viewers, peak 8,259": the audience asked for and
    /// the one there was (the range of `peaks` over replicates).
    private static func chartTitle(of scenario: Scenario, peaks: [Int]) -> String {
        let count = { (value: Int) in NumberFormat.decimal(value, exponent: 0) }
        var peak = ""
        if let low = peaks.min(), let high = peaks.max() {
            peak = ", peak " + (low == high ? count(low) : count(low) + "–" + count(high))
        }
        let audience =
            scenario.arrivalRate.map {
                "\(NumberFormat.shortest($0)) arrivals/s\(peak)\(peak.isEmpty ? "" : " viewers")"
            }
            ?? "target \(count(scenario.audience)) viewers\(peak)"
        return "\(scenario.policy) · fan-out \(scenario.fanout) · \(audience)"
    }

    /// What shaped the curves, in the order a reader needs it: the runs, the start, the
    /// arrivals as they really were, the restarts.
    private static func chartSubtitle(of scenario: Scenario, replicates: Int) -> String {
        let count = { (value: Int) in NumberFormat.decimal(value, exponent: 0) }
        var parts = [
            replicates == 1
                ? "seed \(scenario.seed)"
                : "\(replicates) replicates from seed \(scenario.seed): lines their mean, bands min–max",
            "\(NumberFormat.clock(scenario.duration)) simulated",
        ]
        if !scenario.warmStart {
            parts.append("cold start")
        } else if scenario.arrivalRate != nil && scenario.audience > 0 {
            parts.append("warm start with \(count(scenario.audience)) viewers")
        }
        if scenario.heavyTailedArrivals {
            // Pareto arrivals keep the base rate throughout: a crowd or rate changes would not apply.
            parts.append("Pareto inter-arrivals at a constant rate")
        } else {
            if let rush = scenario.flashCrowd {
                parts.append(
                    "flash crowd ×\(NumberFormat.shortest(rush.multiplier)) for \(NumberFormat.clock(rush.duration.secondsDouble))"
                )
            }
            let changes = scenario.rateChanges.filter { $0.at < scenario.duration }.sorted { $0.at < $1.at }
            if !changes.isEmpty {
                parts.append(
                    changes.enumerated().map { index, change in
                        "\(NumberFormat.shortest(change.rate))\(index == 0 ? " arrivals" : "")/s from \(NumberFormat.clock(change.at))"
                    }.joined(separator: ", "))
            }
        }
        if !scenario.restarts.isEmpty {
            let many = scenario.restarts.count > 1
            parts.append(
                "\(scenario.restarts.count) broadcaster restart\(many ? "s" : ""), down \(NumberFormat.shortest(scenario.restartDowntime)) s\(many ? " each" : "")"
            )
        }
        return parts.joined(separator: " · ")
    }
}
