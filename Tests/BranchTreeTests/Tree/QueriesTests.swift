import BranchTreeTesting
import Testing

@testable import BranchTree

@Suite("Queries")
struct QueriesTests {
    /// root(A(B(D(H) E) C(F G)))
    let tree: BranchTree

    init() throws {
        tree = try BranchTree.joining("ABCDEFGH", fanout: 2)
    }

    @Test("A viewer's record: parent, children, depth, capacity")
    func record() throws {
        let viewer = try #require(tree["D"])
        #expect(viewer == Viewer(uuid: "D", parentUUID: "B", children: ["H"], capacity: 2, depth: 2))
        #expect(viewer.relayable)
        #expect(tree["Z"] == nil)
        #expect(tree["root"] == nil)
    }

    @Test("contains knows viewers only, not the broadcaster")
    func contains() {
        #expect(tree.contains("H"))
        #expect(!tree.contains("Z"))
        #expect(!tree.contains("root"))
    }

    @Test("Parent, children and depth of viewers and of the broadcaster")
    func links() throws {
        #expect(try tree.parent(of: "A") == "root")
        #expect(try tree.parent(of: "H") == "D")
        #expect(try tree.parent(of: "root") == nil)
        #expect(try tree.children(of: "B") == ["D", "E"])
        #expect(try tree.children(of: "root") == ["A"])
        #expect(try tree.depth(of: "A") == 0)
        #expect(try tree.depth(of: "H") == 3)
        #expect(try tree.depth(of: "root") == -1)
    }

    @Test("The path runs from the viewer up to the broadcaster")
    func path() throws {
        #expect(try tree.path(toBroadcasterFrom: "H") == ["H", "D", "B", "A", "root"])
        #expect(try tree.path(toBroadcasterFrom: "A") == ["A", "root"])
        #expect(try tree.path(toBroadcasterFrom: "root") == ["root"])
    }

    @Test("Descendants are breadth-first in the tree's order; subtree sizes count the root")
    func descendants() throws {
        #expect(try tree.descendants(of: "B") == ["D", "E", "H"])
        #expect(try tree.descendants(of: "root") == ["A", "B", "C", "D", "E", "F", "G", "H"])
        #expect(try tree.descendants(of: "H") == [])
        #expect(try tree.subtreeSize(of: "B") == 4)
        #expect(try tree.subtreeSize(of: "H") == 1)
        #expect(try tree.subtreeSize(of: "root") == 8)
    }

    @Test("Levels and viewers come in level order")
    func levels() {
        #expect(tree.height == 4)
        #expect(tree.level(2) == ["D", "E", "F", "G"])
        #expect(tree.levels == [["A"], ["B", "C"], ["D", "E", "F", "G"], ["H"]])
        #expect(tree.viewers.map(\.uuid) == ["A", "B", "C", "D", "E", "F", "G", "H"])
        #expect(tree.count == 8)
        #expect(!tree.isEmpty)
    }

    @Test("Every query about an unknown id throws unknownViewer")
    func unknownIDs() {
        let unknown: ViewerID = "Z"
        #expect(throws: BranchTreeError.unknownViewer(unknown)) { try tree.parent(of: unknown) }
        #expect(throws: BranchTreeError.unknownViewer(unknown)) { try tree.children(of: unknown) }
        #expect(throws: BranchTreeError.unknownViewer(unknown)) { try tree.depth(of: unknown) }
        #expect(throws: BranchTreeError.unknownViewer(unknown)) { try tree.path(toBroadcasterFrom: unknown) }
        #expect(throws: BranchTreeError.unknownViewer(unknown)) { try tree.descendants(of: unknown) }
        #expect(throws: BranchTreeError.unknownViewer(unknown)) { try tree.subtreeSize(of: unknown) }
    }

    @Test("An empty tree answers for the broadcaster and has no levels")
    func emptyTree() throws {
        let empty = try BranchTree(broadcaster: "studio", fanout: 3)
        #expect(empty.broadcaster == "studio")
        #expect(empty.isEmpty)
        #expect(empty.count == 0)
        #expect(empty.height == 0)
        #expect(empty.levels == [])
        #expect(empty.viewers == [])
        #expect(try empty.children(of: "studio") == [])
        #expect(try empty.descendants(of: "studio") == [])
        #expect(try empty.subtreeSize(of: "studio") == 0)
        #expect(empty.picture == "studio")
    }

    @Test(
        "Every live viewer receives the stream along a valid path",
        arguments: [
            (1, Policy.skyway), (3, .skyway), (4, .skyway), (7, .skyway),
            (1, .rejoin), (3, .rejoin), (4, .rejoin), (7, .rejoin),
        ])
    func everyViewerIsFed(fanout: Int, policy: Policy) throws {
        let profile = try OperationProfile.mixed(fanout: fanout, policy: policy)
        PropertyTesting.check(seeds: 0..<100 as Range<UInt64>, profile: profile, property: Self.everyoneFed)
    }

    static func everyoneFed(_ step: TreeStep) -> String? {
        let model = TreeModel(step.after)
        for id in model.order {
            guard let path = try? step.after.path(toBroadcasterFrom: id) else { return "\(id) has no path" }
            let viewer = model.viewers[id]!
            guard path.first == id, path.last == model.broadcaster, path.count == viewer.depth + 2,
                Set(path).count == path.count
            else { return "\(id)'s path \(path) is malformed" }
            // Each hop is a real link, and the hop above is fed too (checked with it).
            for (child, parent) in zip(path, path.dropFirst())
            where !model.children(of: parent).contains(child) {
                return "\(id)'s path uses \(parent) → \(child), which is no link"
            }
        }
        return nil
    }
}
