import BranchTree
import Testing

@testable import BranchTreeSim

@Suite struct SimulationReportReplicatesTests {
    static func summary(_ values: [Double]) -> QuantileSummary {
        var summary = QuantileSummary()
        for value in values { summary.record(value) }
        return summary
    }

    /// A full-model report of one run with the figures the tests look at.
    static func report(seed: UInt64, rate: Double, departures: Int, events: [Double]) -> SimulationReport {
        var scenario = Scenario()
        scenario.seed = seed
        scenario.fanout = 4
        return SimulationReport.sample(
            scenario: scenario, departures: departures, interruptedViewers: events, interruptionsPerViewerHour: rate,
            events: Int(seed) * 10, timeline: [(time: 0, viewers: Int(seed), interrupted: 0)],
            depthHistogram: [Int(seed)])
    }

    static let rates = [39.1, 41.3, 40.2, 38.8, 40.6]
    static let replicates = rates.indices.map { index in
        report(
            seed: 11 + UInt64(index), rate: rates[index], departures: [3, 5, 4, 4, 4][index],
            events: index == 0 ? (1...100).map(Double.init) : Array(repeating: Double(index), count: 100))
    }

    @Test func oneReportComesBackAsItIs() {
        let one = Self.replicates[0]
        let combined = SimulationReport.combining([one])
        #expect(combined.sections.map(\.name) == one.sections.map(\.name))
        #expect(combined.sections.map(\.figures) == one.sections.map(\.figures))
        #expect(combined.figure("perViewer", "interruptionsPerViewerHour") == .decimal(39.1, places: 3))
        #expect(combined.figure("scenario", "replicates") == .integer(1))
    }

    @Test func numbersBecomeEstimates() {
        let combined = SimulationReport.combining(Self.replicates)
        #expect(
            combined.figure("perViewer", "interruptionsPerViewerHour")
                == .estimate(Estimate(samples: Self.rates), places: 3))
        // Integers: an estimate to two places.
        #expect(
            combined.figure("perDeparture", "departures") == .estimate(Estimate(samples: [3, 5, 4, 4, 4]), places: 2))
        #expect(combined.figure("run", "events") == .estimate(Estimate(samples: [110, 120, 130, 140, 150]), places: 2))
        #expect(combined.figure("perViewer", "interruptionsPerViewerHour")?.text == "40.000 ± 1.293")
    }

    @Test func summariesBecomePooledDistributions() {
        let pair = [Self.replicates[0], Self.replicates[1]]
        let combined = SimulationReport.combining(pair)
        let pooled = Distribution(pooling: [
            Self.summary((1...100).map(Double.init)), Self.summary(Array(repeating: 1, count: 100)),
        ])
        #expect(combined.figure("perDeparture", "interruptedViewers") == .distribution(pooled, places: 2))
        // p99 of the 200 pooled events is 98, not the mean of the p99s (99 and 1).
        #expect(pooled.p99 == 98)
        #expect(pooled.mean == Estimate(samples: [50.5, 1]))
    }

    @Test func theScenarioSectionKeepsTheBaseSeedAndSaysHowManyReplicates() {
        let combined = SimulationReport.combining(Self.replicates)
        #expect(combined.figure("scenario", "seed") == .json(.number("11")))
        #expect(combined.figure("scenario", "fanout") == .json(.number("4")))
        #expect(combined.figure("scenario", "replicates") == .integer(5))
        #expect(combined.figure("scenario", "toolVersion") == .text(BranchTreeSimCommand.version))
        let base = Self.replicates[0].sections[0].figures.filter { $0.name != "replicates" }
        #expect(combined.sections[0].figures.filter { $0.name != "replicates" } == base)
    }

    @Test func scenarioTimelineAndHistogramAreTheBaseSeeds() {
        let combined = SimulationReport.combining(Array(Self.replicates.reversed()))
        #expect(combined.figure("scenario", "seed") == .json(.number("15")))
        #expect(combined.timeline.map(\.viewers) == [15])
        #expect(combined.depthHistogram == [15])
        // The figures do not depend on the replicates' order, beyond summing.
        let forwards = SimulationReport.combining(Self.replicates)
        #expect(
            combined.figure("perViewer", "interruptionsPerViewerHour")?.text
                == forwards.figure("perViewer", "interruptionsPerViewerHour")?.text)
    }

    @Test func simulationReplicatesCombineFigureByFigure() throws {
        var scenario = Scenario()
        scenario.audience = 30
        scenario.duration = 30
        let reports = try scenario.replicates(0..<3).map { replicate in
            var simulation = try Simulation(scenario: replicate)
            return simulation.run()
        }
        let combined = SimulationReport.combining(reports)
        #expect(combined.figure("scenario", "seed") == reports[0].figure("scenario", "seed"))
        for (section, figures) in combined.sections where section != SimulationReport.scenarioSectionName {
            for figure in figures {
                switch figure.value {
                case .estimate(let estimate, _): #expect(estimate.count == 3, "\(section).\(figure.name)")
                case .distribution(let distribution, _):
                    #expect(distribution.mean.count == 3, "\(section).\(figure.name)")
                default: Issue.record("\(section).\(figure.name) is not combined: \(figure.value)")
                }
            }
        }
    }
}
