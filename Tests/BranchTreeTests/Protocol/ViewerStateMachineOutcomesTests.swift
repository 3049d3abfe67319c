import BranchTreeTesting
import Testing

@testable import BranchTree

@Suite("ViewerStateMachine without outcomes")
struct ViewerStateMachineOutcomesTests {
    static func isOutcome(_ action: ViewerAction) -> Bool {
        switch action {
        case .placed, .ignored: true
        default: false
        }
    }

    @Test(
        "With reportsOutcomes off, a viewer does the same but for placed and ignored",
        arguments: 0..<4 as Range<UInt64>)
    func sameActionsButOutcomes(batch: UInt64) {
        var outcomes = 0
        for seed in (batch * 100)..<((batch + 1) * 100) {
            var reporting = ViewerStateMachine(id: "V", broadcaster: "root")
            var quiet = ViewerStateMachine(id: "V", broadcaster: "root")
            quiet.reportsOutcomes = false
            var now = Timestamp.zero
            for op in ProtocolFuzzTests.viewerOps(seed: seed, count: 120) {
                now = now + .milliseconds(1)
                switch op {
                case .wait(let milliseconds):
                    now = now + .milliseconds(milliseconds)
                case .input(let input):
                    let all = reporting.handle(input, at: now)
                    let some = quiet.handle(input, at: now)
                    outcomes += all.count { Self.isOutcome($0) }
                    guard all.filter({ !Self.isOutcome($0) }) == some, reporting.phase == quiet.phase,
                        reporting.children == quiet.children, reporting.parent == quiet.parent,
                        reporting.nextDeadline == quiet.nextDeadline
                    else {
                        Issue.record("seed \(seed): \(input) at \(now) gave \(some), expected \(all)")
                        return
                    }
                }
            }
        }
        #expect(outcomes > 1_000, "\(outcomes) outcomes left out")
    }
}
