import BranchTree
import Testing

@testable import BranchTreeSim

/// The picking rule on controlled candidates, without simulating.
@Suite struct PlanDecisionTests {
    static func figures(height: Int, interruptions: Double) -> PlanFigures {
        PlanFigures(
            height: height, p99Depth: max(0, height - 2), interruptionsPerViewerHour: interruptions,
            interruptedSecondsPerViewerHour: interruptions * 10, continuityIndex: 0.99, broadcasterUploadStreams: 1)
    }

    static func candidate(_ fanout: Int, _ policy: Policy, height: Int, interruptions: Double) -> PlanCandidate {
        PlanCandidate(
            fanout: fanout, policy: policy, relaySlotsPerViewer: Double(fanout),
            figures: figures(height: height, interruptions: interruptions))
    }

    static let candidates = [
        candidate(2, .skyway, height: 14, interruptions: 0.9),  // 0: the fewest interruptions, too deep for 10
        candidate(2, .rejoin, height: 16, interruptions: 1.2),  // 1
        candidate(3, .skyway, height: 10, interruptions: 1.5),  // 2
        candidate(3, .rejoin, height: 11, interruptions: 1.1),  // 3: meets depth ≤ 10 (deepest 10), fewest among those
        candidate(4, .skyway, height: 8, interruptions: 1.1),  // 4: ties with 3 on interruptions, larger fan-out
        candidate(4, .rejoin, height: 9, interruptions: 2.5),  // 5
    ]

    @Test func withoutLimitsTheFewestInterruptionsWin() {
        #expect(PlanDecision(Self.candidates, constraints: PlanConstraints()) == .recommended(0))
    }

    @Test func theFewestInterruptionsAmongThoseWithinTheDepthLimit() {
        #expect(PlanDecision(Self.candidates, constraints: PlanConstraints(maxDepth: 10)) == .recommended(3))
    }

    @Test func tiesGoToTheSmallerFanoutThenToSkyway() {
        // 3 and 4 tie at 1.1; fan-out 3 wins.
        #expect(PlanDecision(Self.candidates, constraints: PlanConstraints(maxDepth: 10)) == .recommended(3))
        let sameFanout = [
            Self.candidate(3, .rejoin, height: 5, interruptions: 1),
            Self.candidate(3, .skyway, height: 5, interruptions: 1),
        ]
        #expect(PlanDecision(sameFanout, constraints: PlanConstraints()) == .recommended(1))
        let reversed = [Self.candidates[4], Self.candidates[3]]
        #expect(PlanDecision(reversed, constraints: PlanConstraints(maxDepth: 10)) == .recommended(1))
    }

    @Test func bothLimitsMustHold() {
        let limits = PlanConstraints(maxDepth: 8, maxInterruptionsPerViewerHour: 1.2)
        // Only 4 (deepest 7, 1.1/h) meets both.
        #expect(PlanDecision(Self.candidates, constraints: limits) == .recommended(4))
    }

    @Test func aLimitMetExactlyCounts() {
        let limits = PlanConstraints(maxDepth: 7, maxInterruptionsPerViewerHour: 1.1)
        #expect(PlanDecision(Self.candidates, constraints: limits) == .recommended(4))
    }

    @Test func whenNoneMeetsTheLimitsTheClosestIsShown() {
        // Depth ≤ 6: 4 misses by 1 level (1/6), 5 by 2 (2/6) — 4 is closest.
        #expect(PlanDecision(Self.candidates, constraints: PlanConstraints(maxDepth: 6)) == .unmet(closest: 4))
        // At most 0.5 interruptions/h: 0 misses by the least (0.4 / 0.5).
        #expect(
            PlanDecision(Self.candidates, constraints: PlanConstraints(maxInterruptionsPerViewerHour: 0.5))
                == .unmet(closest: 0))
        // A limit of 0 counts the excess against 1 level.
        #expect(PlanDecision(Self.candidates, constraints: PlanConstraints(maxDepth: 0)) == .unmet(closest: 4))
    }

    @Test func candidatesThatWereNotSimulatedAreNeverChosen() {
        var candidates = Self.candidates
        candidates[3].figures = nil
        #expect(PlanDecision(candidates, constraints: PlanConstraints(maxDepth: 10)) == .recommended(4))
        let none = candidates.map {
            PlanCandidate(fanout: $0.fanout, policy: $0.policy, relaySlotsPerViewer: 0.5, figures: nil)
        }
        #expect(PlanDecision(none, constraints: PlanConstraints()) == .unmet(closest: nil))
        #expect(PlanDecision([], constraints: PlanConstraints(maxDepth: 3)) == .unmet(closest: nil))
    }
}
