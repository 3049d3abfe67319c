import BranchTree
import Testing

@testable import BranchTreeSim

@Suite struct PlanCandidateTests {
    static func candidate(_ fanout: Int, broadcaster: Int, _ policy: Policy) -> PlanCandidate {
        PlanCandidate(
            fanout: fanout, broadcasterFanout: broadcaster, policy: policy, relaySlotsPerViewer: 1, figures: nil)
    }

    @Test func simplicityOrdersBroadcasterStreamsThenFanoutThenPolicy() {
        // Simplest first.
        let ordered = [
            Self.candidate(2, broadcaster: 1, .skyway), Self.candidate(2, broadcaster: 1, .rejoin),
            Self.candidate(5, broadcaster: 1, .skyway), Self.candidate(5, broadcaster: 1, .rejoin),
            Self.candidate(2, broadcaster: 2, .skyway), Self.candidate(2, broadcaster: 2, .rejoin),
            Self.candidate(3, broadcaster: 2, .skyway),
        ]
        for (i, a) in ordered.enumerated() {
            for (j, b) in ordered.enumerated() {
                #expect(a.isSimpler(than: b) == (i < j), "\(a.summary) vs \(b.summary)")
            }
        }
    }

    @Test func summaryNamesTheThreeChoices() {
        #expect(Self.candidate(3, broadcaster: 2, .rejoin).summary == "fan-out 3, broadcaster fan-out 2, rejoin")
    }
}
