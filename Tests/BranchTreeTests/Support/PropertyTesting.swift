import Testing
@testable import BranchTree

// Seeded property testing: generate operation sequences with xoshiro256**, replay them
// checking a property after every step, and shrink a failing sequence greedily before
// reporting it with its seed. Never the standard library's random: a seed must mean the
// same sequence on every machine and every Swift version.

/// What kind of operation sequences to generate.
struct OperationProfile: Sendable, CustomTestStringConvertible {
    var fanout: Int
    var broadcasterFanout = 1
    var policy: Policy = .skyway
    /// Sequence lengths, drawn per seed.
    var length: ClosedRange<Int> = 30...80
    /// The audience size each sequence drifts towards is drawn from `1...maxAudience`.
    var maxAudience = 30
    /// Share of joins that are not relayable (capacity 0).
    var nonRelayable = 0.0
    /// Share of joins with a capacity between 1 and `fanout − 1`.
    var lowCapacity = 0.0
    /// Share of operations that leave an id that is not in the tree.
    var absentLeaves = 0.0
    /// Share of operations that join an id already in the tree.
    var duplicateJoins = 0.0
    /// Share of new joins that reuse the id of a viewer that left.
    var returningViewers = 0.0

    var configuration: BranchTree.Configuration {
        try! BranchTree.Configuration(fanout: fanout, broadcasterFanout: broadcasterFanout, policy: policy)
    }

    /// Only relayable, full-capacity joins of new ids and leaves of present ones.
    var isPlain: Bool {
        nonRelayable == 0 && lowCapacity == 0 && absentLeaves == 0 && duplicateJoins == 0
    }

    /// Everything the tree must tolerate, mixed.
    static func mixed(fanout: Int, policy: Policy) -> OperationProfile {
        OperationProfile(
            fanout: fanout, policy: policy, nonRelayable: 0.15, lowCapacity: 0.15,
            absentLeaves: 0.08, duplicateJoins: 0.08, returningViewers: 0.1)
    }

    var testDescription: String {
        "fanout \(fanout)/\(broadcasterFanout) \(policy)\(isPlain ? " plain" : " mixed")"
    }
}

enum PropertyTesting {
    // MARK: Generation

    /// The operation sequence of `seed` under `profile`: the same seed gives the same
    /// sequence, always.
    static func operations(seed: UInt64, profile: OperationProfile) -> [TreeOperation] {
        var random = Xoshiro256StarStar(seed: seed)
        let length = profile.length.lowerBound
            + random.next(below: profile.length.count)
        let audience = 1 + random.next(below: profile.maxAudience)
        // Ids the generator believes present (joins and leaves assumed to succeed; when
        // one does not, a later operation simply names an absent id, which is allowed).
        var present: [ViewerID] = []
        var departed: [ViewerID] = []
        var nextID = 1
        var result: [TreeOperation] = []
        result.reserveCapacity(length)

        func capacity() -> Int? {
            let roll = random.nextUnitDouble()
            if roll < profile.nonRelayable { return 0 }
            if roll < profile.nonRelayable + profile.lowCapacity, profile.fanout > 1 {
                return 1 + random.next(below: profile.fanout - 1)
            }
            return nil
        }

        while result.count < length {
            let roll = random.nextUnitDouble()
            if roll < profile.absentLeaves {
                if !departed.isEmpty, random.nextBool(probability: 0.5) {
                    result.append(.leave(departed[random.next(below: departed.count)]))
                } else {
                    result.append(.leave(ViewerID("absent\(random.next(below: 1000))")))
                }
            } else if roll < profile.absentLeaves + profile.duplicateJoins, !present.isEmpty {
                result.append(.join(present[random.next(below: present.count)], capacity: capacity()))
            } else if present.isEmpty
                || random.nextBool(probability: present.count < audience ? 0.8 : 0.35)
            {
                let id: ViewerID
                if !departed.isEmpty, random.nextBool(probability: profile.returningViewers) {
                    id = departed.remove(at: random.next(below: departed.count))
                } else {
                    id = ViewerID("v\(nextID)")
                    nextID += 1
                }
                present.append(id)
                result.append(.join(id, capacity: capacity()))
            } else {
                let id = present.remove(at: random.next(below: present.count))
                departed.append(id)
                result.append(.leave(id))
            }
        }
        return result
    }

    // MARK: Replay

