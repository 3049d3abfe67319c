import Foundation
import Testing

@testable import BranchTree

/// Every failure of the seed systems the original write-ups and code show, driven through the
/// interleaving that broke the seed, and shown fixed.
@Suite("Seed failures, fixed")
struct SeedFailureScenarioTests {
    /// A relay whose viewers `ids` joined in order, each settled before the next, at 0 s.
    static func relay(
        _ ids: [ViewerID], fanout: Int = 2, policy: Policy = .skyway,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ScriptedRelay {
        var relay = try ScriptedRelay(fanout: fanout, policy: policy)
        for id in ids {
            relay.start(id)
            relay.deliverAll()
        }
        #expect(relay.convergenceFailures() == [], sourceLocation: sourceLocation)
        #expect(relay.problems == [], sourceLocation: sourceLocation)
        return relay
    }

    static func relay(_ ids: String, fanout: Int = 2, policy: Policy = .skyway) throws -> ScriptedRelay {
        try relay(ids.map { ViewerID(String($0)) }, fanout: fanout, policy: policy)
    }

    static func numbered(_ count: Int) -> [ViewerID] {
        (1...count).map { ViewerID("v\($0)") }
    }

    /// Lets every timer run out (repairs, retries, timeouts) and checks that the relay
    /// settled: no ghost, every live viewer placed and receiving, no broken invariant.
    static func expectSettled(
        _ relay: inout ScriptedRelay, after duration: Duration = .seconds(200),
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        relay.advance(by: duration)
        #expect(relay.convergenceFailures() == [], sourceLocation: sourceLocation)
        #expect(relay.problems == [], sourceLocation: sourceLocation)
    }

    static func removals(in log: [BroadcasterAction]) -> [ViewerID] {
        log.compactMap { if case .viewerRemoved(let id, _) = $0 { id } else { nil } }
    }

    // MARK: 1. Ghosts

    /// The seed put the tail T on an ignore list to swallow its old parent's report. When
    /// that parent was the leaver, the report never came, and the entry swallowed T's
    /// real departure later: T stayed in the tree with its children under a dead node.
    @Test("Ghost: the tail's old parent was the leaver; the tail's real departure still removes it")
    func ghostOldParentWasLeaver() throws {
        // H's children are P and Q; P is the tail (first of the deepest level).
        var relay = try Self.relay(Array("ABCDEFGHIJKLMNOPQ").map { ViewerID(String($0)) })
        #expect(
            relay.broadcaster.tree.picture
                == "root(A(B(D(H(P Q) I) E(J K)) C(F(L M) G(N O))))")
        relay.crash("H")
        Self.expectSettled(&relay)
        #expect(
            relay.broadcaster.tree.picture
                == "root(A(B(D(I P(Q)) E(J K)) C(F(L M) G(N O))))")
        // No report about P came from H (gone), and none was needed: there is no ignore
        // entry waiting for it.
        let reportsAboutP = relay.delivered.filter {
            if case .closeBranch(let report) = $0.message { report.child == "P" } else { false }
        }
        #expect(reportsAboutP.isEmpty)
        #expect(Self.removals(in: relay.broadcasterLog) == ["H"])

