import BranchTree
import BranchTreeSim
import Testing

/// Restarts played through the real broadcaster machine: what each strategy does to the
/// tree, checked against what the tree's own operations give.
@Suite struct ReplaySessionRestartTests {
    static let seeds: [UInt64] = Array(1...12)

    /// A session whose tree was shaped by a seeded random log of joins (some viewers
    /// cannot relay, some relay to fewer) and leaves, under `policy`.
    static func churned(seed: UInt64, policy: Policy, restartStrategy: RestartStrategy = .restore) throws
        -> ReplaySession
    {
        var random = Xoshiro256StarStar(seed: seed)
        let configuration = try BranchTree.Configuration(
            fanout: 1 + random.next(below: 4), broadcasterFanout: 1 + random.next(below: 2), policy: policy)
        var session = try ReplaySession(
            broadcaster: "root", configuration: configuration, restartStrategy: restartStrategy)
        for index in 0..<(10 + random.next(below: 70)) {
            let present = Array(session.tree.levels.joined())
            let operation: TreeOperation
            if !present.isEmpty, random.nextBool(probability: 0.3) {
                operation = .leave(present[random.next(below: present.count)])
            } else if random.nextBool(probability: 0.15) {
                operation = .join(ViewerID("v\(index)"), relayable: false)
            } else {
                let capacity = random.nextBool(probability: 0.2) ? random.next(below: configuration.fanout + 1) : nil
                operation = .join(ViewerID("v\(index)"), capacity: capacity)
            }
            _ = try? session.apply(ReplayEntry(line: index + 1, operation: operation))  // a refusal is fine
        }
        return session
    }

    /// The restart line `line` with `strategy` and `missing`, applied; its outcome.
    @discardableResult
    static func restart(
        _ session: inout ReplaySession, _ strategy: RestartStrategy?, missing: [ViewerID] = [], line: Int = 1000
    ) throws -> ReplayRestartOutcome {
        let change = try session.apply(
            ReplayEntry(line: line, action: .restart(ReplayRestart(strategy: strategy, missing: missing))))
        guard case .restart(let outcome) = change else {
            Issue.record("a restart gave \(change)")
            return ReplayRestartOutcome(strategy: .restore)
        }
        return outcome
    }

    /// What `.restore` must give: the save, minus the missing viewers removed deepest
    /// first, each level from its end, with the repairs of ordinary departures.
    static func restored(_ saved: BranchTree, missing: Set<ViewerID>) throws -> BranchTree {
        var tree = saved
        for id in saved.levels.joined().reversed() where missing.contains(id) { try tree.leave(id) }
        return tree
    }

    /// What `.reconnectAll` must give: an empty tree, joined by every viewer that comes
    /// back, in the save's level order, each as it was (a refused join stays out).
    static func rebuilt(_ saved: BranchTree, missing: Set<ViewerID>) throws -> BranchTree {
        var tree = try BranchTree(broadcaster: saved.broadcaster, configuration: saved.configuration)
        for viewer in saved.viewers where !missing.contains(viewer.uuid) {
            _ = try? tree.join(viewer.uuid, relayable: viewer.relayable, capacity: viewer.capacity)
        }
        return tree
    }

    /// Links from the broadcaster to its first viewers.
    static func firstViewerLinks(_ tree: BranchTree) -> [Link] {
        (tree.levels.first ?? []).map { Link(parent: tree.broadcaster, child: $0) }
    }

    // MARK: Everyone comes back

    @Test(arguments: seeds)
    func restoreKeepsEveryViewerInPlace(seed: UInt64) throws {
        for policy in Policy.allCases {
            var session = try Self.churned(seed: seed, policy: policy)
            let saved = session.tree
            let outcome = try Self.restart(&session, .restore)
            #expect(session.tree == saved, "seed \(seed) \(policy)")
            try session.tree.validate()
            #expect(outcome.strategy == .restore)
            #expect(outcome.kept == Array(saved.levels.joined()))
            #expect(outcome.rejoined.isEmpty && outcome.moves.isEmpty)
            #expect(outcome.removed.isEmpty && outcome.evicted.isEmpty)
            // The only new connections: the broadcaster's own, which died with it.
            #expect(outcome.linksCreated == Self.firstViewerLinks(saved))
            #expect(outcome.linksCut == Self.firstViewerLinks(saved))
        }
    }

