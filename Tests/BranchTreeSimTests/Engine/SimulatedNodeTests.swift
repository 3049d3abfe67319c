import BranchTree
import Testing

@testable import BranchTreeSim

@Suite struct SimulatedNodeTests {
    static let root: ViewerID = "root"

    @Test func idsRoundTripThroughTheirNode() {
        var random = Xoshiro256StarStar(seed: 36)
        var cases: [(Int32, UInt32)] = [(0, 0), (35, 35), (36, 36), (.max, .max), (.max, 0), (0, .max)]
        for _ in 0..<2_000 {
            cases.append((Int32(truncatingIfNeeded: random.next() >> 33), UInt32(truncatingIfNeeded: random.next())))
        }
        for (slot, generation) in cases {
            let id = SimulatedNode.id(slot: slot, generation: generation)
            #expect(id.rawValue == "v" + String(slot, radix: 36) + "." + String(generation, radix: 36))
            #expect(SimulatedNode.node(for: id, broadcaster: Self.root) == .viewer(slot: slot, generation: generation))
        }
    }

    @Test func theBroadcasterIsNamedByItsOwnID() {
        #expect(SimulatedNode.node(for: "root", broadcaster: Self.root) == .broadcaster)
        #expect(SimulatedNode.node(for: "root", broadcaster: "other") == nil)
    }

    @Test(arguments: [
        "", "v", "v.", "v1", "v1.", "v.1", "w1.1", "v1.1.1", "v-1.1", "v+1.1", "v1.-1", "vA.1", "v1.B", "v 1.1",
        "v1.1 ", "vzik0zk.0",  // slot Int32.max + 1
        "v0.1z141z4",  // generation UInt32.max + 1
        "v1111111111111.0", "Root", "v1.1.", "v..", "v1..1", "v0", ".0.0",
    ])
    func anythingElseNamesNoNode(id: String) {
        #expect(SimulatedNode.node(for: ViewerID(id), broadcaster: Self.root) == nil)
    }
}
