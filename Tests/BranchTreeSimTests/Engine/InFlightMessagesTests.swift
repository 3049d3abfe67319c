import BranchTree
import Testing

@testable import BranchTreeSim

@Suite struct InFlightMessagesTests {
    static let join = RelayMessage.join(.init())

    @Test func holdsEachMessageWithItsSenderUntilTaken() {
        var table = InFlightMessages()
        let first = table.hold(Self.join, from: "A")
        let second = table.hold(.reconnectRoot, from: "B")
        #expect(table.count == 2)
        #expect(first != second)
        let taken = table.take(second)
        #expect(taken.message == .reconnectRoot)
        #expect(taken.sender == "B")
        #expect(table.count == 1)
        #expect(table.take(first).sender == "A")
        #expect(table.count == 0)
    }

    @Test func freedPlacesAreReusedLastInFirstOut() {
        var table = InFlightMessages()
        let places = (0..<4).map { table.hold(Self.join, from: ViewerID("v\($0)")) }
        _ = table.take(places[1])
        _ = table.take(places[3])
        // The table does not grow while it has free places, newest first.
        #expect(table.hold(Self.join, from: "x") == places[3])
        #expect(table.hold(Self.join, from: "y") == places[1])
        #expect(table.hold(Self.join, from: "z") == 4)
        #expect(table.count == 5)
    }
}
