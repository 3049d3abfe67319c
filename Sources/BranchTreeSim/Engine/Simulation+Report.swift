import BranchTree

extension Simulation {
    /// Closes the books: folds the sessions still under way, checks protocol health and
    /// assembles the report.
    mutating func finish(wallSeconds: Double) -> SimulationReport {
        let tree = broadcaster.tree
        var inTree = 0
        var stranded = 0
        var interiorCapacity = 0
        var interiorChildren = 0
        for slot in viewers.indices where viewers[slot].isPresent {
            let machine = viewers[slot].machine
            let placed = tree.contains(machine.id)
            if placed {
                inTree += 1
                let children = (try? tree.children(of: machine.id).count) ?? 0
                if children > 0 {
                    interiorChildren += children
                    interiorCapacity +=
                        machine.joinRequest.capacity.map { Swift.min($0, scenario.fanout) } ?? scenario.fanout
                }
            }
            if !placed || !viewers[slot].receiving { stranded += 1 }
            metrics.recordSession(viewers[slot], until: now)
        }
        let ghosts = tree.count - inTree

        let treeSection = SimulationReport.treeSection(
            of: tree, interiorChildren: interiorChildren, interiorCapacity: interiorCapacity)
        // Every per-viewer-hour figure is per hour of presence, from arrival on.
        let hours = metrics.presentSeconds / 3_600

        func perHour(_ value: Double) -> Double { hours > 0 ? value / hours : 0 }
        let m = metrics

        return SimulationReport(
            sections: [
                SimulationReport.scenarioSection(scenario, replicates: 1),
                (
                    "perDeparture",
                    [
                        .init(name: "departures", value: .integer(m.departures)),
                        .init(name: "interruptedViewers", value: .summary(m.interruptedViewers, places: 2)),
                        .init(name: "reconnections", value: .summary(m.reconnections, places: 2)),
                        .init(name: "controlMessages", value: .summary(m.controlMessages, places: 2)),
                        .init(name: "repairLatencySeconds", value: .summary(m.repairLatency, places: 2)),
                    ]
                ),
                (
                    "perViewer",
                    [
                        .init(name: "sessions", value: .integer(m.sessions)),
                        .init(name: "neverServed", value: .integer(m.neverServed)),
                        .init(
                            name: "interruptionsPerViewerHour",
                            value: .decimal(perHour(Double(m.interruptions)), places: 3)),
                        .init(
                            name: "interruptedViewerSecondsPerViewerHour",
                            value: .decimal(perHour(m.darkSeconds), places: 2)),
                        .init(
                            name: "startupViewerSecondsPerViewerHour",
                            value: .decimal(perHour(m.startupSeconds), places: 2)),
                        .init(
                            name: "continuityIndex",
                            value: .decimal(
                                m.presentSeconds > 0 ? 1 - (m.startupSeconds + m.darkSeconds) / m.presentSeconds : 1,
                                places: 5)),
                        .init(
                            name: "sessionsWithoutInterruption",
                            value: .decimal(
                                m.sessions > 0 ? Double(m.sessionsWithoutInterruption) / Double(m.sessions) : 1,
                                places: 4)),
                        .init(name: "startupDelaySeconds", value: .summary(m.startupDelay, places: 2)),
                    ]
                ),
                ("tree", treeSection.figures),
                (
                    "protocol",
                    [
                        .init(name: "ghosts", value: .integer(ghosts)),
                        .init(name: "strandedViewers", value: .integer(stranded)),
                        .init(name: "messages", value: .integer(m.messages)),
                        .init(name: "connectionsOpened", value: .integer(m.connectionsOpened)),
                        .init(name: "connectionsFailed", value: .integer(m.connectionsFailed)),
                        .init(name: "replaceTracks", value: .integer(m.replaceTracks)),
                        .init(name: "staleReportsIgnored", value: .integer(m.ignoredStaleReports)),
                        .init(name: "restarts", value: .integer(m.restarts)),
                        .init(name: "restartMessages", value: .integer(m.restartMessages)),
                        .init(
                            name: "messagesPerRestart",
                            value: .decimal(
                                m.restarts > 0 ? Double(m.restartMessages) / Double(m.restarts) : 0, places: 1)),
                    ]
                ),
                (
                    "run",
                    SimulationReport.runSection(
                        events: eventCount, simulatedSeconds: now.seconds, wallSeconds: wallSeconds)
                ),
            ],
            timeline: metrics.timeline, depthHistogram: treeSection.levelSizes)
    }
}
