@testable import BranchTree

// Small builders and the seed's tree notation, shared by the example-based tests.

extension BranchTree {
    /// A tree with one viewer per character of `ids`, joined in order.
    static func joining(
        _ ids: String, fanout: Int, broadcasterFanout: Int = 1, policy: Policy = .skyway
    ) throws -> BranchTree {
        var tree = try BranchTree(fanout: fanout, broadcasterFanout: broadcasterFanout, policy: policy)
        for id in ids { try tree.join(ViewerID(String(id))) }
        return tree
    }

    /// A tree with viewers `prefix1 … prefixN` joined in order.
    static func numbered(
        _ count: Int, prefix: String = "v", fanout: Int, policy: Policy = .skyway
    ) throws -> BranchTree {
        var tree = try BranchTree(fanout: fanout, policy: policy)
        for index in 1...count { try tree.join(ViewerID("\(prefix)\(index)")) }
        return tree
    }

    /// The tree in a nested notation: `root(A(B(D(H) E) C(F G)))`.
    var picture: String {
        func draw(_ id: ViewerID) -> String {
            let children = (try? children(of: id)) ?? []
            return children.isEmpty ? id.rawValue : "\(id)(\(children.map(draw).joined(separator: " ")))"
        }
        return draw(broadcaster)
    }

    /// The levels in a nested notation: `[A] [B C] [D E F G] [H]`.
    var levelPicture: String {
        levels.map { "[" + $0.map(\.rawValue).joined(separator: " ") + "]" }.joined(separator: " ")
    }
}

/// A stream link, briefly: `relay("A", "C")` is `A → C` (not `link`, which Glibc owns).
func relay(_ parent: ViewerID, _ child: ViewerID) -> Link {
    Link(parent: parent, child: child)
}

/// A repair move, briefly: `move("H", from: "D", to: "A", depths: 3, 1)`.
func move(_ viewer: ViewerID, from: ViewerID, to: ViewerID, depths: Int, _ toDepth: Int) -> TreeChange.Move {
    TreeChange.Move(viewer: viewer, fromParent: from, toParent: to, fromDepth: depths, toDepth: toDepth)
}
