import Testing

@testable import BranchTreeSim

@Suite struct PlanConstraintsTests {
    let figures = PlanFigures(
        height: 12, p99Depth: 10, interruptionsPerViewerHour: 2.31, interruptedSecondsPerViewerHour: 20,
        continuityIndex: 0.995, broadcasterUploadStreams: 1)

    /// Figures over 5 replicates: height 10 ± 1.5 (deepest 9 ± 1.5), 1.8 ± 0.4 interruptions/h.
    let replicated = PlanFigures(
        height: Estimate(mean: 10, halfWidth: 1.5, count: 5), p99Depth: Estimate(mean: 8, halfWidth: 1, count: 5),
        interruptionsPerViewerHour: Estimate(mean: 1.8, halfWidth: 0.4, count: 5),
        interruptedSecondsPerViewerHour: Estimate(mean: 15, halfWidth: 3, count: 5),
        continuityIndex: Estimate(mean: 0.995, halfWidth: 0.001, count: 5),
        broadcasterUploadStreams: Estimate(mean: 1, halfWidth: 0, count: 5),
        strandedViewers: Estimate(mean: 0, halfWidth: 0, count: 5))

    @Test func violationsNameEachLimitExceeded() {
        #expect(figures.deepestDepth.mean == 11)
        #expect(figures.deepestDepth.halfWidth == 0)
        #expect(PlanConstraints().violations(of: figures).isEmpty)
        #expect(PlanConstraints().isEmpty)
        #expect(PlanConstraints(maxDepth: 11).violations(of: figures).isEmpty)
        #expect(PlanConstraints(maxDepth: 8).violations(of: figures) == ["depth 11 > 8"])
        #expect(
            PlanConstraints(maxDepth: 8, maxInterruptionsPerViewerHour: 2).violations(of: figures)
                == ["depth 11 > 8", "interruptions/h 2.310 > 2"])
    }

    @Test func limitsAreHeldAgainstThePessimisticEnd() {
        #expect(replicated.deepestDepth == Estimate(mean: 9, halfWidth: 1.5, count: 5))
        #expect(replicated.replicates == 5)
        // The means (9, 1.8) meet depth ≤ 10 and 2/h; the upper ends (10.5, 2.2) do not.
        let limits = PlanConstraints(maxDepth: 10, maxInterruptionsPerViewerHour: 2)
        #expect(limits.violations(of: replicated) == ["depth up to 10.50 > 10", "interruptions/h up to 2.200 > 2"])
        #expect(abs(limits.excess(of: replicated) - (0.05 + 0.1)) < 1e-12)
        // At the upper ends exactly: met.
        let met = PlanConstraints(maxDepth: 11, maxInterruptionsPerViewerHour: 2.2)
        #expect(met.violations(of: replicated).isEmpty)
        #expect(met.excess(of: replicated) == 0)
        // A low end above the limit is a violation too, of course.
        #expect(PlanConstraints(maxDepth: 7).violations(of: replicated) == ["depth up to 10.50 > 7"])
    }

    @Test func aLimitInsideAnIntervalIsUndecided() {
        #expect(!PlanConstraints().isUndecided(replicated))
        // Deepest 7.5...10.5, interruptions 1.4...2.2.
        #expect(PlanConstraints(maxDepth: 10).isUndecided(replicated))
        #expect(PlanConstraints(maxDepth: 8).isUndecided(replicated))
        #expect(!PlanConstraints(maxDepth: 11).isUndecided(replicated), "met for sure")
        #expect(!PlanConstraints(maxDepth: 7).isUndecided(replicated), "missed for sure")
        #expect(PlanConstraints(maxInterruptionsPerViewerHour: 2).isUndecided(replicated))
        #expect(!PlanConstraints(maxInterruptionsPerViewerHour: 2.2).isUndecided(replicated), "at the end: decided")
        #expect(!PlanConstraints(maxInterruptionsPerViewerHour: 1.4).isUndecided(replicated))
        #expect(PlanConstraints(maxDepth: 11, maxInterruptionsPerViewerHour: 2).isUndecided(replicated))
        // One run has no interval: never undecided.
        #expect(!PlanConstraints(maxDepth: 11, maxInterruptionsPerViewerHour: 2.31).isUndecided(figures))
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
        #expect(empty.deepestDepth.mean == 0)
        #expect(PlanConstraints(maxDepth: 0).violations(of: empty).isEmpty)
    }
}
