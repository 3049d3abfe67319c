import BranchTree

extension Simulation {
    /// Closes the books: folds the sessions still under way, checks protocol health and
    /// assembles the report.
    mutating func finish(wallSeconds: Double) -> SimulationReport {
        _checkInvariants(force: true)
        let tree = broadcaster.tree
        var inTree = 0
        var stranded = 0
        var interiorCapacity = 0
        var interiorChildren = 0
        for slot in presence.indices where presence[slot].isPresent {
            let machine = machines[slot]
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
            if !placed || !presence[slot].receiving { stranded += 1 }
            metrics.recordSession(viewers[slot], until: now)
        }
        let ghosts = tree.count - inTree

        let treeFigures = SimulationReport.treeFigures(
            of: tree, interiorChildren: interiorChildren, interiorCapacity: interiorCapacity)
        // Every per-viewer-hour figure is per hour of presence, from arrival on.
        let hours = metrics.presentSeconds / 3_600

        func perHour(_ value: Double) -> Double { hours > 0 ? value / hours : 0 }
        let m = metrics

        return SimulationReport(
            scenario: scenario,
            perDeparture: .init(
                departures: .count(m.departures), interruptedViewers: .run(m.interruptedViewers),
                reconnections: .run(m.reconnections), controlMessages: .run(m.controlMessages),
                repairLatencySeconds: .run(m.repairLatency)),
            perViewer: .init(
                sessions: .count(m.sessions), neverServed: .count(m.neverServed),
                interruptionsPerViewerHour: .decimal(perHour(Double(m.interruptions)), places: 3),
                interruptedViewerSecondsPerViewerHour: .decimal(perHour(m.darkSeconds), places: 2),
                startupViewerSecondsPerViewerHour: .decimal(perHour(m.startupSeconds), places: 2),
                continuityIndex: .decimal(
                    m.presentSeconds > 0 ? 1 - (m.startupSeconds + m.darkSeconds) / m.presentSeconds : 1, places: 5),
                sessionsWithoutInterruption: .decimal(
                    m.sessions > 0 ? Double(m.sessionsWithoutInterruption) / Double(m.sessions) : 1, places: 4),
                startupDelaySeconds: .run(m.startupDelay)),
            tree: treeFigures.figures,
            protocolHealth: .init(
                ghosts: .count(ghosts), strandedViewers: .count(stranded), messages: .count(m.messages),
                connectionsOpened: .count(m.connectionsOpened), connectionsFailed: .count(m.connectionsFailed),
                replaceTracks: .count(m.replaceTracks), staleReportsIgnored: .count(m.ignoredStaleReports),
                restarts: .count(m.restarts), restartMessages: .count(m.restartMessages),
                messagesPerRestart: .decimal(
                    m.restarts > 0 ? Double(m.restartMessages) / Double(m.restarts) : 0, places: 1)),
            run: SimulationReport.runFigures(
                model: .full, events: eventCount, simulatedSeconds: now.seconds, wallSeconds: wallSeconds),
            timeline: metrics.timeline, depthHistogram: treeFigures.levelSizes)
    }
}