    /// One applied operation, as a property sees it.
    struct Step {
        let index: Int
        let operation: TreeOperation
        /// The tree before the operation (a value copy).
        let before: BranchTree
        let after: BranchTree
        let result: Result<TreeChange, BranchTreeError>
    }

    /// Replays `operations` on an empty tree, running `validate()` and then `property`
    /// after every step. Returns the first failure, naming the step, or nil.
    static func firstFailure(
        of operations: [TreeOperation], configuration: BranchTree.Configuration,
        property: (Step) -> String?
    ) -> String? {
        var tree = try! BranchTree(configuration: configuration)
        for (index, operation) in operations.enumerated() {
            let before = tree
            let result: Result<TreeChange, BranchTreeError>
            do {
                result = .success(try tree.apply(operation))
            } catch {
                result = .failure(error)
            }
            let step = Step(index: index, operation: operation, before: before, after: tree, result: result)
            do {
                try tree.validate()
            } catch {
                return "step \(index) \(describe(operation)): \(error)"
            }
            if let failure = property(step) {
                return "step \(index) \(describe(operation)): \(failure)"
            }
        }
        return nil
    }

    // MARK: Shrinking

    /// Greedily shrinks a failing input: drops chunks of half its length, then of a
    /// quarter, … down to single elements, keeping every removal after which `failure`
    /// still reports a failure, until no single element can go.
    ///
    /// - Returns: The smallest failing input found and its failure, or nil when `input`
    ///   does not fail at all.
    static func shrink<Element>(
        _ input: [Element], failure: ([Element]) -> String?
    ) -> (minimal: [Element], failure: String)? {
        guard var lastFailure = failure(input) else { return nil }
        var current = input
        var chunk = Swift.max(current.count / 2, 1)
        while chunk >= 1, !current.isEmpty {
            var removedAny = false
            var start = 0
            while start < current.count {
                var candidate = current
                candidate.removeSubrange(start..<Swift.min(start + chunk, current.count))
                if let candidateFailure = failure(candidate) {
                    current = candidate
                    lastFailure = candidateFailure
                    removedAny = true
                } else {
                    start += chunk
                }
            }
            if !removedAny { chunk /= 2 }
        }
        return (current, lastFailure)
    }

    // MARK: Checking

    /// The report for a failing seed: the seed, the minimal sequence and its failure.
    static func report(
        seed: UInt64, profile: OperationProfile, original: Int, minimal: [TreeOperation], failure: String
    ) -> String {
        """
        seed \(seed) (\(profile.testDescription)) fails; shrunk from \(original) to \(minimal.count) operations:
          \(minimal.map(describe).joined(separator: "\n  "))
        failure: \(failure)
        """
    }

    /// Runs `property` after every step of the sequences of `seeds` under `profile`. The
    /// first failing seed is shrunk and recorded as an issue; later seeds are not run.
    static func check(
        seeds: some Sequence<UInt64>, profile: OperationProfile,
        sourceLocation: SourceLocation = #_sourceLocation,
        property: (Step) -> String?
    ) {
        let configuration = profile.configuration
        check(seeds: seeds, profile: profile, sourceLocation: sourceLocation) { operations in
            firstFailure(of: operations, configuration: configuration, property: property)
        }
    }

    /// Runs `firstFailure` — which replays a whole sequence its own way — over the
    /// sequences of `seeds`; shrinks and records the first failing one.
    static func check(
        seeds: some Sequence<UInt64>, profile: OperationProfile,
        sourceLocation: SourceLocation = #_sourceLocation,
        sequenceFailure firstFailure: ([TreeOperation]) -> String?
    ) {
        for seed in seeds {
            let operations = operations(seed: seed, profile: profile)
            guard let (minimal, failure) = shrink(operations, failure: firstFailure) else { continue }
            Issue.record(
                Comment(rawValue: report(
                    seed: seed, profile: profile, original: operations.count, minimal: minimal,
                    failure: failure)),
                sourceLocation: sourceLocation)
            return
        }
    }

    static func describe(_ operation: TreeOperation) -> String {
        switch operation {
        case .join(let id, let relayable, let capacity):
            "join(\"\(id)\"" + (relayable ? "" : ", relayable: false")
                + (capacity.map { ", capacity: \($0)" } ?? "") + ")"
        case .leave(let id): "leave(\"\(id)\")"
        }
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
