import Testing

@testable import BranchTreeSim

@Suite("SimulationReport warnings")
struct SimulationReportWarningsTests {
    static func report(sessions: Int, neverServed: Int, stranded: Int) -> SimulationReport {
        SimulationReport.sample(sessions: sessions, neverServed: neverServed, strandedViewers: stranded)
    }

    @Test("Below 1 % of sessions never served (short sessions ending during start-up): no warning")
    func healthyRunIsQuiet() {
        #expect(Self.report(sessions: 81_317, neverServed: 200, stranded: 0).neverServedWarning == nil)
        #expect(Self.report(sessions: 1_000, neverServed: 9, stranded: 0).neverServedWarning == nil)
        #expect(Self.report(sessions: 0, neverServed: 0, stranded: 0).neverServedWarning == nil)
    }

    @Test("No relay capacity: viewers still without the stream at the end")
    func noRelayCapacity() {
        #expect(
            Self.report(sessions: 10_000, neverServed: 9_999, stranded: 9_823).neverServedWarning
                == "warning: 9,999 of 10,000 sessions never received the stream; 9,823 viewers were still without it at the end (no relay capacity?)"
        )
        #expect(
            Self.report(sessions: 100, neverServed: 1, stranded: 1).neverServedWarning
                == "warning: 1 of 100 sessions never received the stream; 1 viewer was still without it at the end (no relay capacity?)"
        )
    }

    @Test("Everyone served at the end: sessions too short for their start-up")
    func shortSessions() {
        #expect(
            Self.report(sessions: 2_195, neverServed: 828, stranded: 0).neverServedWarning
                == "warning: 828 of 2,195 sessions never received the stream (sessions shorter than their start-up? see perViewer.startupDelaySeconds)"
        )
    }
}
