extension SimulationReport {
    /// Above this share of sessions never served, `run` warns. A healthy run has a few
    /// per thousand: sessions that end during their start-up (0.25 % in the default
    /// scenario, 0.6 % with two `reconnect-all` restarts).
    static let neverServedWarningShare = 0.01

    /// A warning for standard error when at least ``neverServedWarningShare`` of the
    /// sessions never received the stream, with the likelier cause: no relay capacity
    /// when viewers were still without it at the end, else sessions shorter than their
    /// start-up. Nil for a healthy run.
    ///
    ///     report.neverServedWarning
    ///     // "warning: 80,295 of 80,306 sessions never received the stream; 9,823 viewers
    ///     //  were still without it at the end (no relay capacity?)"
    ///
    /// - Complexity: O(1)
    package var neverServedWarning: String? {
        // One full-model run's counts; the tree model serves every placed viewer at once.
        guard case .count(let sessions) = perViewer.sessions, case .count(let neverServed)? = perViewer.neverServed,
            case .count(let stranded)? = protocolHealth?.strandedViewers,
            neverServed > 0, Double(neverServed) >= Self.neverServedWarningShare * Double(sessions)
        else { return nil }
        let count = { (value: Int) in NumberFormat.decimal(value, exponent: 0) }
        let cause =
            stranded > 0
            ? "; \(count(stranded)) viewer\(stranded == 1 ? " was" : "s were") still without it at the end (no relay capacity?)"
            : " (sessions shorter than their start-up? see perViewer.startupDelaySeconds)"
        return "warning: \(count(neverServed)) of \(count(sessions)) sessions never received the stream" + cause
    }
}
