import BranchTree
import Foundation
import Testing

@Suite("ViewerID")
struct ViewerIDTests {
    @Test("String ids are kept exactly as given")
    func strings() {
        let id: ViewerID = "viewer-1"
        #expect(id.rawValue == "viewer-1")
        #expect(id.description == "viewer-1")
        #expect(ViewerID("viewer-1") == id)
        #expect(ViewerID(id.description) == id)
    }

    @Test("UUID ids use the canonical string and read back as UUIDs")
    func uuids() throws {
        let uuid = try #require(UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F"))
        let id = ViewerID(uuid)
        #expect(id.rawValue == "E621E1F8-C36C-495A-93FC-0C247A3E6E5F")
        #expect(id.uuid == uuid)
        #expect(ViewerID("not-a-uuid").uuid == nil)
    }

    @Test("Ids order by their text")
    func ordering() {
        #expect(ViewerID("a") < ViewerID("b"))
        #expect([ViewerID("c"), "a", "b"].sorted() == ["a", "b", "c"])
    }

    @Test("In JSON an id is a plain string")
    func codable() throws {
        let data = try JSONEncoder().encode([ViewerID("A"), ViewerID("B")])
        #expect(String(decoding: data, as: UTF8.self) == #"["A","B"]"#)
        #expect(try JSONDecoder().decode([ViewerID].self, from: data) == ["A", "B"])
    }

    @Test("UUID sessions work as viewers, two per user")
    func uuidSessions() throws {
        var tree = try BranchTree(fanout: 2)
        let first = ViewerID(UUID())
        let second = ViewerID(UUID())
        try tree.join(first)
        try tree.join(second)
        #expect(tree.count == 2)
        #expect(try tree.parent(of: second) == first)
    }
}
