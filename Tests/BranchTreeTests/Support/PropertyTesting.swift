import BranchTreeTesting
import Testing

@testable import BranchTree

// Seeded property tests on the tree, through BranchTreeTesting: the generators, the
// replay with `validate()` after every step and the shrinking live there; this adapter
// records a shrunk counterexample as a Swift Testing issue.

enum PropertyTesting {
    /// The seeds a property runs: all of `seeds` in a thorough run (`BRANCHTREE_THOROUGH=1`,
    /// CI's stress stage), the first quarter of them (at least 10) in the everyday run.
    static func seeds(_ seeds: Range<UInt64>) -> Range<UInt64> {
        Thoroughness.current.seeds(seeds, quick: max(10, seeds.count / 4))
    }

    /// Runs `property` after every step of the sequences of ``seeds(_:)`` under `profile`.
    /// The first failing seed is shrunk and recorded as an issue; later seeds are not run.
    static func check(
        seeds: Range<UInt64>, profile: OperationProfile,
        sourceLocation: SourceLocation = #_sourceLocation,
        property: (TreeStep) -> String?
    ) {
        let configuration = profile.configuration
        check(seeds: seeds, profile: profile, sourceLocation: sourceLocation) { operations in
            PropertyCheck.firstFailure(of: operations, configuration: configuration, property: property)
        }
    }

    /// Runs `firstFailure` — which replays a whole sequence its own way — over the
    /// sequences of ``seeds(_:)``; shrinks and records the first failing one.
    static func check(
        seeds: Range<UInt64>, profile: OperationProfile,
        sourceLocation: SourceLocation = #_sourceLocation,
        sequenceFailure firstFailure: ([TreeOperation]) -> String?
    ) {
        guard
            let counterexample = PropertyCheck.counterexample(
                seeds: Self.seeds(seeds), generate: profile.operations(seed:), failure: firstFailure)
        else { return }
        Issue.record(Comment(rawValue: "\(profile): \(counterexample)"), sourceLocation: sourceLocation)
    }
}

/// Plain views of a tree built from its public records only, so that properties are
/// computed independently of the library's own queries.
struct TreeModel {
    let broadcaster: ViewerID
    let firstViewers: [ViewerID]
    let viewers: [ViewerID: Viewer]
    /// Viewer ids in the tree's level order (deterministic).
    let order: [ViewerID]

    init(_ tree: BranchTree) {
        let snapshot = tree.snapshot()
        broadcaster = snapshot.broadcaster
        firstViewers = snapshot.firstViewers
        order = snapshot.nodes.map(\.uuid)
        viewers = Dictionary(uniqueKeysWithValues: snapshot.nodes.map { ($0.uuid, $0) })
    }

    func children(of id: ViewerID) -> [ViewerID] {
        id == broadcaster ? firstViewers : viewers[id]?.children ?? []
    }

    /// Everyone below `id`, breadth-first, `id` excluded.
    func subtree(of id: ViewerID) -> [ViewerID] {
        var result = children(of: id)
        var index = 0
        while index < result.count {
            result.append(contentsOf: children(of: result[index]))
            index += 1
        }
        return result
    }

    /// Every `parent → child` link.
    var links: Set<Link> {
        var result = Set(firstViewers.map { Link(parent: broadcaster, child: $0) })
        for viewer in viewers.values {
            for child in viewer.children { result.insert(Link(parent: viewer.uuid, child: child)) }
        }
        return result
    }

    /// Whether any node, the broadcaster included, could take another child.
    func hasFreeSlot(broadcasterFanout: Int) -> Bool {
        firstViewers.count < broadcasterFanout
            || viewers.values.contains { $0.children.count < $0.capacity }
    }
}
