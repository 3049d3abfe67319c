import BranchTree
import Foundation
import Testing

@Suite("Viewer")
struct ViewerTests {
    @Test("Relayable means a capacity above 0")
    func relayable() {
        #expect(Viewer(uuid: "A", parentUUID: "root", children: [], capacity: 2, depth: 0).relayable)
        #expect(!Viewer(uuid: "A", parentUUID: "root", children: [], capacity: 0, depth: 0).relayable)
    }

    @Test("JSON uses the keys id, parent, depth, children, relayable and capacity")
    func jsonKeys() throws {
        let viewer = Viewer(uuid: "B", parentUUID: "A", children: ["C"], capacity: 3, depth: 1)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(viewer), as: UTF8.self)
        #expect(json == #"{"capacity":3,"children":["C"],"depth":1,"id":"B","parent":"A","relayable":true}"#)
        #expect(try JSONDecoder().decode(Viewer.self, from: Data(json.utf8)) == viewer)
    }

    @Test("A relayable flag that contradicts the capacity is refused")
    func contradictoryRelayable() {
        let json = #"{"id":"B","parent":"A","depth":1,"children":[],"relayable":true,"capacity":0}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Viewer.self, from: Data(json.utf8)) }
    }
}
