import BranchTree
import Testing

@Suite("BranchTreeError")
struct BranchTreeErrorTests {
    @Test(
        "Descriptions name the offending value",
        arguments: [
            (BranchTreeError.unknownViewer("Z"), "\"Z\""),
            (.cannotRemoveBroadcaster("root"), "broadcaster"),
            (.reservedID("root"), "\"root\""),
            (.emptyID, "empty"),
            (.invalidFanout(0), "1...64"),
            (.invalidBroadcasterFanout(99), "99"),
            (.invalidCapacity(7, fanout: 3), "0...3"),
            (.noRelaySlot("B"), "\"B\""),
            (.malformedSnapshot("levels[2] is empty"), "levels[2] is empty"),
            (.invariantViolation("level 1 is empty"), "level 1 is empty"),
        ])
    func descriptions(error: BranchTreeError, fragment: String) {
        #expect(error.description.contains(fragment))
    }
}
