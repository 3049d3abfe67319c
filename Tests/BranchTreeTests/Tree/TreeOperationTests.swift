import BranchTree
import Testing

@Suite("TreeOperation")
struct TreeOperationTests {
    @Test("An operation names its viewer")
    func viewer() {
        #expect(TreeOperation.join("A").viewer == "A")
        #expect(TreeOperation.join("B", capacity: 0).viewer == "B")
        #expect(TreeOperation.leave("C").viewer == "C")
    }

    @Test("A join's capacity defaults to nil: relayable at the full fan-out")
    func defaultCapacity() {
        #expect(TreeOperation.join("A") == .join("A", capacity: nil))
        #expect(TreeOperation.join("A") != .join("A", capacity: 0))
    }
}
