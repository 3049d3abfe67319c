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

    // MARK: Over replicates

    /// A candidate measured over replicates: the deepest viewer at `depth` ± `depthHalf`, and
    /// `interruptions`, one per replicate on the seeds every candidate shares.
    static func replicated(
        _ fanout: Int, broadcaster: Int = 1, _ policy: Policy = .skyway, depth: Double = 5, depthHalf: Double = 0.5,
        interruptions: [Double]
    ) -> PlanCandidate {
        func estimate(_ mean: Double, _ halfWidth: Double) -> Estimate {
            Estimate(mean: mean, halfWidth: halfWidth, count: interruptions.count)
        }
        let rate = Estimate(samples: interruptions)
        var figures = PlanFigures(
            height: estimate(depth + 1, depthHalf), p99Depth: estimate(max(0, depth - 1), depthHalf),
            interruptionsPerViewerHour: rate,
            interruptedSecondsPerViewerHour: estimate(rate.mean * 10, rate.halfWidth * 10),
            continuityIndex: estimate(0.99, 0.001), broadcasterUploadStreams: estimate(Double(broadcaster), 0),
            strandedViewers: estimate(0, 0))
        figures.interruptionSamples = interruptions
        return PlanCandidate(
            fanout: fanout, broadcasterFanout: broadcaster, policy: policy, relaySlotsPerViewer: Double(fanout),
            figures: figures)
    }

    /// Five replicates, all `rate` give or take 1 %: a narrow interval.
    static func steady(_ rate: Double) -> [Double] {
        [1, 1.01, 0.99, 1.005, 0.995].map { $0 * rate }
    }

    @Test func aCandidateWhoseUpperEndExceedsALimitIsExcluded() {
        let candidates = [
            // Mean depth 10, up to 11.5.
            Self.replicated(2, depth: 10, depthHalf: 1.5, interruptions: Self.steady(1.0)),
            Self.replicated(3, depth: 8, depthHalf: 0.5, interruptions: Self.steady(1.5)),
        ]
        #expect(PlanDecision(candidates, constraints: PlanConstraints()) == .recommended(0))
        #expect(PlanDecision(candidates, constraints: PlanConstraints(maxDepth: 10)) == .recommended(1))
        #expect(PlanDecision(candidates, constraints: PlanConstraints(maxDepth: 12)) == .recommended(0))
        // Both out: the closest by relative excess at the upper ends (1.5 / 10 against about 0.015 / 1.5).
        #expect(
            PlanDecision(candidates, constraints: PlanConstraints(maxDepth: 10, maxInterruptionsPerViewerHour: 1.5))
                == .unmet(closest: 1))
    }

    @Test func aWideIntervalAcrossALimitIsExcludedThoughItsMeanIsBest() {
        let candidates = [
            Self.replicated(2, interruptions: [0.2, 1.8, 0.5, 1.5, 1.0]),  // the best and simplest: 1.0 up to about 1.8
            Self.replicated(3, interruptions: Self.steady(1.2)),
        ]
        #expect(PlanDecision(candidates, constraints: PlanConstraints()) == .recommended(0))
        #expect(
            PlanDecision(candidates, constraints: PlanConstraints(maxInterruptionsPerViewerHour: 1.5))
                == .recommended(1))
    }

    @Test func withinTenPercentOfTheBestIsAsGood() {
        // Narrow intervals that do not overlap, but 1.08 is within 10 % of 1.0: the simpler wins.
        let candidates = [
            Self.replicated(3, interruptions: Self.steady(1.0)),
            Self.replicated(2, interruptions: Self.steady(1.08)),
        ]
        #expect(PlanDecision.equallyGood(candidates, constraints: PlanConstraints()) == [0, 1])
        #expect(PlanDecision(candidates, constraints: PlanConstraints()) == .recommended(1))
        // 12 % more, measurably: the better one.
        let worse = [candidates[0], Self.replicated(2, interruptions: Self.steady(1.12))]
        #expect(PlanDecision.equallyGood(worse, constraints: PlanConstraints()) == [0])
        #expect(PlanDecision(worse, constraints: PlanConstraints()) == .recommended(0))
    }

    @Test func aDifferenceThatIsNotMeasurableSeedBySeedIsAsGood() {
        // Fan-out 2 has 20 % more on average, but seed by seed the difference swings both
        // ways: +10, −8, +12, −9, +5, a 95 % interval of 2 ± 12.
        let candidates = [
            Self.replicated(3, interruptions: [10, 10, 10, 10, 10]),
            Self.replicated(2, interruptions: [20, 2, 22, 1, 15]),
        ]
        #expect(PlanDecision.equallyGood(candidates, constraints: PlanConstraints()) == [0, 1])
        #expect(PlanDecision(candidates, constraints: PlanConstraints()) == .recommended(1))
    }

    @Test func aConsistentDifferenceIsMeasurableThoughTheIntervalsOverlap() {
        // Both vary a lot from seed to seed (intervals 15 ± 9.8 and 17 ± 9.8 overlap), but on
        // every seed fan-out 2 has about 2 more: 13 % more, measurably. The better one.
        let base = [5.0, 10, 15, 20, 25]
        let candidates = [
            Self.replicated(3, interruptions: base),
            Self.replicated(2, interruptions: zip(base, [2, 2.1, 1.9, 2, 2]).map { $0 + $1 }),
        ]
        let (best, other) = (
            candidates[0].figures!.interruptionsPerViewerHour, candidates[1].figures!.interruptionsPerViewerHour
        )
        #expect(other.lower < best.upper, "the intervals overlap")
        #expect(PlanDecision.equallyGood(candidates, constraints: PlanConstraints()) == [0])
        #expect(PlanDecision(candidates, constraints: PlanConstraints()) == .recommended(0))
    }

    @Test func candidatesAreAsGoodAsTheBestNotAsEachOther() {
        let candidates = [
            Self.replicated(2, interruptions: Self.steady(1.16)),  // within 10 % of 1.08, not of 1.0
            Self.replicated(3, interruptions: Self.steady(1.08)),
            Self.replicated(4, interruptions: Self.steady(1.0)),  // the best
        ]
        #expect(PlanDecision.equallyGood(candidates, constraints: PlanConstraints()) == [1, 2])
        #expect(PlanDecision(candidates, constraints: PlanConstraints()) == .recommended(1))
        #expect(PlanDecision.tied(with: 1, in: candidates, constraints: PlanConstraints()) == [0, 1, 2])
    }

    @Test func theBroadcastersFanoutIsPartOfSimplicity() {
        // Fewer broadcaster streams first, even at a wider viewer fan-out.
        let asGood = [
            Self.replicated(2, broadcaster: 2, interruptions: Self.steady(1.0)),
            Self.replicated(4, broadcaster: 1, interruptions: Self.steady(1.05)),
        ]
        #expect(PlanDecision(asGood, constraints: PlanConstraints()) == .recommended(1))
        // Clearly fewer interruptions with two first viewers: worth the second stream.
        let better = [
            Self.replicated(2, broadcaster: 1, interruptions: Self.steady(1.5)),
            Self.replicated(2, broadcaster: 2, interruptions: Self.steady(0.5)),
        ]
        #expect(PlanDecision(better, constraints: PlanConstraints()) == .recommended(1))
    }

    @Test func aCandidateOutsideTheLimitsIsNeverAsGood() {
        let candidates = [
            Self.replicated(2, depth: 12, interruptions: Self.steady(1.0)),  // simplest and as good, but too deep
            Self.replicated(3, depth: 6, interruptions: Self.steady(1.05)),
            Self.replicated(4, depth: 5, interruptions: Self.steady(1.0)),
        ]
        let limits = PlanConstraints(maxDepth: 8)
        #expect(PlanDecision.equallyGood(candidates, constraints: limits) == [1, 2])
        #expect(PlanDecision(candidates, constraints: limits) == .recommended(1))
    }

    @Test func moreThanTenPercentWorseButNotMeasurablySoIsAsGood() {
        // 15 % more on average, but seed by seed the excess is 1.5 ± 0.98: it may be
        // within 10 % (1.0). A simpler candidate is set aside only on evidence.
        let candidates = [
            Self.replicated(3, interruptions: [10, 10, 10, 10, 10]),
            Self.replicated(2, interruptions: [11, 12.5, 10.5, 12, 11.5]),
        ]
        #expect(PlanDecision.compare(1, with: 0, in: candidates) == .open)
        #expect(PlanDecision.equallyGood(candidates, constraints: PlanConstraints()) == [0, 1])
        #expect(PlanDecision(candidates, constraints: PlanConstraints()) == .recommended(1))
    }

    @Test func comparisonsAreAsGoodWorseOrOpen() {
        let mark = Self.replicated(4, interruptions: Self.steady(1.0))
        func comparison(_ interruptions: [Double]) -> PlanDecision.Comparison {
            PlanDecision.compare(1, with: 0, in: [mark, Self.replicated(2, interruptions: interruptions)])
        }
        #expect(comparison(Self.steady(1.05)) == .asGood)
        #expect(comparison(Self.steady(0.9)) == .asGood, "better than the mark")
        #expect(comparison(Self.steady(1.2)) == .worse)
        #expect(comparison([1.0, 1.3, 1.05, 1.2, 1.1]) == .open, "excess 0.13 ± 0.15 across 0.1")
        #expect(PlanDecision.compare(0, with: 0, in: [mark]) == .asGood)
    }

    // MARK: Replicates wanted

    /// ``PlanDecision/replicatesWanted(_:constraints:step:cap:)`` with a step of 5 and a cap of 20.
    static func wanted(_ candidates: [PlanCandidate], _ constraints: PlanConstraints = PlanConstraints()) -> [[Int]] {
        PlanDecision.replicatesWanted(candidates, constraints: constraints, step: 5, cap: 20).map {
            [$0.index, $0.count]
        }
    }

    /// `interruptions` repeated to `count` replicates.
    static func repeated(_ interruptions: [Double], to count: Int) -> [Double] {
        (0..<count).map { interruptions[$0 % interruptions.count] }
    }

    @Test func aLimitInsideAnIntervalWantsMoreOfThatCandidateUpToTheCap() {
        let straddling = Self.replicated(2, depth: 10, depthHalf: 1.5, interruptions: Self.steady(1.0))
        let clear = Self.replicated(3, depth: 5, interruptions: Self.steady(1.5))
        #expect(Self.wanted([straddling, clear], PlanConstraints(maxDepth: 11)) == [[0, 10]])
        // Decided at the cap: the pessimistic end rules it out; the other is settled alone.
        let atCap = Self.replicated(
            2, depth: 10, depthHalf: 1.5, interruptions: Self.repeated(Self.steady(1.0), to: 20))
        #expect(Self.wanted([atCap, clear], PlanConstraints(maxDepth: 11)).isEmpty)
    }

    @Test func candidatesWithinTheLimitsAreLevelledOnTheSameSeeds() {
        let ten = Self.replicated(2, interruptions: Self.repeated(Self.steady(1.0), to: 10))
        let five = Self.replicated(3, interruptions: Self.steady(1.5))
        #expect(Self.wanted([ten, five]) == [[1, 10]])
        // A candidate outside the limits is not brought up.
        let deep = Self.replicated(3, depth: 12, interruptions: Self.steady(1.5))
        #expect(Self.wanted([ten, deep], PlanConstraints(maxDepth: 8)).isEmpty)
    }

    @Test func anOpenComparisonOfASimplerCandidateWantsMoreOfEveryContender() {
        let mark = Self.replicated(4, interruptions: Self.steady(1.0))
        let open = Self.replicated(2, interruptions: [1.0, 1.3, 1.05, 1.2, 1.1])
        let worse = Self.replicated(3, interruptions: Self.steady(1.5))
        #expect(Self.wanted([mark, open, worse]) == [[0, 10], [1, 10], [2, 10]])
        // Settled once a simpler one is as good, whatever comes after it …
        let asGood = Self.replicated(2, interruptions: Self.steady(1.02))
        #expect(Self.wanted([mark, asGood, Self.replicated(3, interruptions: [1.0, 1.3, 1.05, 1.2, 1.1])]).isEmpty)
        // … or when every simpler one is measurably worse; an open comparison with a less
        // simple candidate than the mark cannot change the answer.
        #expect(Self.wanted([mark, worse]).isEmpty)
        let lessSimple = Self.replicated(5, interruptions: [1.0, 1.3, 1.05, 1.2, 1.1])
        #expect(Self.wanted([mark, lessSimple]).isEmpty)
        // At the cap, the open comparison stands: the simpler candidate counts as good.
        let capped = [
            Self.replicated(4, interruptions: Self.repeated(Self.steady(1.0), to: 20)),
            Self.replicated(2, interruptions: Self.repeated([1.0, 1.3, 1.05, 1.2, 1.1], to: 20)),
        ]
        #expect(PlanDecision.compare(1, with: 0, in: capped) == .open)
        #expect(Self.wanted(capped).isEmpty)
        #expect(PlanDecision(capped, constraints: PlanConstraints()) == .recommended(1))
    }
}
