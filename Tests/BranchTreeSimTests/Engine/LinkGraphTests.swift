import BranchTree
import Testing

@testable import BranchTreeSim

@Suite struct LinkGraphTests {
    static func viewer(_ slot: Int32) -> SimulatedNode { .viewer(slot: slot, generation: 0) }

    @Test func linksChildrenUnderTheirParents() {
        var links = LinkGraph()
        links.link(0, from: .broadcaster)
        links.link(3, from: Self.viewer(0))
        links.link(5, from: Self.viewer(0))
        links.link(7, from: Self.viewer(5))
        #expect(links.children(of: .broadcaster) == [0])
        #expect(Set(links.children(of: Self.viewer(0))) == [3, 5])
        #expect(links.children(of: Self.viewer(5)) == [7])
        #expect(links.children(of: Self.viewer(7)) == [])
        #expect(links.children(of: Self.viewer(40)) == [])
        #expect(links.parent(ofSlot: 0) == .broadcaster)
        #expect(links.parent(ofSlot: 7) == .viewer(slot: 5))
        #expect(links.parent(ofSlot: 1) == nil)
        #expect(links.parent(ofSlot: 99) == nil)
    }

    @Test func unlinkKeepsTheChildsOwnChildren() {
        var links = LinkGraph()
        links.link(1, from: .broadcaster)
        links.link(2, from: Self.viewer(1))
        links.unlink(1)
        links.unlink(1)  // no link: nothing to do
        #expect(links.children(of: .broadcaster) == [])
        #expect(links.parent(ofSlot: 1) == nil)
        #expect(links.children(of: Self.viewer(1)) == [2])
        links.link(1, from: Self.viewer(4))
        #expect(links.children(of: Self.viewer(4)) == [1])
    }

    /// Random links and unlinks against a plain parent array: every node's children are
    /// exactly the slots whose parent it is.
    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func agreesWithAParentArray(seed: UInt64) {
        var random = Xoshiro256StarStar(seed: seed)
        let slots = 24
        var parents: [LinkGraph.Parent?] = Array(repeating: nil, count: slots)
        var links = LinkGraph()
        for step in 0..<2_000 {
            let slot = Int32(random.next(below: slots))
            if parents[Int(slot)] != nil {
                links.unlink(slot)
                parents[Int(slot)] = nil
            } else {
                let parent = Int32(random.next(below: slots + 1)) - 1
                let node: SimulatedNode = parent < 0 ? .broadcaster : Self.viewer(parent)
                links.link(slot, from: node)
                parents[Int(slot)] = parent < 0 ? .broadcaster : .viewer(slot: parent)
            }
            for node in [LinkGraph.Parent.broadcaster] + (0..<Int32(slots)).map({ LinkGraph.Parent.viewer(slot: $0) }) {
                let simulated: SimulatedNode =
                    switch node {
                    case .broadcaster: .broadcaster
                    case .viewer(let slot): Self.viewer(slot)
                    }
                let expected = (0..<Int32(slots)).filter { parents[Int($0)] == node }
                #expect(links.children(of: simulated).sorted() == expected, "seed \(seed), step \(step), \(node)")
            }
            for slot in 0..<Int32(slots) {
                #expect(links.parent(ofSlot: slot) == parents[Int(slot)], "seed \(seed), step \(step), slot \(slot)")
            }
        }
    }
}
