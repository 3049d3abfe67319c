import BranchTree
import Testing

@testable import BranchTreeSim

/// Per-viewer accounting: every present second is playing, waiting for the first frame,
/// or dark after it.
@Suite("SimulationMetrics")
struct SimulationMetricsTests {
    static func viewer(arrival: Double) -> SimulatedViewer {
        SimulatedViewer(arrival: .seconds(arrival))
    }

    @Test("A viewer never served: its whole stay is start-up, and it counts as never served")
    func neverServed() {
        var metrics = SimulationMetrics()
        metrics.recordSession(Self.viewer(arrival: 5), until: .seconds(35))
        #expect(metrics.sessions == 1)
        #expect(metrics.neverServed == 1)
        #expect(metrics.presentSeconds == 30)
        #expect(metrics.startupSeconds == 30)
        #expect(metrics.darkSeconds == 0)
        #expect(metrics.sessionsWithoutInterruption == 0)
    }

    @Test("A served viewer: start-up until the first frame, dark spells after it, including one still under way")
    func served() {
        var viewer = Self.viewer(arrival: 10)
        viewer.firstFrame = .seconds(12)
        viewer.interruptions = 2
        viewer.darkSeconds = 3
        viewer.darkSince = .seconds(36)
        var metrics = SimulationMetrics()
        metrics.recordSession(viewer, until: .seconds(40))
        #expect(metrics.neverServed == 0)
        #expect(metrics.presentSeconds == 30)
        #expect(metrics.startupSeconds == 2)
        #expect(metrics.darkSeconds == 7)
        #expect(metrics.interruptions == 2)
        #expect(metrics.sessionsWithoutInterruption == 0)
    }

    @Test("Sessions add up; one served at once and never interrupted plays throughout")
    func sessionsAddUp() {
        var metrics = SimulationMetrics()
        var playing = Self.viewer(arrival: 0)
        playing.firstFrame = .seconds(0)
        metrics.recordSession(playing, until: .seconds(100))
        metrics.recordSession(Self.viewer(arrival: 50), until: .seconds(100))
        #expect(metrics.sessions == 2)
        #expect(metrics.neverServed == 1)
        #expect(metrics.sessionsWithoutInterruption == 1)
        #expect(metrics.presentSeconds == 150)
        #expect(metrics.startupSeconds == 50)
        #expect(metrics.darkSeconds == 0)
    }
}
