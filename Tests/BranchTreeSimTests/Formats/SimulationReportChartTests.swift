import BranchTree
import Testing

@testable import BranchTreeSim

@Suite struct SimulationReportChartTests {
    /// A quick run: 50 viewers for a minute.
    static func run(seed: UInt64) throws -> SimulationReport {
        var scenario = Scenario()
        scenario.seed = seed
        scenario.audience = 50
        scenario.duration = 60
        var simulation = try Simulation(scenario: scenario)
        return simulation.run()
    }

    /// A run's report with a timeline of viewers ramping to `peak` and back over 900 s,
    /// for charts of scenarios too big to run in a test (the chart reads only the timeline
    /// and the histogram).
    static func report(peak: Int) throws -> SimulationReport {
        var report = try run(seed: 1)
        report.timeline = (0...360).map { (step: Int) -> (time: Double, viewers: Int, interrupted: Int) in
            let viewers: Int = peak * min(step, 360 - step) / 180
            return (time: Double(step) * 2.5, viewers: viewers, interrupted: step % 40 == 0 ? 7 : 0)
        }
        return report
    }

    @Test func titleStatesTheTargetAndThePeakAndTheSubtitleNamesTheCrowdAndRateChanges() throws {
        var scenario = Scenario()
        scenario.audience = 2_000
        scenario.duration = 900
        scenario.flashCrowd = ArrivalProcess.FlashCrowd(multiplier: 10, duration: .seconds(300))
        scenario.rateChanges = [.init(at: 1_800, rate: 5), .init(at: 600, rate: 40), .init(at: 750, rate: 0.5)]
        let chart = try Self.report(peak: 8_275).chart(of: scenario)
        #expect(chart.title == "skyway · fan-out 3 · target 2,000 viewers, peak 8,275")
        // In time order; the change after the end changed nothing and is not named.
        #expect(
            chart.subtitle
                == "seed 1 · 15:00 simulated · flash crowd ×10 for 5:00 · 40 arrivals/s from 10:00, 0.5/s from 12:30")
    }

    @Test func anArrivalRateOrAColdStartIsSaid() throws {
        var scenario = Scenario()
        scenario.duration = 900
        scenario.arrivalRate = 12.5
        let report = try Self.report(peak: 1_234)
        #expect(report.chart(of: scenario).title == "skyway · fan-out 3 · 12.5 arrivals/s, peak 1,234 viewers")
        #expect(report.chart(of: scenario).subtitle == "seed 1 · 15:00 simulated · warm start with 10,000 viewers")
        scenario.warmStart = false
        scenario.seed = 9
        #expect(report.chart(of: scenario).subtitle == "seed 9 · 15:00 simulated · cold start")
    }

    @Test func paretoArrivalsSayTheRateStaysConstant() throws {
        var scenario = Scenario()
        scenario.duration = 900
        scenario.heavyTailedArrivals = true
        // Pareto arrivals ignore these (see `Scenario.arrivalProcess()`): the chart must not claim them.
        scenario.flashCrowd = .default
        scenario.rateChanges = [.init(at: 60, rate: 100)]
        let subtitle = try Self.report(peak: 10).chart(of: scenario).subtitle
        #expect(subtitle == "seed 1 · 15:00 simulated · Pareto inter-arrivals at a constant rate")
    }

    @Test func restartsAreMarkedAtTheirTimesWithTheDowntimeShaded() throws {
        var scenario = Scenario()
        scenario.duration = 900
        scenario.restarts = [600, 150]
        scenario.restartDowntime = 30
        let chart = try Self.report(peak: 100).chart(of: scenario)
        #expect(
            chart.markers == [
                SVGChart.Marker(x: 150, width: 30, label: "restart", note: "broadcaster restart at 2:30, down 30 s"),
                SVGChart.Marker(x: 600, width: 30, label: "restart", note: "broadcaster restart at 10:00, down 30 s"),
            ])
        #expect(chart.subtitle.hasSuffix(" · 2 broadcaster restarts, down 30 s each"))
        // The timeline spans 0…900 s over x 84…932: 150 s at 225.3, 600 s at 649.3, 30 s is 28.3 wide.
        let svg = chart.render()
        let dashed = svg.split(separator: "\n").filter { $0.contains(#"stroke-dasharray="4 3""#) }
        #expect(dashed.map { $0.split(separator: "\"")[1] } == ["225.3", "649.3"])
        for (x, time) in [("225.3", "2:30"), ("649.3", "10:00")] {
            #expect(
                svg.contains(#"<rect x="\#(x)" y="#) && svg.contains(#"width="28.3""#), "no shaded downtime at \(x)")
            #expect(svg.contains("<title>broadcaster restart at \(time), down 30 s</title>"))
        }
        #expect(svg.components(separatedBy: ">restart</text>").count - 1 == 2)
    }

    @Test func oneReportIsDrawnAsItIs() throws {
        let report = try Self.run(seed: 3)
        let scenario = Scenario()
        let chart = SimulationReport.chart(of: scenario, replicates: [report])
        #expect(
            chart.series == [
                SVGChart.Series(
                    name: "viewers", points: report.timeline.map { SVGChart.Point(x: $0.time, y: Double($0.viewers)) }),
                SVGChart.Series(
                    name: "interrupted viewers",
                    points: report.timeline.map { SVGChart.Point(x: $0.time, y: Double($0.interrupted)) }),
            ])
        #expect(chart.histogram.map(\.value) == report.depthHistogram.map(Double.init))
        #expect(chart.histogram.map(\.label) == report.depthHistogram.indices.map(String.init))
        #expect(chart.labels == SVGChart.Labels())
        #expect(chart.render() == report.chart(of: scenario).render())
        #expect(!chart.render().contains("<polygon"))
    }

    @Test func replicatesDrawTheMeanInsideAMinMaxBand() throws {
        let reports = try (1...4).map { try Self.run(seed: UInt64($0)) }
        // The engine samples every seed at the same times, so the grid is those times.
        let times = reports[0].timeline.map(\.time)
        #expect(reports.allSatisfy { $0.timeline.map(\.time) == times })
        #expect(Set(reports.map { $0.timeline.map(\.viewers) }).count > 1)  // the seeds differ

        let chart = SimulationReport.chart(of: Scenario(), replicates: reports)
        #expect(chart.series.map(\.name) == ["viewers (mean)", "interrupted viewers (mean)"])
        let readings: [((time: Double, viewers: Int, interrupted: Int)) -> Int] = [{ $0.viewers }, { $0.interrupted }]
        for (series, value) in zip(chart.series, readings) {
            #expect(series.points.map(\.x) == times && series.band.map(\.x) == times)
            for (index, point) in series.points.enumerated() {
                let values = reports.map { Double(value($0.timeline[index])) }
                #expect(series.band[index].low == values.min() && series.band[index].high == values.max())
                #expect(point.y == values.reduce(0, +) / 4)
            }
        }
        let depths = reports.map(\.depthHistogram.count).max() ?? 0
        #expect(chart.histogram.map(\.label) == (0..<depths).map(String.init))
        #expect(chart.histogram.first?.value == 1)  // the broadcaster, in every run
        let total = reports.map { $0.depthHistogram.reduce(0, +) }.reduce(0, +)
        #expect(abs(chart.histogram.map(\.value).reduce(0, +) - Double(total) / 4) < 1e-9)
        #expect(chart.labels.histogramTitle == "Viewers by depth (mean of 4 replicates)")
        #expect(
            chart.subtitle.hasPrefix("4 replicates from seed 1: lines their mean, bands min–max · 1:00:00 simulated"))
        let peaks = reports.map { $0.timeline.map(\.viewers).max()! }
        let peakText = peaks.min() == peaks.max() ? "\(peaks.min()!)" : "\(peaks.min()!)–\(peaks.max()!)"
        #expect(chart.title == "skyway · fan-out 3 · target 10,000 viewers, peak \(peakText)")

        let svg = chart.render()
        #expect(svg.components(separatedBy: "<polygon ").count - 1 == 2)
        #expect(svg == SimulationReport.chart(of: Scenario(), replicates: reports).render())
    }

    @Test func replicatesSampledAtDifferentTimesMeetOnACommonGrid() throws {
        var shifted = try Self.run(seed: 2)
        shifted.timeline = shifted.timeline.map {
            (time: $0.time + 0.5, viewers: $0.viewers, interrupted: $0.interrupted)
        }
        let base = try Self.run(seed: 1)
        let chart = SimulationReport.chart(of: Scenario(), replicates: [base, shifted])
        let band = chart.series[0].band
        // Every sample time of either run within the span both cover, in order.
        let expected = (base.timeline.map(\.time) + shifted.timeline.map(\.time)).filter {
            $0 >= 0.5 && $0 <= base.timeline.last!.time
        }.sorted()
        #expect(band.map(\.x) == expected)
        // Between two samples of a run its last value holds.
        let at = try #require(band.firstIndex { $0.x == base.timeline[3].time + 0.5 })
        let values = [Double(base.timeline[3].viewers), Double(shifted.timeline[3].viewers)]
        #expect(band[at].low == values.min() && band[at].high == values.max())
    }
}
