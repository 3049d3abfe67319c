import BranchTree
import Testing

@testable import BranchTreeSim

/// A scenario small enough for a debug build.
private func small(seed: UInt64 = 1) -> Scenario {
    var scenario = Scenario()
    scenario.seed = seed
    scenario.audience = 150
    scenario.duration = 600
    return scenario
}

/// The mean and 95 % interval of a per-departure figure over replicates.
private func estimate(_ report: SimulationReport, _ section: String, _ name: String) throws -> Estimate {
    guard case .distribution(let distribution, _)? = report.figure(section, name) else {
        throw FigureMissing(name: "\(section).\(name)")
    }
    return distribution.mean
}

private struct FigureMissing: Error {
    var name: String
}

@Suite struct TreeSimulationTests {
    @Test(arguments: [1, 2, 3] as [UInt64])
    func theSameScenarioGivesTheSameReport(seed: UInt64) throws {
        var first = try TreeSimulation(scenario: small(seed: seed))
        var second = try TreeSimulation(scenario: small(seed: seed))
        #expect(first.run().table(reproducible: true) == second.run().table(reproducible: true))
    }

    @Test(arguments: [Policy.skyway, .rejoin])
    func everySessionIsCountedAndTheTreeHoldsEveryViewerPresent(policy: Policy) throws {
        var scenario = small()
        scenario.policy = policy
        var simulation = try TreeSimulation(scenario: scenario)
        let report = simulation.run()
        let present = simulation.viewers.filter(\.isPresent).count
        #expect(simulation.tree.count == present)
        #expect(report.figure("perViewer", "sessions") == .integer(simulation.departures + present))
        #expect(report.figure("tree", "viewers") == .integer(present))
        #expect(report.figure("run", "model") == .text("tree"))
        #expect(throws: Never.self) { try simulation.tree.validate() }
    }

    @Test func viewersThatCannotRelayWaitForASlotAndNeverBreakTheTree() throws {
        var scenario = small()
        scenario.uplinks = try UplinkClasses([
            UplinkClass(name: "relay", share: 0.3, capacity: nil),
            UplinkClass(name: "leech", share: 0.7, relayable: false),
        ])
        var simulation = try TreeSimulation(scenario: scenario)
        _ = simulation.run()
        #expect(throws: Never.self) { try simulation.tree.validate() }
        let placed = simulation.viewers.filter { $0.isPresent && $0.isPlaced }.count
        #expect(simulation.tree.count == placed)
        #expect(placed > 0)
    }

    /// With zero latencies and no failures the full model removes each leaver from the
    /// same kind of tree at once, so the two models' interrupted viewers per departure
    /// must agree within the replicates' confidence intervals.
    @Test(arguments: [Policy.skyway, .rejoin])
    func theFullModelWithoutLatenciesAgreesWithTheTreeModel(policy: Policy) throws {
        var scenario = small()
        scenario.policy = policy
        scenario.signallingLatency = 0...0
        scenario.connectionSetup = 0...0
        scenario.detectionDelay = 0...0
        scenario.connectionFailureRate = 0
        scenario.abruptShare = 0
        let replicates = scenario.replicates(0..<8)
        let full = SimulationReport.combining(try replicates.map { try SimulationModel.full.run($0) })
        let tree = SimulationReport.combining(try replicates.map { try SimulationModel.tree.run($0) })
        for name in ["interruptedViewers", "reconnections"] {
            let fullMean = try estimate(full, "perDeparture", name)
            let treeMean = try estimate(tree, "perDeparture", name)
            #expect(
                abs(fullMean.mean - treeMean.mean) <= fullMean.halfWidth + treeMean.halfWidth,
                "\(name): full \(fullMean.mean) ± \(fullMean.halfWidth), tree \(treeMean.mean) ± \(treeMean.halfWidth)")
            #expect(fullMean.mean > 0)
        }
    }

    @Test func runSweepAndBadModelsFromTheCommandLine() throws {
        let tiny = ["--audience", "50", "--duration", "60", "--reproducible"]
        let run = SimRun(["run", "--model", "tree"] + tiny)
        #expect(run.status == 0)
        #expect(run.stdout.contains("  model             tree\n"))
        #expect(!run.stdout.contains("controlMessages"))
        #expect(SimRun(["run", "--model", "tree"] + tiny).stdout == run.stdout)
        let sweep = SimRun([
            "sweep", "--model", "tree", "--fanout", "2,3", "--audience", "50", "--duration", "60", "--replicates", "2",
            "--format", "csv",
        ])
        #expect(sweep.status == 0)
        #expect(sweep.stdoutLines.count == 3)
        let bad = SimRun(["run", "--model", "fast"] + tiny)
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("full, tree"))
    }
}
