import Testing

@testable import BranchTree

private let root: ViewerID = "root"

private func closeBranch(_ child: ViewerID, epoch: UInt64) -> RelayMessage {
    .closeBranch(.init(child: child, epoch: epoch))
}

@Suite("BroadcasterStateMachine")
struct BroadcasterStateMachineTests {
    /// A broadcaster whose viewers `ids` joined in order at 0 s (viewer i at link epoch
    /// i + 1); its first viewers asked for the stream and are connected, and its stale
    /// downstream timer (15 s) has fired. Tests go on from 20 s.
    static func machine(
        _ ids: String, fanout: Int = 2, broadcasterFanout: Int = 1, policy: Policy = .skyway
    ) throws -> BroadcasterStateMachine {
        var broadcaster = try BroadcasterStateMachine(
            tree: BranchTree(fanout: fanout, broadcasterFanout: broadcasterFanout, policy: policy))
        for id in ids {
            _ = broadcaster.handle(.received(.join(.init()), from: ViewerID(String(id))), at: .zero)
        }
        for first in try broadcaster.tree.children(of: root) {
            let epoch = try broadcaster.tree.linkEpoch(of: first)
            _ = broadcaster.handle(.received(.requestStream(.init(epoch: epoch)), from: first), at: .zero)
            _ = broadcaster.handle(.downstreamConnected(first), at: .zero)
        }
        _ = broadcaster.handle(.timerFired(.downstream), at: .seconds(15))
        try broadcaster.tree.validate()
        return broadcaster
    }

    /// Handles `input`, then checks the tree's invariants and that every viewer whose
    /// place changed was told (see ``ProtocolChecks/recordFailure(actions:before:after:)``).
    @discardableResult
    static func step(
        _ broadcaster: inout BroadcasterStateMachine, _ input: BroadcasterStateMachine.Input, at seconds: Double,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> [BroadcasterAction] {
        var before = broadcaster.tree
        if case .restarted(let saved, _) = input { before = saved }
        let actions = broadcaster.handle(input, at: .seconds(seconds))
        #expect(ProtocolChecks.validationFailure(broadcaster.tree) == nil, sourceLocation: sourceLocation)
        #expect(
            ProtocolChecks.recordFailure(actions: actions, before: before, after: broadcaster.tree) == nil,
            sourceLocation: sourceLocation)
        return actions
    }

    /// Asserts that `input` is ignored for `reason` and changes nothing in the tree.
    static func expectIgnored(
        _ broadcaster: inout BroadcasterStateMachine, _ input: BroadcasterStateMachine.Input,
        _ reason: BroadcasterStateMachine.IgnoreReason, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let before = broadcaster.tree.snapshot()
        let actions = step(&broadcaster, input, at: 30, sourceLocation: sourceLocation)
        #expect(actions == [.ignored(reason)], sourceLocation: sourceLocation)
        #expect(broadcaster.tree.snapshot() == before, sourceLocation: sourceLocation)
    }

    // MARK: Joining