    @Test(arguments: seeds)
    func reconnectAllRebuildsFromEveryonesJoin(seed: UInt64) throws {
        for policy in Policy.allCases {
            var session = try Self.churned(seed: seed, policy: policy)
            let saved = session.tree
            let outcome = try Self.restart(&session, .reconnectAll)
            try session.tree.validate()
            #expect(session.tree == (try Self.rebuilt(saved, missing: [])), "seed \(seed) \(policy)")
            #expect(outcome.strategy == .reconnectAll)
            #expect(outcome.rejoined == Array(session.tree.levels.joined()))
            #expect(Set(outcome.rejoined) == Set(saved.levels.joined()))
            #expect(outcome.kept.isEmpty && outcome.moves.isEmpty)
            #expect(outcome.removed.isEmpty && outcome.evicted.isEmpty)
            // Every viewer opens a new connection, and every old one is gone.
            #expect(outcome.linksCreated.count == saved.count)
            #expect(outcome.linksCut.count == saved.count)
            if saved.count > saved.configuration.broadcasterFanout {
                #expect(outcome.linksCreated.count > Self.firstViewerLinks(saved).count)
            }
        }
    }

    @Test func restoreNeedsFarFewerConnectionsThanReconnectAll() throws {
        var restore = try ReplaySession(broadcaster: "root", configuration: .init(fanout: 3))
        for index in 0..<200 {
            _ = try restore.apply(ReplayEntry(line: index + 1, operation: .join(ViewerID("v\(index)"))))
        }
        var reconnectAll = restore
        let missing: [ViewerID] = ["v3", "v50", "v199"]
        let restored = try Self.restart(&restore, .restore, missing: missing)
        let rebuilt = try Self.restart(&reconnectAll, .reconnectAll, missing: missing)
        #expect(restored.linksCreated.count <= 10)
        #expect(rebuilt.linksCreated.count == 197)
        #expect(restore.tree.count == 197 && reconnectAll.tree.count == 197)
    }

    // MARK: Missing viewers

