import Testing

@testable import BranchTreeSim

@Suite struct PlanConstraintsTests {
    let figures = PlanFigures(
        height: 12, p99Depth: 10, interruptionsPerViewerHour: 2.31, interruptedSecondsPerViewerHour: 20,
        continuityIndex: 0.995, broadcasterUploadStreams: 1)

    @Test func violationsNameEachLimitExceeded() {
        #expect(figures.deepestDepth == 11)
        #expect(PlanConstraints().violations(of: figures).isEmpty)
        #expect(PlanConstraints().isEmpty)
        #expect(PlanConstraints(maxDepth: 11).violations(of: figures).isEmpty)
        #expect(PlanConstraints(maxDepth: 8).violations(of: figures) == ["depth 11 > 8"])
        #expect(
            PlanConstraints(maxDepth: 8, maxInterruptionsPerViewerHour: 2).violations(of: figures)
                == ["depth 11 > 8", "interruptions/h 2.310 > 2"])
    }

    @Test func excessIsRelativeToTheLimits() {
        #expect(PlanConstraints(maxDepth: 11, maxInterruptionsPerViewerHour: 3).excess(of: figures) == 0)
        #expect(PlanConstraints(maxDepth: 10).excess(of: figures) == 0.1)
        #expect(abs(PlanConstraints(maxInterruptionsPerViewerHour: 2).excess(of: figures) - 0.155) < 1e-12)
        #expect(PlanConstraints(maxDepth: 0).excess(of: figures) == 11)
    }

    @Test func anEmptyTreeIsAtDepthZero() {
        let empty = PlanFigures(
            height: 0, p99Depth: 0, interruptionsPerViewerHour: 0, interruptedSecondsPerViewerHour: 0,
            continuityIndex: 1, broadcasterUploadStreams: 0)
        #expect(empty.deepestDepth == 0)
        #expect(PlanConstraints(maxDepth: 0).violations(of: empty).isEmpty)
    }
}