    @Test("The first join places the first viewer, tells it, and waits for its request")
    func firstJoin() throws {
        var broadcaster = try BroadcasterStateMachine(tree: BranchTree(fanout: 2))
        let actions = Self.step(&broadcaster, .received(.join(.init()), from: "A"), at: 0)
        #expect(
            actions == [
                .treeChanged(
                    TreeChange(subject: "A", outcome: .joined(parent: root, depth: 0), linksCreated: [relay(root, "A")])
                ),
                .send(record(root, epoch: 1, depth: 0, sequence: 1), to: "A"),
                .setTimer(.downstream, at: .seconds(15)),
            ])
        #expect(broadcaster.tree.picture == "root(A)")
    }

    @Test("A join tells the joiner and its parent, with link epochs and the tree's version")
    func joinTellsParent() throws {
        var broadcaster = try Self.machine("ABC")
        let before = broadcaster.tree
        let actions = Self.step(&broadcaster, .received(.join(.init()), from: "D"), at: 20)
        var expectedTree = before
        let change = try expectedTree.join("D")
        #expect(
            actions == [
                .treeChanged(change),
                .send(record("B", epoch: 4, depth: 2, sequence: 4), to: "D"),
                .send(record("A", epoch: 2, depth: 1, ["D": 4], sequence: 4), to: "B"),
            ])
        #expect(change.linksCreated == [relay("B", "D")])
        #expect(broadcaster.tree == expectedTree)
        #expect(broadcaster.tree.picture == "root(A(B(D) C))")
    }

    @Test("A join under the broadcaster (a second first viewer) adds a link the broadcaster waits for")
    func secondFirstViewer() throws {
        var broadcaster = try Self.machine("A", broadcasterFanout: 2)
        let actions = Self.step(&broadcaster, .received(.join(.init()), from: "B"), at: 20)
        #expect(
            actions == [
                .treeChanged(
                    TreeChange(subject: "B", outcome: .joined(parent: root, depth: 0), linksCreated: [relay(root, "B")])
                ),
                .send(record(root, epoch: 2, depth: 0, sequence: 2), to: "B"),
                .setTimer(.downstream, at: .seconds(35)),
            ])
    }

    @Test("A repeated join changes nothing and sends the same record again", arguments: ["A", "B", "H"] as [ViewerID])
    func duplicateJoin(viewer: ViewerID) throws {
        var broadcaster = try Self.machine("ABCDEFGH")
        let before = broadcaster.tree.snapshot()
        let expected = try #require(broadcaster.tree.branchData(for: viewer))
        for round in 0..<3 {
            let actions = Self.step(&broadcaster, .received(.join(.init()), from: viewer), at: 20 + Double(round))
            #expect(actions == [.send(.branchData(expected), to: viewer)])
        }
        #expect(broadcaster.tree.snapshot() == before)
        #expect(expected.sequence == 8)
    }

    @Test("A repeated join with other capabilities still changes nothing")
    func duplicateJoinOtherCapacity() throws {
        var broadcaster = try Self.machine("ABC")
        let before = broadcaster.tree.snapshot()
        let actions = Self.step(&broadcaster, .received(.join(.init(relayable: false)), from: "A"), at: 20)
        #expect(actions == [.send(record(root, epoch: 1, depth: 0, ["B": 2, "C": 3], sequence: 3), to: "A")])
        #expect(broadcaster.tree.snapshot() == before)
    }

    @Test(
        "A join the tree refuses is ignored with the tree's reason",
        arguments: [
            (ViewerID("root"), RelayMessage.Join(), BranchTreeError.reservedID("root")),
            ("", .init(), .emptyID),
            ("X", .init(capacity: 3), .invalidCapacity(3, fanout: 2)),
            ("X", .init(relayable: false, capacity: 1), .invalidCapacity(1, fanout: 2)),
            ("X", .init(capacity: -1), .invalidCapacity(-1, fanout: 2)),
        ])
    func refusedJoin(sender: ViewerID, join: RelayMessage.Join, error: BranchTreeError) throws {
        var broadcaster = try Self.machine("ABC")
        Self.expectIgnored(&broadcaster, .received(.join(join), from: sender), .joinRefused(sender, error))
    }

    @Test("A viewer that cannot relay is refused when no slot is left, and placed once one is")
    func noRelaySlot() throws {
        var broadcaster = try BroadcasterStateMachine(tree: BranchTree(fanout: 1))
        _ = Self.step(&broadcaster, .received(.join(.init(relayable: false)), from: "A"), at: 0)
        Self.expectIgnored(
            &broadcaster, .received(.join(.init(relayable: false)), from: "B"), .joinRefused("B", .noRelaySlot("B")))
        // A relayable viewer takes A's place and A moves below it: both are told.
        let actions = Self.step(&broadcaster, .received(.join(.init()), from: "C"), at: 31)
        #expect(broadcaster.tree.picture == "root(C(A))")
        #expect(actions.contains(.send(record(root, epoch: 2, depth: 0, ["A": 2], sequence: 2), to: "C")))
        #expect(actions.contains(.send(record("C", epoch: 2, depth: 1, sequence: 2), to: "A")))
    }

    // MARK: close_branch

    @Test("close_branch from the parent with the link's epoch removes the viewer and re-feeds everyone affected")
    func closeBranchRemoves() throws {
        var broadcaster = try Self.machine("ABCDEFGH")
        #expect(broadcaster.tree.picture == "root(A(B(D(H) E) C(F G)))")
        var expectedTree = broadcaster.tree
        let change = try expectedTree.leave("C")
        let actions = Self.step(&broadcaster, .received(closeBranch("C", epoch: 3), from: "A"), at: 20)
        #expect(broadcaster.tree.picture == "root(A(B(D E) H(F G)))")
        #expect(broadcaster.tree.snapshot() == expectedTree.snapshot())
        #expect(
            change.moves == [
                move("H", from: "D", to: "A", depths: 3, 1), move("F", from: "C", to: "H", depths: 2, 2),
                move("G", from: "C", to: "H", depths: 2, 2),
            ])
        #expect(
            actions == [
                .viewerRemoved("C", reason: .linkClosed(reportedBy: "A")),
                .treeChanged(change),
                .send(record("A", epoch: 9, depth: 1, ["F": 9, "G": 9], sequence: 9), to: "H"),
                .send(record(root, epoch: 1, depth: 0, ["B": 2, "H": 9], sequence: 9), to: "A"),
                .send(record("H", epoch: 9, depth: 2, sequence: 9), to: "F"),
                .send(record("H", epoch: 9, depth: 2, sequence: 9), to: "G"),
                .send(record("B", epoch: 4, depth: 2, sequence: 9), to: "D"),
                // C may still be watching (only its link closed): it is told to join again.
                .send(.reconnectRoot, to: "C"),
            ])
        #expect(
            ProtocolChecks.lastRecords(in: actions).map(\.viewer)
                == ProtocolChecks.recipients(of: change, in: broadcaster.tree))
    }

    @Test("Removing a leaf on the deepest level re-feeds only its parent")
    func closeBranchLeaf() throws {
        var broadcaster = try Self.machine("ABCDEFGH")
        let actions = Self.step(&broadcaster, .received(closeBranch("H", epoch: 8), from: "D"), at: 20)
        #expect(
            actions == [
                .viewerRemoved("H", reason: .linkClosed(reportedBy: "D")),
                .treeChanged(TreeChange(subject: "H", outcome: .left, linksCut: [relay("D", "H")])),
                .send(record("B", epoch: 4, depth: 2, sequence: 9), to: "D"),
                .send(.reconnectRoot, to: "H"),
            ])
    }

    @Test(
        "Any departure re-feeds exactly the viewers its TreeChange touches, under both policies",
        arguments: Policy.allCases)
    func everyDeparture(policy: Policy) throws {
        for leaver in "ABCDEFGHIJ".map({ ViewerID(String($0)) }) {
            var broadcaster = try Self.machine("ABCDEFGHIJ", policy: policy)
            let before = broadcaster.tree
            var expectedTree = before
            let change = try expectedTree.leave(leaver)
            let parent = try #require(try before.parent(of: leaver))
            let input: BroadcasterStateMachine.Input =
                parent == root
                ? .downstreamClosed(leaver)
                : .received(closeBranch(leaver, epoch: try before.linkEpoch(of: leaver)), from: parent)
            let actions = Self.step(&broadcaster, input, at: 20)
            var expected: [BroadcasterAction] = [
                .viewerRemoved(leaver, reason: .linkClosed(reportedBy: parent)), .treeChanged(change),
            ]
            for recipient in ProtocolChecks.recipients(of: change, in: expectedTree) {
                let record = try #require(expectedTree.branchData(for: recipient))
                expected.append(.send(.branchData(record), to: recipient))
            }
            #expect(Array(actions.prefix(expected.count)) == expected, "\(leaver) leaves")
            // Then only the broadcaster's own link to a new first viewer, and the removed
            // viewer is told to join again.
            #expect(actions.last == .send(.reconnectRoot, to: leaver))
            for action in actions.dropFirst(expected.count).dropLast() {
                #expect(action == .setTimer(.downstream, at: .seconds(35)), "\(leaver) leaves: \(action)")
            }
            #expect(broadcaster.tree.snapshot() == expectedTree.snapshot())
            // Nobody below the leaver is forgotten.
            #expect(Set(try before.descendants(of: leaver)).isSubset(of: Set(change.interrupted)))
        }
    }

    @Test(
        "Every close_branch that does not quote the current link is ignored and changes nothing",
        arguments: [
            // A stale epoch: the link C had before (none older exists, so any other number).
            (
                ViewerID("A"), ViewerID("C"), UInt64(2),
                BroadcasterStateMachine.IgnoreReason.staleEpoch(child: "C", epoch: 2)
            ),
            ("A", "C", 9, .staleEpoch(child: "C", epoch: 9)),
            // Not the parent: a sibling, a grandparent, the child itself.
            ("B", "C", 3, .notParent(reporter: "B", child: "C")),
            ("root", "D", 4, .unknownSender("root")),
            ("A", "D", 4, .notParent(reporter: "A", child: "D")),
            ("D", "D", 4, .notParent(reporter: "D", child: "D")),
            // About a viewer that is not in the tree, or the broadcaster.
            ("A", "Z", 3, .unknownViewer("Z")),
            ("A", "root", 0, .unknownViewer("root")),
            // From someone who is not in the tree.
            ("Z", "C", 3, .unknownSender("Z")),
            ("", "C", 3, .unknownSender("")),
        ])
    func closeBranchIgnored(
        reporter: ViewerID, child: ViewerID, epoch: UInt64, reason: BroadcasterStateMachine.IgnoreReason
    ) throws {
        var broadcaster = try Self.machine("ABCDEFGH")
        Self.expectIgnored(&broadcaster, .received(closeBranch(child, epoch: epoch), from: reporter), reason)
    }

    @Test("A report about a moved viewer from its old parent is stale; its new parent's report counts")
    func reportFromOldParent() throws {
        var broadcaster = try Self.machine("ABCDEFGH")
        _ = Self.step(&broadcaster, .received(closeBranch("C", epoch: 3), from: "A"), at: 20)
        // D saw its link to H close (H moved on purpose) and reports it late.
        Self.expectIgnored(
            &broadcaster, .received(closeBranch("H", epoch: 8), from: "D"), .notParent(reporter: "D", child: "H"))
        // The leaver reports its old children: it is not in the tree any more.
        Self.expectIgnored(&broadcaster, .received(closeBranch("F", epoch: 6), from: "C"), .unknownSender("C"))
        // H's real departure, reported by its current parent with the current epoch.
        let actions = Self.step(&broadcaster, .received(closeBranch("H", epoch: 9), from: "A"), at: 40)
        #expect(actions.first == .viewerRemoved("H", reason: .linkClosed(reportedBy: "A")))
        #expect(!broadcaster.tree.contains("H"))
    }

    // MARK: The broadcaster's own links

    @Test("request_stream from a first viewer opens the broadcaster's link; anything else is ignored")
    func requestStream() throws {
        var broadcaster = try BroadcasterStateMachine(tree: BranchTree(fanout: 2))
        _ = Self.step(&broadcaster, .received(.join(.init()), from: "A"), at: 0)
        _ = Self.step(&broadcaster, .received(.join(.init()), from: "B"), at: 0)
        #expect(
            Self.step(&broadcaster, .received(.requestStream(.init(epoch: 1)), from: "A"), at: 1)
                == [.openDownstream(child: "A", epoch: 1)])
        Self.expectIgnored(&broadcaster, .received(.requestStream(.init(epoch: 1)), from: "A"), .duplicateRequest("A"))
        Self.expectIgnored(
            &broadcaster, .received(.requestStream(.init(epoch: 7)), from: "A"), .unknownLink(child: "A", epoch: 7))
        Self.expectIgnored(
            &broadcaster, .received(.requestStream(.init(epoch: 2)), from: "B"), .unknownLink(child: "B", epoch: 2))
        Self.expectIgnored(&broadcaster, .received(.requestStream(.init(epoch: 1)), from: "Z"), .unknownSender("Z"))
        #expect(Self.step(&broadcaster, .downstreamConnected("A"), at: 2) == [])
        Self.expectIgnored(&broadcaster, .received(.requestStream(.init(epoch: 1)), from: "A"), .duplicateRequest("A"))
        Self.expectIgnored(&broadcaster, .downstreamConnected("B"), .unknownLinkEvent("B"))
        Self.expectIgnored(&broadcaster, .downstreamClosed("B"), .unknownLinkEvent("B"))
        Self.expectIgnored(&broadcaster, .downstreamClosed("Z"), .unknownLinkEvent("Z"))
    }

    @Test("The broadcaster's link to a first viewer closing removes that viewer")
    func firstViewerLinkCloses() throws {
        var broadcaster = try Self.machine("ABC")
        var expectedTree = broadcaster.tree
        let change = try expectedTree.leave("A")
        let actions = Self.step(&broadcaster, .downstreamClosed("A"), at: 20)
        #expect(
            actions == [
                .viewerRemoved("A", reason: .linkClosed(reportedBy: root)),
                .treeChanged(change),
                .send(record(root, epoch: 4, depth: 0, ["C": 4], sequence: 4), to: "B"),
                .send(record("B", epoch: 4, depth: 1, sequence: 4), to: "C"),
                .setTimer(.downstream, at: .seconds(35)),
                .send(.reconnectRoot, to: "A"),
            ])
        #expect(broadcaster.tree.picture == "root(B(C))")
        // The new first viewer must ask for the new link.
        #expect(
            Self.step(&broadcaster, .received(.requestStream(.init(epoch: 4)), from: "B"), at: 21)
                == [.openDownstream(child: "B", epoch: 4)])
        Self.expectIgnored(&broadcaster, .downstreamClosed("A"), .unknownLinkEvent("A"))
    }

    @Test("A first viewer that never asks for the stream is removed after connectTimeout")
    func firstViewerNeverAsks() throws {
        var broadcaster = try BroadcasterStateMachine(tree: BranchTree(fanout: 2))
        _ = Self.step(&broadcaster, .received(.join(.init()), from: "A"), at: 0)
        _ = Self.step(&broadcaster, .received(.join(.init()), from: "B"), at: 1)
        #expect(Self.step(&broadcaster, .timerFired(.downstream), at: 14).isEmpty)
        let actions = Self.step(&broadcaster, .timerFired(.downstream), at: 15)
        #expect(
            actions == [
                .viewerRemoved("A", reason: .linkClosed(reportedBy: root)),
                .treeChanged(
                    TreeChange(
                        subject: "A", outcome: .left,
                        moves: [move("B", from: "A", to: root, depths: 1, 0)],
                        linksCut: [relay(root, "A"), relay("A", "B")], linksCreated: [relay(root, "B")],
                        reconnecting: ["B"])),
                .send(record(root, epoch: 3, depth: 0, sequence: 3), to: "B"),
                .setTimer(.downstream, at: .seconds(30)),
                .send(.reconnectRoot, to: "A"),
            ])
        #expect(broadcaster.tree.picture == "root(B)")
    }

    @Test("A first viewer that asked but never connected is closed and removed")
    func firstViewerNeverConnects() throws {
        var broadcaster = try BroadcasterStateMachine(tree: BranchTree(fanout: 2))
        _ = Self.step(&broadcaster, .received(.join(.init()), from: "A"), at: 0)
        _ = Self.step(&broadcaster, .received(.requestStream(.init(epoch: 1)), from: "A"), at: 5)
        #expect(Self.step(&broadcaster, .timerFired(.downstream), at: 15) == [.setTimer(.downstream, at: .seconds(20))])
        #expect(
            Self.step(&broadcaster, .timerFired(.downstream), at: 20) == [
                .closeLink("A"),
                .viewerRemoved("A", reason: .linkClosed(reportedBy: root)),
                .treeChanged(TreeChange(subject: "A", outcome: .left, linksCut: [relay(root, "A")])),
                .send(.reconnectRoot, to: "A"),
            ])
        #expect(broadcaster.tree.isEmpty)
        Self.expectIgnored(&broadcaster, .timerFired(.downstream), .staleTimer(.downstream))
    }

    // MARK: Disconnections and removed viewers

    @Test(
        "A disconnection removes the viewer at once, whoever its parent, and tells nobody to rejoin",
        arguments: Policy.allCases)
    func disconnectionRemoves(policy: Policy) throws {
        for leaver in "ABCDEFGH".map({ ViewerID(String($0)) }) {
            var broadcaster = try Self.machine("ABCDEFGH", policy: policy)
            let parent = try #require(try broadcaster.tree.parent(of: leaver))
            var expectedTree = broadcaster.tree
            let change = try expectedTree.leave(leaver)
            let actions = Self.step(&broadcaster, .viewerDisconnected(leaver), at: 20)
            #expect(Array(actions.prefix(2)) == [.viewerRemoved(leaver, reason: .disconnected), .treeChanged(change)])
            #expect(!actions.contains(.send(.reconnectRoot, to: leaver)), "\(leaver) is gone: nobody to tell")
            #expect(broadcaster.tree.snapshot() == expectedTree.snapshot())
            // Its parent's report, arriving later, is about a viewer no longer there.
            if parent != root {
                Self.expectIgnored(
                    &broadcaster, .received(closeBranch(leaver, epoch: 1), from: parent), .unknownViewer(leaver))
            }
            Self.expectIgnored(&broadcaster, .viewerDisconnected(leaver), .unknownViewer(leaver))
        }
    }

    @Test("A disconnection of an unknown viewer is ignored")
    func disconnectionOfUnknownViewer() throws {
        var broadcaster = try Self.machine("AB")
        Self.expectIgnored(&broadcaster, .viewerDisconnected("Z"), .unknownViewer("Z"))
    }

    @Test("A viewer that disconnects during a restore window is no longer awaited")
    func disconnectionDuringRestore() throws {
        let saved = try Self.machine("ABC").tree
        var broadcaster = BroadcasterStateMachine(tree: saved)
        _ = Self.step(&broadcaster, .restarted(from: saved, strategy: .restore), at: 100)
        #expect(broadcaster.awaitingConfirmation == ["A", "B", "C"])
        _ = Self.step(&broadcaster, .viewerDisconnected("C"), at: 101)
        #expect(broadcaster.awaitingConfirmation == ["A", "B"])
        #expect(!broadcaster.tree.contains("C"))
    }

    @Test("A viewer evicted by a repair (no relay slot left) is told to join again")
    func evictedViewerIsTold() throws {
        var broadcaster = try BroadcasterStateMachine(tree: BranchTree(fanout: 2, policy: .rejoin))
        _ = Self.step(&broadcaster, .received(.join(.init()), from: "A"), at: 0)
        _ = Self.step(&broadcaster, .received(.join(.init(relayable: false)), from: "B"), at: 0)
        _ = Self.step(&broadcaster, .received(.join(.init(relayable: false)), from: "C"), at: 0)
        let actions = Self.step(&broadcaster, .viewerDisconnected("A"), at: 1)
        guard case .treeChanged(let change) = actions.dropFirst().first else {
            Issue.record("no tree change: \(actions)")
            return
        }
        #expect(change.evicted == ["C"])
        #expect(actions.contains(.send(.reconnectRoot, to: "C")))
        #expect(!actions.contains(.send(.reconnectRoot, to: "A")))
    }

    @Test("A connected first viewer is never timed out")
    func connectedFirstViewerStays() throws {
        var broadcaster = try Self.machine("AB")
        Self.expectIgnored(&broadcaster, .timerFired(.downstream), .staleTimer(.downstream))
        #expect(broadcaster.tree.contains("A"))
    }

    @Test(
        "Messages only viewers handle are ignored",
        arguments: [
            (record(root, epoch: 1, depth: 0, sequence: 1), ViewerID("A")),
            (RelayMessage.reconnectRoot, ViewerID("A")),
            (RelayMessage.reconnectRoot, ViewerID("Z")),
            (record("A", epoch: 1, depth: 0, sequence: 99), ViewerID("root")),
        ])
    func viewerMessagesIgnored(message: RelayMessage, sender: ViewerID) throws {
        var broadcaster = try Self.machine("ABC")
        Self.expectIgnored(
            &broadcaster, .received(message, from: sender), .unexpectedMessage(message.typeName, from: sender))
    }

    @Test("A restore-window timer with no restore is stale")
    func staleRestoreTimer() throws {
        var broadcaster = try Self.machine("ABC")
        Self.expectIgnored(&broadcaster, .timerFired(.restoreWindow), .staleTimer(.restoreWindow))
    }

    // MARK: Restart: reconnect-all

    @Test(
        "Restart with reconnect-all: reconnect_root to every saved viewer, empty tree, numbering above the restart time",
        arguments: Policy.allCases)
    func restartReconnectAll(policy: Policy) throws {
        var broadcaster = try Self.machine("ABCDEFGH", policy: policy)
        let saved = broadcaster.tree
        let restart = Timestamp.seconds(100)
        let actions = Self.step(&broadcaster, .restarted(from: saved, strategy: .reconnectAll), at: restart.seconds)
        #expect(actions == "ABCDEFGH".map { .send(.reconnectRoot, to: ViewerID(String($0))) })
        #expect(broadcaster.tree.isEmpty)
        #expect(broadcaster.tree.configuration == saved.configuration)
        #expect(broadcaster.tree.broadcaster == root)
        #expect(broadcaster.tree.version >= UInt64(restart.nanoseconds))
        #expect(broadcaster.awaitingConfirmation.isEmpty)
        // Everyone rejoins, in whatever order their joins arrive; every record is newer
        // than anything the old process sent.
        for (index, id) in "HGFEDCBA".enumerated() {
            let join = BroadcasterStateMachine.Input.received(.join(.init()), from: ViewerID(String(id)))
            let actions = Self.step(&broadcaster, join, at: 101 + Double(index))
            for (_, sent) in ProtocolChecks.lastRecords(in: actions) {
                #expect(sent.sequence > saved.version && sent.epoch > saved.version)
            }
        }
        #expect(broadcaster.tree.picture == "root(H(G(E(A) D) F(C B)))")
        // The old process's timers and links are gone.
        Self.expectIgnored(&broadcaster, .downstreamClosed("A"), .unknownLinkEvent("A"))
    }

    @Test("Restart numbering stays above a save that is newer than the clock")
    func restartKeepsVersionFloor() throws {
        var broadcaster = try Self.machine("ABC")
        let saved = broadcaster.tree
        _ = Self.step(&broadcaster, .restarted(from: saved, strategy: .reconnectAll), at: 0)
        #expect(broadcaster.tree.version >= saved.version)
        let actions = Self.step(&broadcaster, .received(.join(.init()), from: "A"), at: 1)
        #expect(ProtocolChecks.lastRecords(in: actions).map(\.record.sequence) == [saved.version + 1])
    }

    @Test("Restart from a stale save: everything after the restart is newer than everything before")
    func restartFromStaleSave() throws {
        var broadcaster = try Self.machine("ABC")
        let stale = broadcaster.tree
        for id in "DEFGHIJ" {
            _ = Self.step(&broadcaster, .received(.join(.init()), from: ViewerID(String(id))), at: 20)
        }
        let lastBefore = broadcaster.tree.version
        for strategy in RestartStrategy.allCases {
            var restarted = broadcaster
            let actions = Self.step(&restarted, .restarted(from: stale, strategy: strategy), at: 60)
            #expect(restarted.tree.version > lastBefore)
            for (_, sent) in ProtocolChecks.lastRecords(in: actions) {
                #expect(sent.sequence > lastBefore && sent.epoch > lastBefore)
            }
        }
    }

    // MARK: Restart: restore

    @Test(
        "Restart with restore: the tree comes back, first viewers get a new link, the others confirm",
        arguments: Policy.allCases)
    func restartRestore(policy: Policy) throws {
        var broadcaster = try Self.machine("ABCDEFG", policy: policy)
        let saved = broadcaster.tree
        #expect(saved.picture == "root(A(B(D E) C(F G)))")
        let restart = Timestamp.seconds(100)
        let epoch = UInt64(restart.nanoseconds) + 1
        let actions = Self.step(&broadcaster, .restarted(from: saved, strategy: .restore), at: 100)
        #expect(
            actions == [
                .setTimer(.restoreWindow, at: .seconds(110)),
                .setTimer(.downstream, at: .seconds(115)),
                .send(record(root, epoch: epoch, depth: 0, ["B": 2, "C": 3], sequence: epoch), to: "A"),
            ] + "BCDEFG".map { .send(.reconnectRoot, to: ViewerID(String($0))) })
        #expect(broadcaster.tree == saved)
        #expect(broadcaster.tree.version == epoch)
        #expect(try broadcaster.tree.linkEpoch(of: "A") == epoch)
        #expect(try broadcaster.tree.linkEpoch(of: "B") == 2)
        #expect(broadcaster.awaitingConfirmation == ["A", "B", "C", "D", "E", "F", "G"])

        // The old link is dead: a request quoting it is refused; the new one is opened.
        Self.expectIgnored(
            &broadcaster, .received(.requestStream(.init(epoch: 1)), from: "A"), .unknownLink(child: "A", epoch: 1))
        #expect(
            Self.step(&broadcaster, .received(.requestStream(.init(epoch: epoch)), from: "A"), at: 101)
                == [.openDownstream(child: "A", epoch: epoch)])
        _ = Self.step(&broadcaster, .downstreamConnected("A"), at: 102)
        // B, D and E confirm with join: the same record again, nothing changes.
        for id in ["B", "D", "E"] as [ViewerID] {
            let expected = try #require(broadcaster.tree.branchData(for: id))
            #expect(
                Self.step(&broadcaster, .received(.join(.init()), from: id), at: 103)
                    == [.send(.branchData(expected), to: id)])
        }
        #expect(broadcaster.awaitingConfirmation == ["C", "F", "G"])
        #expect(broadcaster.tree == saved)

        // Early timers change nothing.
        #expect(Self.step(&broadcaster, .timerFired(.restoreWindow), at: 105).isEmpty)
        // At the deadline the silent ones go, deepest first, each level from its end.
        var expectedTree = broadcaster.tree
        var expected: [BroadcasterAction] = []
        for id in ["G", "F", "C"] as [ViewerID] {
            expected.append(.viewerRemoved(id, reason: .unconfirmedAfterRestart))
            let change = try expectedTree.leave(id)
            expected.append(.treeChanged(change))
            for recipient in ProtocolChecks.recipients(of: change, in: expectedTree) {
                let record = try #require(expectedTree.branchData(for: recipient))
                expected.append(.send(.branchData(record), to: recipient))
            }
            expected.append(.send(.reconnectRoot, to: id))
        }
        let ending = Self.step(&broadcaster, .timerFired(.restoreWindow), at: 110)
        #expect(ending == expected)
        #expect(broadcaster.tree == expectedTree)
        // C is a leaf above the deepest level: skyway pulls the tail D up into its place.
        #expect(broadcaster.tree.picture == (policy == .skyway ? "root(A(B(E) D))" : "root(A(B(D E)))"))
        #expect(broadcaster.awaitingConfirmation.isEmpty)
        Self.expectIgnored(&broadcaster, .timerFired(.restoreWindow), .staleTimer(.restoreWindow))
    }

    @Test("Restore: a silent viewer above confirmed ones is repaired like a departure", arguments: Policy.allCases)
    func restoreRemovesInnerSilentViewer(policy: Policy) throws {
        var broadcaster = try Self.machine("ABCDEFG", policy: policy)
        let saved = broadcaster.tree
        _ = Self.step(&broadcaster, .restarted(from: saved, strategy: .restore), at: 100)
        let epoch = try broadcaster.tree.linkEpoch(of: "A")
        _ = Self.step(&broadcaster, .received(.requestStream(.init(epoch: epoch)), from: "A"), at: 101)
        for id in ["C", "D", "E", "F"] as [ViewerID] {
            _ = Self.step(&broadcaster, .received(.join(.init()), from: id), at: 102)
        }
        let ending = Self.step(&broadcaster, .timerFired(.restoreWindow), at: 110)
        let removed = ending.compactMap { action -> ViewerID? in
            if case .viewerRemoved(let id, .unconfirmedAfterRestart) = action { id } else { nil }
        }
        #expect(removed == ["G", "B"])
        var expectedTree = saved
        try expectedTree.leave("G")
        try expectedTree.leave("B")
        #expect(broadcaster.tree == expectedTree)
        for id in ["A", "C", "D", "E", "F"] as [ViewerID] { #expect(broadcaster.tree.contains(id)) }
    }

    @Test("Restore: a first viewer that never asks for its new link goes at the end of the window")
    func restoreSilentFirstViewer() throws {
        var broadcaster = try Self.machine("ABC")
        let saved = broadcaster.tree
        _ = Self.step(&broadcaster, .restarted(from: saved, strategy: .restore), at: 100)
        for id in ["B", "C"] as [ViewerID] { _ = Self.step(&broadcaster, .received(.join(.init()), from: id), at: 101) }
        let ending = Self.step(&broadcaster, .timerFired(.restoreWindow), at: 110)
        #expect(ending.first == .viewerRemoved("A", reason: .unconfirmedAfterRestart))
        #expect(broadcaster.tree.picture == "root(B(C))")
        // The new first viewer is told, and the broadcaster expects its request.
        let epoch = try broadcaster.tree.linkEpoch(of: "B")
        #expect(ending.contains(.send(record(root, epoch: epoch, depth: 0, ["C": epoch], sequence: epoch), to: "B")))
        #expect(
            Self.step(&broadcaster, .received(.requestStream(.init(epoch: epoch)), from: "B"), at: 111)
                == [.openDownstream(child: "B", epoch: epoch)])
    }

    @Test("Restore with several first viewers re-feeds each of them", arguments: Policy.allCases)
    func restoreSeveralFirstViewers(policy: Policy) throws {
        var broadcaster = try Self.machine("ABCDE", broadcasterFanout: 2, policy: policy)
        let saved = broadcaster.tree
        #expect(saved.picture == "root(A(C D) B(E))")
        let actions = Self.step(&broadcaster, .restarted(from: saved, strategy: .restore), at: 50)
        let epoch = UInt64(Timestamp.seconds(50).nanoseconds) + 1
        #expect(ProtocolChecks.lastRecords(in: actions).map(\.viewer) == ["A", "B"])
        #expect(try broadcaster.tree.linkEpoch(of: "A") == epoch)
        #expect(try broadcaster.tree.linkEpoch(of: "B") == epoch)
        #expect(actions.contains(.send(.reconnectRoot, to: "C")) && actions.contains(.send(.reconnectRoot, to: "E")))
        #expect(!actions.contains(.send(.reconnectRoot, to: "A")))
    }

    @Test("A join during the restore window from a new viewer is placed as usual")
    func newViewerDuringRestore() throws {
        var broadcaster = try Self.machine("ABC")
        _ = Self.step(&broadcaster, .restarted(from: broadcaster.tree, strategy: .restore), at: 100)
        let actions = Self.step(&broadcaster, .received(.join(.init()), from: "N"), at: 101)
        #expect(actions.contains { if case .treeChanged = $0 { true } else { false } })
        #expect(try broadcaster.tree.parent(of: "N") == "B")
        // N never needs to confirm: it was not in the saved tree.
        #expect(broadcaster.awaitingConfirmation == ["A", "B", "C"])
    }

    @Test("A departure during the restore window is handled at once, and not again at its end")
    func departureDuringRestore() throws {
        var broadcaster = try Self.machine("ABCDEFG")
        _ = Self.step(&broadcaster, .restarted(from: broadcaster.tree, strategy: .restore), at: 100)
        _ = Self.step(&broadcaster, .received(closeBranch("G", epoch: 7), from: "C"), at: 101)
        #expect(!broadcaster.tree.contains("G"))
        #expect(!broadcaster.awaitingConfirmation.contains("G"))
        let ending = Self.step(&broadcaster, .timerFired(.restoreWindow), at: 110)
        #expect(!ending.contains(.viewerRemoved("G", reason: .unconfirmedAfterRestart)))
        #expect(broadcaster.tree.isEmpty)
    }

    @Test("A second restart replaces the first one's window and links")
    func restartTwice() throws {
        var broadcaster = try Self.machine("ABC")
        let saved = broadcaster.tree
        _ = Self.step(&broadcaster, .restarted(from: saved, strategy: .restore), at: 100)
        _ = Self.step(&broadcaster, .restarted(from: saved, strategy: .reconnectAll), at: 105)
        #expect(broadcaster.awaitingConfirmation.isEmpty)
        Self.expectIgnored(&broadcaster, .timerFired(.restoreWindow), .staleTimer(.restoreWindow))
        Self.expectIgnored(&broadcaster, .timerFired(.downstream), .staleTimer(.downstream))
        #expect(broadcaster.tree.isEmpty)
    }

    // MARK: Restart: viewers the save missed

    /// `machine("ABC")` saved, then D joined under B at version 4; the broadcaster
    /// restarts at 100 s from the save, by `strategy`, and B is (back) in the tree.
    static func restartedWithoutD(_ strategy: RestartStrategy) throws -> BroadcasterStateMachine {
        var broadcaster = try Self.machine("ABC")
        let stale = broadcaster.tree
        _ = Self.step(&broadcaster, .received(.join(.init()), from: "D"), at: 20)
        #expect(try broadcaster.tree.parent(of: "D") == "B" && broadcaster.tree.linkEpoch(of: "D") == 4)
        _ = Self.step(&broadcaster, .restarted(from: stale, strategy: strategy), at: 100)
        for id in ["A", "B"] as [ViewerID] { _ = Self.step(&broadcaster, .received(.join(.init()), from: id), at: 101) }
        return broadcaster
    }

    @Test(
        "After a restart, a parent's report about a viewer the save missed tells that viewer to join",
        arguments: RestartStrategy.allCases)
    func missingViewerReportedByItsParent(strategy: RestartStrategy) throws {
        var broadcaster = try Self.restartedWithoutD(strategy)
        let before = broadcaster.tree.snapshot()
        // B's new record did not list D: B closed the link and reports it.
        #expect(
            Self.step(&broadcaster, .received(closeBranch("D", epoch: 4), from: "B"), at: 102)
                == [.send(.reconnectRoot, to: "D")])
        #expect(broadcaster.tree.snapshot() == before)
        // D joins at once instead of waiting out its repair.
        let joined = Self.step(&broadcaster, .received(.join(.init()), from: "D"), at: 103)
        #expect(joined.contains { if case .treeChanged = $0 { true } else { false } })
    }

    @Test("After a restart, a report over a link the new process made about an absent viewer is only ignored")
    func removedSinceRestartIsNotTold() throws {
        var broadcaster = try Self.restartedWithoutD(.restore)
        _ = Self.step(&broadcaster, .received(.join(.init()), from: "N"), at: 102)
        let parent = try #require(try broadcaster.tree.parent(of: "N"))
        let epoch = try broadcaster.tree.linkEpoch(of: "N")
        #expect(epoch > UInt64(Timestamp.seconds(100).nanoseconds))
        _ = Self.step(&broadcaster, .viewerDisconnected("N"), at: 103)
        // Its session ended: it is gone, and nobody sends it anything.
        Self.expectIgnored(&broadcaster, .received(closeBranch("N", epoch: epoch), from: parent), .unknownViewer("N"))
        // Neither the broadcaster's id nor an empty one is ever told.
        Self.expectIgnored(&broadcaster, .received(closeBranch("root", epoch: 1), from: "B"), .unknownViewer("root"))
        Self.expectIgnored(&broadcaster, .received(closeBranch("", epoch: 1), from: "B"), .unknownViewer(""))
    }

    @Test(
        "After a restart, a viewer not in the tree that speaks as if placed is told to join on its first contact",
        arguments: RestartStrategy.allCases)
    func missingViewerFirstContact(strategy: RestartStrategy) throws {
        var broadcaster = try Self.restartedWithoutD(strategy)
        let before = broadcaster.tree.snapshot()
        // D reports a child of its own, or asks the broadcaster for the stream.
        #expect(
            Self.step(&broadcaster, .received(closeBranch("E", epoch: 5), from: "D"), at: 102)
                == [.send(.reconnectRoot, to: "D")])
        #expect(
            Self.step(&broadcaster, .received(.requestStream(.init(epoch: 1)), from: "D"), at: 102)
                == [.send(.reconnectRoot, to: "D")])
        #expect(broadcaster.tree.snapshot() == before)
        // The broadcaster's own id and the empty id stay rejected.
        Self.expectIgnored(&broadcaster, .received(closeBranch("B", epoch: 2), from: "root"), .unknownSender("root"))
        Self.expectIgnored(&broadcaster, .received(.requestStream(.init(epoch: 1)), from: ""), .unknownSender(""))
    }

    @Test(
        "Restart at the largest timestamp: numbering stays 2⁶² below the top, and the tree is still saved and restored",
        arguments: RestartStrategy.allCases)
    func restartAtTheEndOfTime(strategy: RestartStrategy) throws {
        var broadcaster = try Self.machine("ABCDEFG")
        let saved = broadcaster.tree
        _ = broadcaster.handle(.restarted(from: saved, strategy: strategy), at: Timestamp(nanoseconds: .max))
        try broadcaster.tree.validate()
        #expect(broadcaster.tree.version >= UInt64(Int64.max))
        #expect(broadcaster.tree.version <= BranchTree.Snapshot.maximumVersion)
        for (index, id) in ["A", "X", "Y"].enumerated() {
            let actions = broadcaster.handle(
                .received(.join(.init()), from: ViewerID(id)), at: Timestamp(nanoseconds: .max - 10 + Int64(index)))
            #expect(!actions.isEmpty)
        }
        let leaver = try #require(broadcaster.tree.levels.first?.first)
        _ = broadcaster.handle(.viewerDisconnected(leaver), at: Timestamp(nanoseconds: .max))
        try broadcaster.tree.validate()
        let restored = try BranchTree(snapshot: broadcaster.tree.snapshot())
        #expect(restored.snapshot() == broadcaster.tree.snapshot())
        // A save already at the largest version restarts without wrapping either.
        var top = saved.snapshot()
        top.version = BranchTree.Snapshot.maximumVersion
        var restarted = BroadcasterStateMachine(tree: try BranchTree(snapshot: top))
        _ = restarted.handle(.restarted(from: restarted.tree, strategy: strategy), at: Timestamp(nanoseconds: .max))
        _ = restarted.handle(.received(.join(.init()), from: "Z"), at: Timestamp(nanoseconds: .max))
        try restarted.tree.validate()
        #expect(restarted.tree.version > BranchTree.Snapshot.maximumVersion)
    }

    @Test("A restart restores a tree read back from its JSON snapshot", arguments: RestartStrategy.allCases)
    func restartFromPersistedSnapshot(strategy: RestartStrategy) throws {
        var broadcaster = try Self.machine("ABCDEFGH")
        _ = Self.step(&broadcaster, .received(closeBranch("C", epoch: 3), from: "A"), at: 20)
        let persisted = broadcaster.tree.snapshot().jsonData()
        let saved = try BranchTree(snapshot: BranchTree.Snapshot(jsonData: persisted))
        #expect(saved.snapshot() == broadcaster.tree.snapshot())
        var restarted = try BroadcasterStateMachine(tree: BranchTree(fanout: 2))
        let actions = Self.step(&restarted, .restarted(from: saved, strategy: strategy), at: 30)
        #expect(actions.filter { if case .send = $0 { true } else { false } }.count == saved.count)
        #expect(restarted.tree.count == (strategy == .restore ? saved.count : 0))
    }
}
