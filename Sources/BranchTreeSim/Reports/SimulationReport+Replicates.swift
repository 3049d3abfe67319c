extension SimulationReport {
    /// The report of replicates — runs of one scenario with different seeds, `reports[0]`
    /// the base seed's — as one: every count and decimal becomes the replicates' mean with
    /// its 95 % interval (``Measure/combining(_:)``), every per-event figure a pooled
    /// distribution (``PerEvent/combining(_:)``). The scenario, the model, the time series
    /// and the depth histogram are the base seed's, and ``replicates`` says how many runs
    /// stand behind the figures. One report comes back as it is.
    ///
    ///     let report = SimulationReport.combining(replicateReports)
    ///     report.perViewer.continuityIndex   // .estimate(0.918 ± 0.002, places: 5)
    ///
    /// - Precondition: `reports` is not empty, all of one run each and of one model.
    /// - Complexity: O(reports × figures)
    package static func combining(_ reports: [SimulationReport]) -> SimulationReport {
        precondition(!reports.isEmpty, "combining no reports")
        guard reports.count > 1 else { return reports[0] }
        var combined = reports[0]
        combined.replicates = reports.count
        combined.perDeparture = .combining(reports.map(\.perDeparture))
        combined.perViewer = .combining(reports.map(\.perViewer))
        combined.tree = .combining(reports.map(\.tree))
        combined.protocolHealth = reports[0].protocolHealth.map { _ in
            .combining(
                reports.map { report in
                    guard let health = report.protocolHealth else { preconditionFailure("replicates of two models") }
                    return health
                })
        }
        combined.run = .combining(reports.map(\.run))
        return combined
    }
}

extension Measure {
    /// ``combining(_:)`` of a figure only one model reports: nil when the first lacks it.
    static func combining(_ measures: [Measure?]) -> Measure? {
        measures[0].map { _ in combining(measures.map { $0! }) }
    }
}

extension PerEvent {
    /// ``combining(_:)`` of a figure only one model reports: nil when the first lacks it.
    static func combining(_ figures: [PerEvent?]) -> PerEvent? {
        figures[0].map { _ in combining(figures.map { $0! }) }
    }
}

extension SimulationReport.PerDeparture {
    static func combining(_ sections: [Self]) -> Self {
        Self(
            departures: .combining(sections.map(\.departures)),
            interruptedViewers: .combining(sections.map(\.interruptedViewers)),
            reconnections: .combining(sections.map(\.reconnections)),
            controlMessages: .combining(sections.map(\.controlMessages)),
            repairLatencySeconds: .combining(sections.map(\.repairLatencySeconds)))
    }
}

extension SimulationReport.PerViewer {
    static func combining(_ sections: [Self]) -> Self {
        Self(
            sessions: .combining(sections.map(\.sessions)), neverServed: .combining(sections.map(\.neverServed)),
            interruptionsPerViewerHour: .combining(sections.map(\.interruptionsPerViewerHour)),
            interruptedViewerSecondsPerViewerHour: .combining(sections.map(\.interruptedViewerSecondsPerViewerHour)),
            startupViewerSecondsPerViewerHour: .combining(sections.map(\.startupViewerSecondsPerViewerHour)),
            continuityIndex: .combining(sections.map(\.continuityIndex)),
            sessionsWithoutInterruption: .combining(sections.map(\.sessionsWithoutInterruption)),
            startupDelaySeconds: .combining(sections.map(\.startupDelaySeconds)))
    }
}

extension SimulationReport.Tree {
    static func combining(_ sections: [Self]) -> Self {
        Self(
            viewers: .combining(sections.map(\.viewers)), height: .combining(sections.map(\.height)),
            meanDepth: .combining(sections.map(\.meanDepth)), p99Depth: .combining(sections.map(\.p99Depth)),
            fanoutUse: .combining(sections.map(\.fanoutUse)),
            broadcasterUploadStreams: .combining(sections.map(\.broadcasterUploadStreams)))
    }
}

extension SimulationReport.ProtocolHealth {
    static func combining(_ sections: [Self]) -> Self {
        Self(
            ghosts: .combining(sections.map(\.ghosts)), strandedViewers: .combining(sections.map(\.strandedViewers)),
            messages: .combining(sections.map(\.messages)),
            connectionsOpened: .combining(sections.map(\.connectionsOpened)),
            connectionsFailed: .combining(sections.map(\.connectionsFailed)),
            replaceTracks: .combining(sections.map(\.replaceTracks)),
            staleReportsIgnored: .combining(sections.map(\.staleReportsIgnored)),
            restarts: .combining(sections.map(\.restarts)),
            restartMessages: .combining(sections.map(\.restartMessages)),
            messagesPerRestart: .combining(sections.map(\.messagesPerRestart)))
    }
}

extension SimulationReport.Run {
    static func combining(_ sections: [Self]) -> Self {
        Self(
            model: sections[0].model, events: .combining(sections.map(\.events)),
            simulatedSeconds: .combining(sections.map(\.simulatedSeconds)),
            wallSeconds: .combining(sections.map(\.wallSeconds)),
            eventsPerSecond: .combining(sections.map(\.eventsPerSecond)),
            peakMemoryBytes: .combining(sections.map(\.peakMemoryBytes)))
    }
}
