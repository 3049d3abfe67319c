import Testing

@testable import BranchTreeSim

@Suite struct SeveredLinksTests {
    static func children(_ slots: [Int32], generation: UInt32 = 0) -> [SeveredLinks.Child] {
        slots.map { SeveredLinks.Child(slot: $0, generation: generation) }
    }

    @Test func holdsEachGroupInOrderUntilTaken() {
        var table = SeveredLinks()
        let first = table.hold(Self.children([3, 1, 2]))
        let second = table.hold(Self.children([7, 5], generation: 4))
        #expect(first != second)
        #expect(table.count == 2)
        #expect(table.take(second) == Self.children([7, 5], generation: 4))
        #expect(table.take(first) == Self.children([3, 1, 2]))
        #expect(table.count == 0)
    }

    @Test func freedPlacesAreReusedLastInFirstOut() {
        var table = SeveredLinks()
        let places = (0..<3).map { table.hold(Self.children([Int32($0), 9])) }
        _ = table.take(places[0])
        _ = table.take(places[2])
        #expect(table.hold(Self.children([4, 4])) == places[2])
        #expect(table.hold(Self.children([5, 5])) == places[0])
        #expect(table.count == 3)
    }
}