    @Test(arguments: seeds)
    func missingViewersAreRemovedByEitherStrategy(seed: UInt64) throws {
        var random = Xoshiro256StarStar(seed: seed &+ 100)
        for policy in Policy.allCases {
            for strategy in RestartStrategy.allCases {
                var session = try Self.churned(seed: seed, policy: policy)
                let saved = session.tree
                let everyone = Array(saved.levels.joined())
                var missing = everyone.filter { _ in random.nextBool(probability: 0.3) }
                if missing.count > 1 { missing.swapAt(0, missing.count - 1) }  // any order
                let outcome = try Self.restart(&session, strategy, missing: missing)
                let context = "seed \(seed) \(policy) \(strategy) missing \(missing)"
                try session.tree.validate()

                let expected =
                    strategy == .restore
                    ? try Self.restored(saved, missing: Set(missing)) : try Self.rebuilt(saved, missing: Set(missing))
                #expect(session.tree == expected, "\(context)")
                #expect(outcome.removed == everyone.filter(Set(missing).contains), "\(context)")
                for id in missing { #expect(!session.tree.contains(id), "\(context)") }
                // Everyone else is in the tree, or evicted because it cannot relay and no
                // relay slot was left.
                for id in everyone where !missing.contains(id) {
                    #expect(session.tree.contains(id) != outcome.evicted.contains(id), "\(context): \(id)")
                }
                for id in outcome.evicted { #expect(saved[id]?.relayable == false, "\(context)") }
                // Each viewer in exactly one list.
                let listed =
                    outcome.kept + outcome.rejoined + outcome.moves.map(\.viewer) + outcome.removed
                    + outcome.evicted
                #expect(listed.count == everyone.count && Set(listed) == Set(everyone), "\(context)")
            }
        }
    }

    @Test(arguments: Policy.allCases, RestartStrategy.allCases)
    func aMissingRelayAboveNonRelayableViewersEvictsWhatDoesNotFit(policy: Policy, strategy: RestartStrategy) throws {
        var session = try ReplaySession(broadcaster: "root", configuration: .init(fanout: 2, policy: policy))
        _ = try session.apply(ReplayEntry(line: 1, operation: .join("A")))
        _ = try session.apply(ReplayEntry(line: 2, operation: .join("B", relayable: false)))
        _ = try session.apply(ReplayEntry(line: 3, operation: .join("C", relayable: false)))
        let outcome = try Self.restart(&session, strategy, missing: ["A"])
        #expect(outcome.removed == ["A"])
        #expect(outcome.evicted == ["C"])
        #expect(session.tree.levels == [["B"]])
        #expect(outcome.linksCreated == [Link(parent: "root", child: "B")])
    }

    @Test(arguments: Policy.allCases)
    func aMissingFirstViewerIsReplacedAndTheRestStay(policy: Policy) throws {
        var session = try ReplaySession(
            broadcaster: "root", configuration: .init(fanout: 2, broadcasterFanout: 2, policy: policy))
        for (line, id) in ["A", "B", "C", "D", "E", "F", "G"].enumerated() {
            _ = try session.apply(ReplayEntry(line: line + 1, operation: .join(ViewerID(id))))
        }
        #expect(session.tree.levels == [["A", "B"], ["C", "D", "E", "F"], ["G"]])
        let saved = session.tree
        let outcome = try Self.restart(&session, .restore, missing: ["A"])
        #expect(session.tree == (try Self.restored(saved, missing: ["A"])))
        #expect(outcome.removed == ["A"])
        // Skyway: the tail G takes A's place and adopts C and D. Rejoin: C rejoins under
        // the broadcaster with its subtree, D below it. B's link is new either way.
        switch policy {
        case .skyway:
            #expect(session.tree.levels == [["B", "G"], ["C", "D", "E", "F"]])
            #expect(outcome.kept == ["B", "E", "F"])
            #expect(outcome.moves.map(\.viewer) == ["G", "C", "D"])
            #expect(
                outcome.linksCreated == [
                    Link(parent: "root", child: "B"), Link(parent: "root", child: "G"), Link(parent: "G", child: "C"),
                    Link(parent: "G", child: "D"),
                ])
        case .rejoin:
            #expect(session.tree.levels == [["B", "C"], ["E", "F", "G", "D"]])
            #expect(outcome.kept == ["B", "E", "F", "G"])
            #expect(outcome.moves.map(\.viewer) == ["C", "D"])
            #expect(
                outcome.linksCreated == [
                    Link(parent: "root", child: "B"), Link(parent: "root", child: "C"), Link(parent: "C", child: "D"),
                ])
        case .stable:
            // C, older than every leaf below A, climbs into A's place, adopts D and keeps
            // its own link to G, which fills C's old place one level up.
            #expect(session.tree.levels == [["B", "C"], ["D", "E", "F", "G"]])
            #expect(outcome.kept == ["B", "E", "F", "G"])
            #expect(outcome.moves.map(\.viewer) == ["C", "D"])
            #expect(
                outcome.linksCreated == [
                    Link(parent: "root", child: "B"), Link(parent: "root", child: "C"), Link(parent: "C", child: "D"),
                ])
        }
    }

    // MARK: Strategy, errors, totals

    @Test func theLineStrategyOverridesTheSessionDefault() throws {
        var session = try Self.churned(seed: 7, policy: .skyway, restartStrategy: .reconnectAll)
        #expect(try Self.restart(&session, nil).strategy == .reconnectAll)
        #expect(try Self.restart(&session, .restore).strategy == .restore)
        var byDefault = try ReplaySession(broadcaster: "root", configuration: .init(fanout: 2))
        #expect(byDefault.restartStrategy == .restore)
        #expect(try Self.restart(&byDefault, nil).strategy == .restore)
    }

    @Test func aMissingIDThatIsNoViewerChangesNothing() throws {
        var session = try Self.churned(seed: 3, policy: .skyway)
        let before = session
        let present = try #require(session.tree.levels.first?.first)
        #expect(throws: ReplayInputError(line: 1000, message: #"field "missing": unknown viewer "nobody""#)) {
            try Self.restart(&session, .restore, missing: [present, "nobody"])
        }
        #expect(
            throws: ReplayInputError(
                line: 1000, message: #"field "missing": "root" is the broadcaster and cannot leave the tree"#)
        ) {
            try Self.restart(&session, .reconnectAll, missing: ["root"])
        }
        #expect(session.tree == before.tree)
        #expect(session.tree.version == before.tree.version)
        #expect(session.summary == before.summary)
    }

    @Test(arguments: RestartStrategy.allCases)
    func aRestartOfAnEmptyTreeChangesNothing(strategy: RestartStrategy) throws {
        var session = try ReplaySession(broadcaster: "root", configuration: .init(fanout: 2))
        let outcome = try Self.restart(&session, strategy)
        #expect(outcome == ReplayRestartOutcome(strategy: strategy))
        #expect(session.tree.isEmpty)
        #expect(session.step == 1)
    }

    @Test func restartsCountAsOperationsAndAreSummarised() throws {
        var session = try ReplaySession(broadcaster: "root", configuration: .init(fanout: 2))
        for (line, id) in ["A", "B", "C", "D"].enumerated() {
            _ = try session.apply(ReplayEntry(line: line + 1, operation: .join(ViewerID(id))))
        }
        let joins = session.summary
        let outcome = try Self.restart(&session, .restore, missing: ["B"], line: 7)
        #expect(session.step == 5)
        #expect(session.summary.restarts == [ReplaySummary.Restart(step: 5, line: 7, outcome: outcome)])
        var expected = joins
        expected.operations = 5
        expected.restarts = session.summary.restarts
        #expect(session.summary == expected, "the join and leave totals are the joins' and leaves' only")
        let restart = session.summary.restarts[0]
        #expect(
            (restart.kept, restart.rejoined, restart.removed, restart.evicted) == (
                outcome.kept.count, 0, 1, 0
            ))
        #expect(
            (restart.moved, restart.linksCut, restart.linksCreated) == (
                outcome.moves.count, outcome.linksCut.count, outcome.linksCreated.count
            ))
    }

    @Test(arguments: seeds)
    func restartsInARowAndAfterChurnStayDeterministic(seed: UInt64) throws {
        func play() throws -> (ReplaySession, [ReplayRestartOutcome]) {
            var session = try Self.churned(seed: seed, policy: seed.isMultiple(of: 2) ? .skyway : .rejoin)
            var outcomes: [ReplayRestartOutcome] = []
            var random = Xoshiro256StarStar(seed: seed)
            for round in 0..<6 {
                let everyone = Array(session.tree.levels.joined())
                let missing = everyone.filter { _ in random.nextBool(probability: 0.1) }
                let strategy: RestartStrategy = random.nextBool(probability: 0.5) ? .restore : .reconnectAll
                outcomes.append(try Self.restart(&session, strategy, missing: missing, line: 2000 + round))
                _ = try session.apply(ReplayEntry(line: 3000 + round, operation: .join(ViewerID("late\(round)"))))
                try session.tree.validate()
            }
            return (session, outcomes)
        }
        let (first, firstOutcomes) = try play()
        let (second, secondOutcomes) = try play()
        #expect(first.tree.snapshot() == second.tree.snapshot())
        #expect(first.summary == second.summary)
        #expect(firstOutcomes == secondOutcomes)
    }
}