        // P really leaves: its current parent D reports it, and P goes.
        let logStart = relay.broadcasterLog.count
        relay.crash("P")
        Self.expectSettled(&relay)
        let log = Array(relay.broadcasterLog[logStart...])
        #expect(log.contains(.viewerRemoved("P", reason: .linkClosed(reportedBy: "D"))))
        #expect(!relay.broadcaster.tree.contains("P"))
        #expect(relay.broadcaster.tree.picture == "root(A(B(D(I Q) E(J K)) C(F(L M) G(N O))))")
    }

    @Test("Ghost: the tail's old parent was the leaver's child; its late report is ignored, the real one counts")
    func ghostOldParentWasLeaversChild() throws {
        var relay = try Self.relay("ABCDEFGH")
        #expect(relay.broadcaster.tree.picture == "root(A(B(D(H) E) C(F G)))")
        // D's report about H is held back until long after H moved.
        relay.held = { $0.from == "D" && $0.message == .closeBranch(.init(child: "H", epoch: 8)) }
        relay.crash("B")
        relay.advance(by: .seconds(100))
        #expect(relay.broadcaster.tree.picture == "root(A(C(F G) H(D E)))")
        #expect(relay.mailbox.count == 1, "D saw its link to H close and reported it")
        relay.held = { _ in false }
        let logStart = relay.broadcasterLog.count
        relay.deliverAll()
        let late = Array(relay.broadcasterLog[logStart...])
        #expect(late == [.ignored(.notParent(reporter: "D", child: "H"))])
        #expect(relay.broadcaster.tree.contains("H"))
        Self.expectSettled(&relay)

        // H's real departure, reported by its current parent, removes it.
        let parent = try #require(try relay.broadcaster.tree.parent(of: "H"))
        relay.crash("H")
        Self.expectSettled(&relay)
        #expect(relay.broadcasterLog.contains(.viewerRemoved("H", reason: .linkClosed(reportedBy: parent))))
        #expect(!relay.broadcaster.tree.contains("H"))
    }

    @Test("Ghost: a late report about a link since replaced cannot remove the viewer that came back")
    func lateReportAboutReplacedLink() throws {
        var broadcaster = try BroadcasterStateMachine(tree: BranchTree.joining("ABC", fanout: 2))
        #expect(try broadcaster.tree.linkEpoch(of: "B") == 2)
        // A reports B twice (a re-sent report); B is removed by the first and rejoins
        // under A before the second arrives.
        _ = broadcaster.handle(.received(.closeBranch(.init(child: "B", epoch: 2)), from: "A"), at: .seconds(1))
        _ = broadcaster.handle(.received(.join(.init()), from: "B"), at: .seconds(2))
        #expect(broadcaster.tree.picture == "root(A(C B))")
        let before = broadcaster.tree.snapshot()
        let late = BroadcasterStateMachine.Input.received(.closeBranch(.init(child: "B", epoch: 2)), from: "A")
        let actions = broadcaster.handle(late, at: .seconds(3))
        #expect(actions == [.ignored(.staleEpoch(child: "B", epoch: 2))])
        #expect(broadcaster.tree.snapshot() == before)
        // The report about the current link still works.
        let epoch = try broadcaster.tree.linkEpoch(of: "B")
        let current = BroadcasterStateMachine.Input.received(.closeBranch(.init(child: "B", epoch: epoch)), from: "A")
        let removal = broadcaster.handle(current, at: .seconds(4))
        #expect(removal.first == .viewerRemoved("B", reason: .linkClosed(reportedBy: "A")))
    }

    // MARK: 2. Dark grandchildren

    /// The seed re-fed only the tail and its direct children; everyone two or more levels
    /// below the repaired slot kept a dead stream.
    @Test("Dark grandchildren: everyone below a repair is listed and gets the stream back", arguments: Policy.allCases)
    func darkGrandchildren(policy: Policy) throws {
        var relay = try Self.relay(Self.numbered(30), policy: policy)
        let before = relay.broadcaster.tree
        let subtree = try before.descendants(of: "v2")
        #expect(subtree.count == 14)
        let logStart = relay.broadcasterLog.count
        let viewerLogStart = relay.viewerLog.mapValues(\.count)

        relay.crash("v2")
        Self.expectSettled(&relay)

        let log = Array(relay.broadcasterLog[logStart...])
        let changes = log.compactMap { if case .treeChanged(let change) = $0 { change } else { nil } }
        let change = try #require(changes.first)
        #expect(changes.count == 1)
        #expect(change.subject == "v2")
        // Nobody below the leaver is forgotten.
        #expect(Set(subtree).isSubset(of: Set(change.interrupted)))
        #expect(!change.keepingLink.isEmpty)
        // Those keeping their link got no new connection. Where their parent got a new
        // upstream, it handed the new stream over the kept link with replaceTrack; below
        // a parent that kept its own link, the stream flows on by itself.
        var handedOver = 0
        for kept in change.keepingLink {
            let parent = try #require(try relay.broadcaster.tree.parent(of: kept))
            // A parent may open links to children it adopts (stable's promoted child
            // does), but never a second one to a child that kept its link.
            let parentLog = relay.viewerLog[parent] ?? []
            let openedToKept = parentLog[(viewerLogStart[parent] ?? 0)...].contains {
                if case .openDownstream(let child, _) = $0 { child == kept } else { false }
            }
            #expect(!openedToKept, "\(parent) opened a new link to \(kept)")
            let replaced = (relay.viewerLog[parent] ?? []).contains {
                if case .replaceTrack(let children) = $0 { children.contains(kept) } else { false }
            }
            if change.reconnecting.contains(parent) {
                #expect(replaced, "\(parent) never handed the new stream to \(kept)")
                handedOver += 1
            }
            #expect(relay.receivesStream(kept), "\(kept) has a dead stream")
        }
        #expect(handedOver > 0)
    }

    @Test("Dark grandchildren: a graceful departure deep in the tree re-feeds its whole subtree")
    func darkGrandchildrenGracefulLeave() throws {
        var relay = try Self.relay(Self.numbered(40), fanout: 3)
        let subtree = try relay.broadcaster.tree.descendants(of: "v3")
        #expect(subtree.count >= 9)
        relay.leave("v3")
        Self.expectSettled(&relay)
        for id in subtree { #expect(relay.receivesStream(id), "\(id) has a dead stream") }
    }

    // MARK: 3. Duplicate join

    /// The seed placed a viewer whose `join` was re-sent while the answer was in flight a
    /// second time; it could become its own child.
    @Test("Duplicate join: a join re-sent while the answer is in flight places the viewer once")
    func duplicateJoinInFlight() throws {
        var relay = try Self.relay("ABC")
        relay.held = { $0.to == "D" && $0.message.typeName == "branch_data" }
        relay.start("D")
        relay.advance(to: .seconds(10))  // D re-sends join at 3, 6 and 9 s
        let joins = relay.delivered.filter { $0.from == "D" && $0.message.typeName == "join" }
        #expect(joins.count == 4)
        #expect(relay.mailbox.count == 4, "four answers in flight")
        let answers = Set(relay.mailbox.map(\.message))
        #expect(answers.count == 1, "every answer is the same record")
        #expect(relay.broadcaster.tree.count == 4)
        #expect(relay.broadcaster.tree.picture == "root(A(B(D) C))")
        relay.held = { _ in false }
        Self.expectSettled(&relay)
        let placed = (relay.viewerLog["D"] ?? []).filter { if case .placed = $0 { true } else { false } }
        #expect(
            placed == [
                .placed(parent: "B", depth: 2, keptUpstream: false), .placed(parent: "B", depth: 2, keptUpstream: true),
                .placed(parent: "B", depth: 2, keptUpstream: true), .placed(parent: "B", depth: 2, keptUpstream: true),
            ])
        #expect(try !relay.broadcaster.tree.children(of: "D").contains("D"))
        #expect(try relay.broadcaster.tree.parent(of: "D") == "B")
    }

    @Test("Duplicate join: the broadcaster answers a repeated join with the record, never a second place")
    func duplicateJoinMachine() throws {
        for fanout in 1...3 {
            var broadcaster = try BroadcasterStateMachine(tree: BranchTree(fanout: fanout))
            for id in ["A", "B", "C", "X"] as [ViewerID] {
                _ = broadcaster.handle(.received(.join(.init()), from: id), at: .zero)
            }
            let snapshot = broadcaster.tree.snapshot()
            for round in 1...5 {
                let actions = broadcaster.handle(.received(.join(.init()), from: "X"), at: .seconds(3 * Double(round)))
                #expect(actions.count == 1)
                guard case .send(.branchData(let record), "X") = actions.first else {
                    Issue.record("expected the record, got \(actions)")
                    continue
                }
                #expect(record.parent != "X")
                #expect(!record.children.contains { $0.id == "X" })
            }
            #expect(broadcaster.tree.snapshot() == snapshot)
            #expect(broadcaster.tree.count == 4)
        }
    }

    // MARK: 4. Unknown ids

    /// The seed threw in the middle of a handler on an unknown id, sometimes after
    /// changing state.
    @Test(
        "Unknown ids: every message or event about an unknown id is ignored by the broadcaster, changing nothing",
        arguments: [
            BroadcasterStateMachine.Input.received(.closeBranch(.init(child: "C", epoch: 3)), from: "Z"),
            .received(.closeBranch(.init(child: "Z", epoch: 3)), from: "A"),
            .received(.closeBranch(.init(child: "Z", epoch: 0)), from: "Z"),
            .received(.requestStream(.init(epoch: 1)), from: "Z"),
            .received(.branchData(.init(parent: "Z", epoch: 1, depth: 0, children: [], sequence: 1)), from: "Z"),
            .received(.reconnectRoot, from: "Z"),
            .downstreamConnected("Z"),
            .downstreamClosed("Z"),
        ])
    func unknownIDsBroadcaster(input: BroadcasterStateMachine.Input) throws {
        var broadcaster = try BroadcasterStateMachine(tree: BranchTree.joining("ABCDEFGH", fanout: 2))
        let before = broadcaster.tree.snapshot()
        let actions = broadcaster.handle(input, at: .seconds(5))
        #expect(actions.count == 1)
        #expect(actions.allSatisfy { if case .ignored = $0 { true } else { false } })
        #expect(broadcaster.tree.snapshot() == before)
        try broadcaster.tree.validate()
    }

    @Test(
        "Unknown ids: a viewer ignores messages and events from peers it does not know, changing nothing",
        arguments: [
            ViewerStateMachine.Input.received(.requestStream(.init(epoch: 3)), from: "Z"),
            .received(.branchData(.init(parent: "Z", epoch: 9, depth: 0, children: [], sequence: 9)), from: "Z"),
            .received(.reconnectRoot, from: "Z"),
            .received(.closeBranch(.init(child: "Z", epoch: 1)), from: "root"),
            .downstreamConnected("Z"),
            .downstreamClosed("Z"),
        ])
    func unknownIDsViewer(input: ViewerStateMachine.Input) {
        var viewer = ViewerStateMachine(id: "V", broadcaster: "root")
        _ = viewer.handle(.start, at: .zero)
        let record = RelayMessage.BranchData(
            parent: "P", epoch: 5, depth: 1, children: [.init(id: "C", epoch: 5)], sequence: 5)
        _ = viewer.handle(.received(.branchData(record), from: "root"), at: .seconds(1))
        _ = viewer.handle(.upstreamConnected, at: .seconds(2))
        let before = viewer
        let actions = viewer.handle(input, at: .seconds(5))
        #expect(actions.count == 1)
        #expect(actions.allSatisfy { if case .ignored = $0 { true } else { false } })
        #expect(viewer == before)
    }

    // MARK: 5. Broadcaster restart

    /// The seed had no recovery code: a restarted broadcaster stranded every viewer.
    @Test("Restart: every viewer gets back in", arguments: RestartStrategy.allCases)
    func restart(strategy: RestartStrategy) throws {
        var relay = try Self.relay(Self.numbered(20), fanout: 3)
        let persisted = relay.broadcaster.tree.snapshot().jsonData()
        // The broadcaster goes down for 5 s; v7 leaves meanwhile, unreported.
        relay.stopBroadcaster()
        relay.crash("v7")
        relay.advance(by: .seconds(5))
        let saved = try BranchTree(snapshot: BranchTree.Snapshot(jsonData: persisted))
        let opened = relay.openedConnections
        relay.restartBroadcaster(from: saved, strategy: strategy)
        Self.expectSettled(&relay)
        #expect(relay.broadcaster.tree.count == 19)
        #expect(!relay.broadcaster.tree.contains("v7"))
        let reconnections = relay.openedConnections - opened
        switch strategy {
        case .restore:
            // Only the first viewer and v7's replacement need new connections.
            #expect(reconnections <= 4, "\(reconnections) new connections")
        case .reconnectAll:
            // Every viewer has a new place.
            #expect(reconnections >= 19)
        }
    }

    @Test("Restart: with restore, viewers below the first level keep their connections")
    func restoreKeepsConnections() throws {
        var relay = try Self.relay(Self.numbered(12), fanout: 3)
        let saved = relay.broadcaster.tree
        let opened = relay.openedConnections
        relay.restartBroadcaster(from: saved, strategy: .restore)
        Self.expectSettled(&relay)
        #expect(relay.openedConnections - opened == 1, "only the broadcaster's link to v1 is new")
        #expect(relay.broadcaster.tree == saved)
        let removed = Self.removals(in: relay.broadcasterLog)
        #expect(removed.isEmpty)
    }

    // MARK: 6. A viewer that opens before the broadcaster

    @Test("A viewer that opens before the broadcaster keeps polling and gets in")
    func viewerBeforeBroadcaster() throws {
        var relay = try ScriptedRelay(fanout: 2)
        relay.broadcasterUp = false
        relay.start("early")
        relay.advance(to: .seconds(10))
        #expect(relay.broadcaster.tree.isEmpty)
        relay.broadcasterUp = true
        relay.advance(to: .seconds(12))
        let joins = relay.delivered.filter { $0.from == "early" && $0.message.typeName == "join" }
        #expect(joins.count == 5, "joins at 0, 3, 6, 9 and 12 s")
        #expect(relay.broadcaster.tree.contains("early"))
        #expect(relay.receivesStream("early"))
        Self.expectSettled(&relay)
    }

    // MARK: 7. One user, two windows

    /// The seed's identity was broadcast id + user id, so a second window replaced the
    /// first. A viewer id names a session.
    @Test("One user in two windows is two sessions, two viewers")
    func twoWindows() throws {
        let first = ViewerID(UUID(uuidString: "6B29FC40-CA47-1067-B31D-00DD010662DA")!)
        let second = ViewerID(UUID(uuidString: "6B29FC40-CA47-1067-B31D-00DD010662DB")!)
        var relay = try Self.relay(["A", "B"])
        relay.start(first)
        relay.start(second)
        Self.expectSettled(&relay)
        #expect(relay.broadcaster.tree.count == 4)
        #expect(relay.receivesStream(first) && relay.receivesStream(second))
        relay.leave(first)
        Self.expectSettled(&relay)
        #expect(!relay.broadcaster.tree.contains(first))
        #expect(relay.broadcaster.tree.contains(second))
        #expect(relay.receivesStream(second))
    }

    // MARK: Beyond the seed: recoveries the seed never had to make

    @Test("A failed link between two live viewers: the child is removed, its subtree repaired, and it rejoins")
    func linkGlitch() throws {
        var relay = try Self.relay(Self.numbered(14))
        let child: ViewerID = "v3"
        let parent = try #require(try relay.broadcaster.tree.parent(of: child))
        let subtree = try relay.broadcaster.tree.descendants(of: child)
        let start = relay.now
        relay.breakLink(Link(parent: parent, child: child))
        relay.deliverAll()
        #expect(relay.broadcasterLog.contains(.viewerRemoved(child, reason: .linkClosed(reportedBy: parent))))
        // Its former subtree is re-fed at once, without waiting for it.
        for id in subtree { #expect(relay.receivesStream(id), "\(id) waits for \(child)") }
        // It rejoins when its repair wait runs out.
        relay.advance(to: start + relay.broadcaster.timings.repairTimeout + .seconds(1))
        #expect(relay.broadcaster.tree.contains(child))
        #expect(relay.receivesStream(child))
        Self.expectSettled(&relay)
    }

    @Test("A viewer that cannot relay, evicted for want of a slot, gets back in once a slot exists")
    func evictedViewerReturns() throws {
        var relay = try ScriptedRelay(fanout: 2)
        relay.start("A")
        relay.deliverAll()
        relay.start("N1", relayable: false)
        relay.deliverAll()
        relay.start("N2", relayable: false)
        relay.deliverAll()
        #expect(relay.broadcaster.tree.picture == "root(A(N1 N2))")
        relay.crash("A")
        relay.deliverAll()
        let changes = relay.broadcasterLog.compactMap { if case .treeChanged(let change) = $0 { change } else { nil } }
        #expect(changes.last?.evicted == ["N2"])
        #expect(relay.broadcaster.tree.picture == "root(N1)")
        // N2 keeps asking and is refused while no node can take it...
        relay.advance(by: .seconds(60))
        #expect(!relay.broadcaster.tree.contains("N2"))
        #expect(relay.broadcasterLog.contains(.ignored(.joinRefused("N2", .noRelaySlot("N2")))))
        // ...until a viewer that relays arrives.
        relay.start("B")
        Self.expectSettled(&relay)
        #expect(relay.broadcaster.tree.contains("N2"))
        #expect(relay.broadcaster.tree.picture == "root(B(N1 N2))")
    }
}
