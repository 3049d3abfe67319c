import Testing

@testable import BranchTree

private let root: ViewerID = "root"
private let join = RelayMessage.join(.init())

@Suite("ViewerStateMachine")
struct ViewerStateMachineTests {
    /// Viewer V, placed at 1 s under P (link epoch 5) with children C and D (epoch 6),
    /// record sequence 6; its upstream came up at 2 s. Its join retry timer (3 s) has
    /// fired, stale; the connect timers it asked for (16 s) have not.
    static func placedViewer(connected: Bool = true) -> ViewerStateMachine {
        var viewer = ViewerStateMachine(id: "V", broadcaster: root)
        _ = viewer.handle(.start, at: .zero)
        _ = viewer.handle(
            .received(record("P", epoch: 5, depth: 1, ["C": 6, "D": 6], sequence: 6), from: root), at: .seconds(1))
        if connected { _ = viewer.handle(.upstreamConnected, at: .seconds(2)) }
        _ = viewer.handle(.timerFired(.joinRetry), at: .seconds(3))
        return viewer
    }

    /// `placedViewer()` whose child C has asked for the stream and is connected.
    static func relayingViewer() -> ViewerStateMachine {
        var viewer = placedViewer()
        _ = viewer.handle(.received(.requestStream(.init(epoch: 6)), from: "C"), at: .seconds(3))
        _ = viewer.handle(.downstreamConnected("C"), at: .seconds(4))
        return viewer
    }

    @Test("The upstream's epoch is the record's, and none before a record")
    func upstreamEpoch() {
        var viewer = ViewerStateMachine(id: "V", broadcaster: root)
        _ = viewer.handle(.start, at: .zero)
        #expect(viewer.upstreamEpoch == nil)
        #expect(Self.placedViewer().upstreamEpoch == 5)
        #expect(Self.placedViewer().parent == "P")
    }

    // MARK: Joining

    @Test("start sends join to the broadcaster and asks for the retry timer")
    func start() {
        var viewer = ViewerStateMachine(id: "V", broadcaster: root)
        #expect(viewer.phase == .idle)
        #expect(viewer.handle(.start, at: .zero) == [.send(join, to: root), .setTimer(.joinRetry, at: .seconds(3))])
        #expect(viewer.phase == .joining)
        #expect(viewer.parent == nil)
        #expect(viewer.handle(.start, at: .seconds(1)) == [.ignored(.alreadyStarted)])
    }

    @Test(
        "join carries what the viewer can relay",
        arguments: [
            (true, nil as Int?), (false, nil), (true, 2), (false, 0),
        ])
    func joinCarriesCapacity(relayable: Bool, capacity: Int?) {
        var viewer = ViewerStateMachine(id: "V", broadcaster: "B", relayable: relayable, capacity: capacity)
        let actions = viewer.handle(.start, at: .seconds(10))
        #expect(
            actions == [
                .send(.join(.init(relayable: relayable, capacity: capacity)), to: "B"),
                .setTimer(.joinRetry, at: .seconds(13)),
            ])
    }

    @Test(
        "Nothing but start is handled before the viewer starts",
        arguments: [
            ViewerStateMachine.Input.received(record("P", epoch: 1, depth: 0, sequence: 1), from: root),
            .upstreamConnected, .upstreamClosed, .downstreamConnected("C"), .downstreamClosed("C"),
            .timerFired(.joinRetry), .leave,
        ])
    func notStarted(input: ViewerStateMachine.Input) {
        var viewer = ViewerStateMachine(id: "V", broadcaster: root)
        #expect(viewer.handle(input, at: .zero) == [.ignored(.notStarted)])
        #expect(viewer.phase == .idle)
    }

    @Test("join is re-sent every 3 s until a record places the viewer")
    func joinRetry() {
        var viewer = ViewerStateMachine(id: "V", broadcaster: root)
        _ = viewer.handle(.start, at: .zero)
        for round in 1...4 {
            let now = Timestamp.seconds(3 * Double(round))
            #expect(
                viewer.handle(.timerFired(.joinRetry), at: now) == [
                    .send(join, to: root), .setTimer(.joinRetry, at: .seconds(3 * Double(round + 1))),
                ])
        }
        _ = viewer.handle(.received(record("P", epoch: 5, depth: 1, sequence: 5), from: root), at: .seconds(13))
        #expect(viewer.handle(.timerFired(.joinRetry), at: .seconds(15)) == [.ignored(.staleTimer(.joinRetry))])
    }

    @Test("A retry timer that fires early asks again for its deadline, sending nothing")
    func earlyJoinTimer() {
        var viewer = ViewerStateMachine(id: "V", broadcaster: root)
        _ = viewer.handle(.start, at: .zero)
        #expect(viewer.handle(.timerFired(.joinRetry), at: .seconds(2)) == [])
        #expect(
            viewer.handle(.timerFired(.joinRetry), at: .seconds(3)) == [
                .send(join, to: root), .setTimer(.joinRetry, at: .seconds(6)),
            ])
    }

    // MARK: Records

    @Test("branch_data asks the parent for the stream, expects the children, and places the viewer")
    func firstRecord() {
        var viewer = ViewerStateMachine(id: "V", broadcaster: root)
        _ = viewer.handle(.start, at: .zero)
        let actions = viewer.handle(
            .received(record("P", epoch: 5, depth: 1, ["C": 6, "D": 6], sequence: 6), from: root), at: .seconds(1))
        #expect(
            actions == [
                .send(.requestStream(.init(epoch: 5)), to: "P"),
                .setTimer(.upstream, at: .seconds(16)),
                .setTimer(.downstream, at: .seconds(16)),
                .placed(parent: "P", depth: 1, keptUpstream: false),
            ])
        #expect(viewer.phase == .connecting)
        #expect(viewer.parent == "P")
        #expect(viewer.depth == 1)
        #expect(viewer.children == ["C", "D"])
        #expect(viewer.connectedChildren.isEmpty)
        #expect(!viewer.isConnectedUpstream)
    }

    @Test("A leaf's record sets no downstream timer")
    func leafRecord() {
        var viewer = ViewerStateMachine(id: "V", broadcaster: root)
        _ = viewer.handle(.start, at: .zero)
        #expect(
            viewer.handle(.received(record(root, epoch: 1, depth: 0, sequence: 1), from: root), at: .zero) == [
                .send(.requestStream(.init(epoch: 1)), to: root),
                .setTimer(.upstream, at: .seconds(15)),
                .placed(parent: root, depth: 0, keptUpstream: false),
            ])
    }

    @Test("upstreamConnected: the viewer receives; nothing to hand on yet")
    func upstreamConnected() {
        var viewer = Self.placedViewer(connected: false)
        #expect(viewer.handle(.upstreamConnected, at: .seconds(2)) == [])
        #expect(viewer.phase == .receiving)
        #expect(viewer.isConnectedUpstream)
        #expect(viewer.handle(.upstreamConnected, at: .seconds(3)) == [.ignored(.unknownLinkEvent)])
        // The connect deadline is void once the link is up.
        #expect(viewer.handle(.timerFired(.upstream), at: .seconds(16)) == [.ignored(.staleTimer(.upstream))])
    }

    @Test("The same record again: the link is kept, nothing is reconnected")
    func sameRecordConnected() {
        var viewer = Self.placedViewer()
        let again = record("P", epoch: 5, depth: 1, ["C": 6, "D": 6], sequence: 6)
        #expect(
            viewer.handle(.received(again, from: root), at: .seconds(5)) == [
                .placed(parent: "P", depth: 1, keptUpstream: true)
            ])
        #expect(viewer.phase == .receiving)
        #expect(viewer.children == ["C", "D"])
    }

    @Test("The same record while the link is still coming up repeats request_stream, nothing else")
    func sameRecordConnecting() {
        var viewer = Self.placedViewer(connected: false)
        let again = record("P", epoch: 5, depth: 1, ["C": 6, "D": 6], sequence: 6)
        #expect(
            viewer.handle(.received(again, from: root), at: .seconds(5)) == [
                .send(.requestStream(.init(epoch: 5)), to: "P"),
                .placed(parent: "P", depth: 1, keptUpstream: true),
            ])
        // The connect deadline moved to 20 s: the 16 s timer re-arms for it.
        #expect(viewer.handle(.timerFired(.upstream), at: .seconds(16)) == [.setTimer(.upstream, at: .seconds(20))])
        #expect(viewer.handle(.upstreamConnected, at: .seconds(17)) == [])
        #expect(viewer.handle(.timerFired(.upstream), at: .seconds(20)) == [.ignored(.staleTimer(.upstream))])
    }

    @Test("A newer record for the same link only updates the children")
    func newerRecordSameLink() {
        var viewer = Self.relayingViewer()
        let newer = record("P", epoch: 5, depth: 1, ["C": 6, "E": 9], sequence: 9)
        #expect(
            viewer.handle(.received(newer, from: root), at: .seconds(10)) == [
                .placed(parent: "P", depth: 1, keptUpstream: true)
            ])
        #expect(viewer.children == ["C", "E"])
        #expect(viewer.connectedChildren == ["C"])
    }

    @Test("A record older than the one applied is ignored")
    func staleRecord() {
        var viewer = Self.relayingViewer()
        let before = viewer
        let stale = record("Q", epoch: 4, depth: 2, ["X": 4], sequence: 5)
        #expect(viewer.handle(.received(stale, from: root), at: .seconds(10)) == [.ignored(.staleRecord(sequence: 5))])
        #expect(viewer == before)
    }

    @Test("A new parent: close the old link, ask the new parent, keep the children, replaceTrack once up")
    func newParentKeepsChildren() {
        var viewer = Self.relayingViewer()
        // C keeps its link (same epoch); D is gone from the record, E is new.
        let moved = record("Q", epoch: 9, depth: 0, ["C": 6, "E": 9], sequence: 9)
        #expect(
            viewer.handle(.received(moved, from: root), at: .seconds(20)) == [
                .closeLink("P"),
                // No timers: those asked for at placement (16 s) fire first and re-arm.
                .send(.requestStream(.init(epoch: 9)), to: "Q"),
                .placed(parent: "Q", depth: 0, keptUpstream: false),
            ])
        #expect(viewer.phase == .connecting)
        #expect(viewer.parent == "Q")
        #expect(viewer.depth == 0)
        #expect(viewer.children == ["C", "E"])
        #expect(viewer.handle(.upstreamConnected, at: .seconds(21)) == [.replaceTrack(children: ["C"])])
        #expect(viewer.phase == .receiving)
    }

    /// The report is stale for a broadcaster that moved C elsewhere, and tells one that
    /// does not know C (a restart from a stale save) to send it `reconnect_root`.
    @Test("A record that drops a connected child closes that link and reports it")
    func droppedChild() {
        var viewer = Self.relayingViewer()
        let actions = viewer.handle(
            .received(record("P", epoch: 5, depth: 1, ["D": 6], sequence: 8), from: root),
            at: .seconds(10))
        #expect(
            actions == [
                .closeLink("C"), .send(.closeBranch(.init(child: "C", epoch: 6)), to: root),
                .placed(parent: "P", depth: 1, keptUpstream: true),
            ])
        #expect(viewer.children == ["D"])
        // The link it closed on purpose is no longer its: its close event is not reported again.
        #expect(viewer.handle(.downstreamClosed("C"), at: .seconds(11)) == [.ignored(.unknownLinkEvent)])
    }

    @Test("A record that drops a child that never asked, or relists one with a new link, reports nothing")
    func droppedQuietly() {
        var viewer = Self.relayingViewer()
        // D never asked (no link to close); C is listed again under a new epoch.
        let actions = viewer.handle(
            .received(record("P", epoch: 5, depth: 1, ["C": 8], sequence: 8), from: root),
            at: .seconds(10))
        #expect(actions == [.closeLink("C"), .placed(parent: "P", depth: 1, keptUpstream: true)])
    }

    @Test("A child listed again with a new epoch is a new link")
    func childWithNewEpoch() {
        var viewer = Self.relayingViewer()
        let actions = viewer.handle(
            .received(record("P", epoch: 5, depth: 1, ["C": 8], sequence: 8), from: root),
            at: .seconds(10))
        #expect(actions == [.closeLink("C"), .placed(parent: "P", depth: 1, keptUpstream: true)])
        #expect(
            viewer.handle(.received(.requestStream(.init(epoch: 6)), from: "C"), at: .seconds(11))
                == [.ignored(.unknownLink(child: "C", epoch: 6))])
        #expect(
            viewer.handle(.received(.requestStream(.init(epoch: 8)), from: "C"), at: .seconds(11))
                == [.openDownstream(child: "C", epoch: 8)])
    }

    // MARK: Children asking

    @Test("request_stream from a listed child opens the link; a repeat is ignored")
    func requestStream() {
        var viewer = Self.placedViewer()
        #expect(
            viewer.handle(.received(.requestStream(.init(epoch: 6)), from: "C"), at: .seconds(3))
                == [.openDownstream(child: "C", epoch: 6)])
        #expect(
            viewer.handle(.received(.requestStream(.init(epoch: 6)), from: "C"), at: .seconds(4))
                == [.ignored(.duplicateRequest("C"))])
        #expect(viewer.handle(.downstreamConnected("C"), at: .seconds(5)) == [])
        #expect(viewer.connectedChildren == ["C"])
        #expect(
            viewer.handle(.received(.requestStream(.init(epoch: 6)), from: "C"), at: .seconds(6))
                == [.ignored(.duplicateRequest("C"))])
        #expect(viewer.handle(.downstreamConnected("C"), at: .seconds(7)) == [])
    }

    @Test(
        "request_stream with a stale or unknown epoch, or from an unlisted child, is ignored",
        arguments: [
            ("C" as ViewerID, 5 as UInt64), ("C", 0), ("X", 6), ("X", 1), ("P", 5),
        ])
    func unknownRequest(child: ViewerID, epoch: UInt64) {
        var viewer = Self.placedViewer()
        let before = viewer
        #expect(
            viewer.handle(.received(.requestStream(.init(epoch: epoch)), from: child), at: .seconds(3))
                == [.ignored(.unknownLink(child: child, epoch: epoch))])
        #expect(viewer == before)
    }

    @Test("A request for a link newer than the record is accepted: its record is on the way")
    func provisionalRequest() {
        var viewer = Self.placedViewer()
        #expect(
            viewer.handle(.received(.requestStream(.init(epoch: 7)), from: "E"), at: .seconds(3))
                == [.openDownstream(child: "E", epoch: 7)])
        #expect(viewer.children == ["C", "D", "E"])
        // The record that lists it arrives: the link is kept.
        _ = viewer.handle(.downstreamConnected("E"), at: .seconds(4))
        #expect(
            viewer.handle(
                .received(
                    record("P", epoch: 5, depth: 1, ["C": 6, "D": 6, "E": 7], sequence: 7),
                    from: root), at: .seconds(5)) == [.placed(parent: "P", depth: 1, keptUpstream: true)])
        #expect(viewer.connectedChildren == ["E"])
    }

    /// The provisional link of `provisionalRequest` must survive a record that is older
    /// than the link (the answer to a re-sent `join`, say): that record cannot list it.
    @Test("A record older than a provisional link does not drop it")
    func provisionalLinkSurvivesOlderRecord() {
        var viewer = ViewerStateMachine(id: "V", broadcaster: root)
        _ = viewer.handle(.start, at: .zero)
        // V re-sent join at 3 s while the answer was in flight, so the broadcaster answered
        // twice at version 5; then E was placed under V at version 7. E's request_stream
        // overtakes the second answer and the record that lists E.
        let answer = record("P", epoch: 5, depth: 1, sequence: 5)
        _ = viewer.handle(.timerFired(.joinRetry), at: .seconds(3))
        _ = viewer.handle(.received(answer, from: root), at: .seconds(4))
        _ = viewer.handle(.upstreamConnected, at: .seconds(5))
        #expect(
            viewer.handle(.received(.requestStream(.init(epoch: 7)), from: "E"), at: .seconds(6))
                == [.openDownstream(child: "E", epoch: 7), .setTimer(.downstream, at: .seconds(21))])
        _ = viewer.handle(.downstreamConnected("E"), at: .seconds(7))
        // The second answer (sequence 5, not stale) cannot know about a link of version 7.
        #expect(
            viewer.handle(.received(answer, from: root), at: .seconds(8))
                == [.placed(parent: "P", depth: 1, keptUpstream: true)])
        #expect(viewer.connectedChildren == ["E"])
        // The record that lists it confirms it; a later one that does not list it drops it.
        #expect(
            viewer.handle(
                .received(record("P", epoch: 5, depth: 1, ["E": 7], sequence: 7), from: root),
                at: .seconds(9)) == [.placed(parent: "P", depth: 1, keptUpstream: true)])
        #expect(
            viewer.handle(
                .received(record("P", epoch: 5, depth: 1, sequence: 8), from: root),
                at: .seconds(10)) == [
                    .closeLink("E"), .send(.closeBranch(.init(child: "E", epoch: 7)), to: root),
                    .placed(parent: "P", depth: 1, keptUpstream: true),
                ])
        #expect(viewer.children.isEmpty)
    }

    @Test("A provisional link not confirmed by a newer record is dropped and reported")
    func provisionalLinkDroppedByNewerRecord() {
        var viewer = Self.placedViewer()
        _ = viewer.handle(.received(.requestStream(.init(epoch: 7)), from: "E"), at: .seconds(3))
        _ = viewer.handle(.downstreamConnected("E"), at: .seconds(4))
        // Version 7 is not about E after all (E moved elsewhere meanwhile: the report is
        // then stale for the broadcaster).
        #expect(
            viewer.handle(
                .received(record("P", epoch: 5, depth: 1, ["C": 6, "D": 6], sequence: 7), from: root),
                at: .seconds(5)) == [
                    .closeLink("E"), .send(.closeBranch(.init(child: "E", epoch: 7)), to: root),
                    .placed(parent: "P", depth: 1, keptUpstream: true),
                ])
        #expect(viewer.handle(.downstreamClosed("E"), at: .seconds(6)) == [.ignored(.unknownLinkEvent)])
    }

    // MARK: Which requests are taken

    @Test(
        "request_stream from the broadcaster or from the viewer itself is never a child's",
        arguments: [root, "V"] as [ViewerID], [6, 7, .max] as [UInt64])
    func impossibleChild(sender: ViewerID, epoch: UInt64) {
        var viewer = Self.placedViewer()
        let before = viewer
        #expect(
            viewer.handle(.received(.requestStream(.init(epoch: epoch)), from: sender), at: .seconds(3))
                == [.ignored(.impossibleChild(sender))])
        #expect(viewer == before)
    }

    @Test(
        "An unlisted link with an epoch above the time now in nanoseconds has not been issued yet",
        arguments: [3_000_000_001, 1 << 62, .max] as [UInt64])
    func futureEpoch(epoch: UInt64) {
        var viewer = Self.placedViewer()
        let before = viewer
        #expect(
            viewer.handle(.received(.requestStream(.init(epoch: epoch)), from: "E"), at: .seconds(3))
                == [.ignored(.futureEpoch(child: "E", epoch: epoch))])
        #expect(viewer == before)
        // Up to the time now, it may have been: taken provisionally.
        #expect(
            viewer.handle(.received(.requestStream(.init(epoch: 3_000_000_000)), from: "E"), at: .seconds(3))
                == [.openDownstream(child: "E", epoch: 3_000_000_000)])
    }

    @Test("A viewer with no record yet takes a provisional link: its own record may be on its way")
    func provisionalBeforeAnyRecord() {
        var viewer = ViewerStateMachine(id: "V", broadcaster: root)
        _ = viewer.handle(.start, at: .zero)
        #expect(
            viewer.handle(.received(.requestStream(.init(epoch: 0)), from: "E"), at: .seconds(1))
                == [.ignored(.unknownLink(child: "E", epoch: 0))])
        #expect(
            viewer.handle(.received(.requestStream(.init(epoch: 2)), from: "E"), at: .seconds(1))
                == [.openDownstream(child: "E", epoch: 2), .setTimer(.downstream, at: .seconds(16))])
        // Its record places it and lists E: the link stays.
        _ = viewer.handle(.downstreamConnected("E"), at: .seconds(2))
        #expect(
            viewer.handle(
                .received(record("P", epoch: 1, depth: 0, ["E": 2], sequence: 2), from: root),
                at: .seconds(2)
            ).last == .placed(parent: "P", depth: 0, keptUpstream: false))
        #expect(viewer.connectedChildren == ["E"])
        #expect(viewer.handle(.timerFired(.downstream), at: .seconds(16)) == [.ignored(.staleTimer(.downstream))])
    }

    @Test(
        "Provisional links are taken up to the viewer's capacity, listed ones whatever their number",
        arguments: [(2 as Int?, true), (nil, false), (1, true)])
    func provisionalUpToCapacity(capacity: Int?, relayable: Bool) {
        var viewer = ViewerStateMachine(id: "V", broadcaster: root, relayable: relayable, capacity: capacity)
        let limit = viewer.relayCapacity
        #expect(limit == (relayable ? capacity ?? 64 : 0))
        _ = viewer.handle(.start, at: .zero)
        _ = viewer.handle(.received(record("P", epoch: 5, depth: 1, sequence: 5), from: root), at: .seconds(1))
        for index in 0..<limit {
            let child = ViewerID("E\(index)")
            #expect(
                viewer.handle(.received(.requestStream(.init(epoch: 7)), from: child), at: .seconds(2))
                    .contains(.openDownstream(child: child, epoch: 7)))
        }
        #expect(viewer.childCount == limit)
        let before = viewer
        #expect(
            viewer.handle(.received(.requestStream(.init(epoch: 7)), from: "X"), at: .seconds(2))
                == [.ignored(.overCapacity(child: "X"))])
        #expect(viewer == before)
        // A child already taken may ask again over a newer link: it replaces its own.
        if limit > 0 {
            #expect(
                viewer.handle(.received(.requestStream(.init(epoch: 8)), from: "E0"), at: .seconds(2))
                    == [.closeLink("E0"), .openDownstream(child: "E0", epoch: 8)])
        }
    }

    @Test("A record that lists a provisional link frees its place for another")
    func confirmedProvisionalFreesCapacity() {
        var viewer = ViewerStateMachine(id: "V", broadcaster: root, capacity: 1)
        _ = viewer.handle(.start, at: .zero)
        _ = viewer.handle(.received(record("P", epoch: 5, depth: 1, sequence: 5), from: root), at: .seconds(1))
        _ = viewer.handle(.received(.requestStream(.init(epoch: 7)), from: "E"), at: .seconds(2))
        #expect(
            viewer.handle(.received(.requestStream(.init(epoch: 9)), from: "F"), at: .seconds(2))
                == [.ignored(.overCapacity(child: "F"))])
        _ = viewer.handle(
            .received(record("P", epoch: 5, depth: 1, ["E": 7], sequence: 7), from: root),
            at: .seconds(3))
        // E is listed now; F's link (version 9) may be in a record still on its way.
        #expect(
            viewer.handle(.received(.requestStream(.init(epoch: 9)), from: "F"), at: .seconds(4))
                == [.openDownstream(child: "F", epoch: 9)])
        #expect(viewer.children == ["E", "F"])
    }

    @Test("A provisional link no record lists within connectTimeout is closed and reported, even when up")
    func provisionalLinkExpires() {
        var viewer = Self.relayingViewer()
        _ = viewer.handle(.received(.requestStream(.init(epoch: 7)), from: "E"), at: .seconds(10))
        _ = viewer.handle(.downstreamConnected("E"), at: .seconds(11))
        // D (listed, never asked) is due at 16 s; E at 25 s, although connected.
        #expect(
            viewer.handle(.timerFired(.downstream), at: .seconds(16)) == [
                .send(.closeBranch(.init(child: "D", epoch: 6)), to: root), .setTimer(.downstream, at: .seconds(25)),
            ])
        #expect(
            viewer.handle(.timerFired(.downstream), at: .seconds(25)) == [
                .closeLink("E"), .send(.closeBranch(.init(child: "E", epoch: 7)), to: root),
            ])
        #expect(viewer.children == ["C"])
        #expect(viewer.connectedChildren == ["C"])
    }

    @Test("A provisional link listed in time stays, connected, past its deadline")
    func provisionalLinkConfirmedInTime() {
        var viewer = Self.relayingViewer()
        _ = viewer.handle(.received(.requestStream(.init(epoch: 7)), from: "E"), at: .seconds(10))
        _ = viewer.handle(.downstreamConnected("E"), at: .seconds(11))
        _ = viewer.handle(
            .received(record("P", epoch: 5, depth: 1, ["C": 6, "E": 7], sequence: 7), from: root), at: .seconds(12))
        #expect(viewer.handle(.timerFired(.downstream), at: .seconds(25)) == [.ignored(.staleTimer(.downstream))])
        #expect(viewer.connectedChildren == ["C", "E"])
    }

    // MARK: Children failing

    @Test("A listed child that never asks is reported with its epoch after connectTimeout")
    func childNeverAsks() {
        var viewer = Self.placedViewer()
        #expect(viewer.handle(.timerFired(.downstream), at: .seconds(15)) == [])
        #expect(
            viewer.handle(.timerFired(.downstream), at: .seconds(16)) == [
                .send(.closeBranch(.init(child: "C", epoch: 6)), to: root),
                .send(.closeBranch(.init(child: "D", epoch: 6)), to: root),
            ])
        #expect(viewer.children.isEmpty)
        #expect(viewer.handle(.timerFired(.downstream), at: .seconds(17)) == [.ignored(.staleTimer(.downstream))])
    }

    @Test("A child that asked but never connected is closed and reported")
    func childNeverConnects() {
        var viewer = Self.placedViewer()
        _ = viewer.handle(.received(.requestStream(.init(epoch: 6)), from: "C"), at: .seconds(10))
        // D's deadline is 16 s; C asked at 10 s, so its deadline is 25 s.
        #expect(
            viewer.handle(.timerFired(.downstream), at: .seconds(16)) == [
                .send(.closeBranch(.init(child: "D", epoch: 6)), to: root),
                .setTimer(.downstream, at: .seconds(25)),
            ])
        #expect(
            viewer.handle(.timerFired(.downstream), at: .seconds(25)) == [
                .closeLink("C"),
                .send(.closeBranch(.init(child: "C", epoch: 6)), to: root),
            ])
    }

    @Test("A connected child is never timed out")
    func connectedChildStays() {
        var viewer = Self.relayingViewer()
        let actions = viewer.handle(.timerFired(.downstream), at: .seconds(100))
        #expect(actions == [.send(.closeBranch(.init(child: "D", epoch: 6)), to: root)])
        #expect(viewer.connectedChildren == ["C"])
        #expect(viewer.children == ["C"])
    }

    @Test("downstreamClosed reports close_branch with the link's epoch")
    func downstreamClosed() {
        var viewer = Self.relayingViewer()
        #expect(
            viewer.handle(.downstreamClosed("C"), at: .seconds(30))
                == [.send(.closeBranch(.init(child: "C", epoch: 6)), to: root)])
        #expect(viewer.children == ["D"])
        // Only once; and never for a child whose link was not opened.
        #expect(viewer.handle(.downstreamClosed("C"), at: .seconds(31)) == [.ignored(.unknownLinkEvent)])
        #expect(viewer.handle(.downstreamClosed("D"), at: .seconds(31)) == [.ignored(.unknownLinkEvent)])
        #expect(viewer.handle(.downstreamConnected("X"), at: .seconds(31)) == [.ignored(.unknownLinkEvent)])
    }

    @Test("A child that closes while still connecting is reported too")
    func downstreamClosedWhileConnecting() {
        var viewer = Self.placedViewer()
        _ = viewer.handle(.received(.requestStream(.init(epoch: 6)), from: "D"), at: .seconds(3))
        #expect(
            viewer.handle(.downstreamClosed("D"), at: .seconds(4))
                == [.send(.closeBranch(.init(child: "D", epoch: 6)), to: root)])
    }

    // MARK: Upstream failing

    @Test("A working upstream that breaks: wait for the repair, join only after repairTimeout")
    func upstreamBreaks() {
        var viewer = Self.relayingViewer()
        // The stale 16 s connect timer fires first and is cleared.
        #expect(viewer.handle(.timerFired(.upstream), at: .seconds(16)) == [.ignored(.staleTimer(.upstream))])
        #expect(viewer.handle(.upstreamClosed, at: .seconds(20)) == [.setTimer(.upstream, at: .seconds(60))])
        #expect(viewer.phase == .awaitingRepair)
        #expect(viewer.parent == "P")
        #expect(viewer.handle(.upstreamClosed, at: .seconds(21)) == [.ignored(.unknownLinkEvent)])
        #expect(viewer.handle(.timerFired(.upstream), at: .seconds(59)) == [])
        #expect(
            viewer.handle(.timerFired(.upstream), at: .seconds(60)) == [
                .send(join, to: root), .setTimer(.joinRetry, at: .seconds(63)),
            ])
        #expect(viewer.phase == .joining)
        // Its children stay with it while it rejoins.
        #expect(viewer.connectedChildren == ["C"])
    }

    @Test("A caller that keeps only the earliest timer still gets the repair deadline")
    func upstreamBreaksBeforeOldTimer() {
        var viewer = Self.relayingViewer()
        // The 16 s connect timer is still pending: no new timer is needed yet.
        #expect(viewer.handle(.upstreamClosed, at: .seconds(10)) == [])
        #expect(viewer.handle(.timerFired(.upstream), at: .seconds(16)) == [.setTimer(.upstream, at: .seconds(50))])
        #expect(viewer.phase == .awaitingRepair)
        #expect(
            viewer.handle(.timerFired(.upstream), at: .seconds(50)) == [
                .send(join, to: root), .setTimer(.joinRetry, at: .seconds(53)),
            ])
    }

    @Test("The repair's record arrives in time: no join, the new parent is asked, kept children re-fed")
    func repaired() {
        var viewer = Self.relayingViewer()
        _ = viewer.handle(.timerFired(.upstream), at: .seconds(16))
        _ = viewer.handle(.upstreamClosed, at: .seconds(20))
        // The old link is already gone: no closeLink for it.
        #expect(
            viewer.handle(
                .received(record("Q", epoch: 9, depth: 1, ["C": 6, "D": 6], sequence: 9), from: root),
                at: .seconds(25)) == [
                    .send(.requestStream(.init(epoch: 9)), to: "Q"),
                    .setTimer(.upstream, at: .seconds(40)),
                    .placed(parent: "Q", depth: 1, keptUpstream: false),
                ])
        #expect(viewer.handle(.upstreamConnected, at: .seconds(26)) == [.replaceTrack(children: ["C"])])
        // The repair deadline no longer applies.
        #expect(viewer.handle(.timerFired(.upstream), at: .seconds(60)) == [.ignored(.staleTimer(.upstream))])
    }

    @Test("An upstream that closes before it ever came up: join again at once")
    func upstreamFailsBeforeConnecting() {
        var viewer = Self.placedViewer(connected: false)
        #expect(
            viewer.handle(.upstreamClosed, at: .seconds(4)) == [
                .send(join, to: root), .setTimer(.joinRetry, at: .seconds(7)),
            ])
        #expect(viewer.phase == .joining)
        #expect(viewer.parent == nil)
        // The same record answers the join: the viewer asks the same parent again.
        #expect(
            viewer.handle(
                .received(record("P", epoch: 5, depth: 1, ["C": 6, "D": 6], sequence: 6), from: root),
                at: .seconds(5)) == [
                    .send(.requestStream(.init(epoch: 5)), to: "P"),
                    .placed(parent: "P", depth: 1, keptUpstream: false),
                ])
    }

    @Test("An upstream that does not come up within connectTimeout is closed, and the viewer joins again")
    func upstreamTimesOut() {
        var viewer = Self.placedViewer(connected: false)
        #expect(
            viewer.handle(.timerFired(.upstream), at: .seconds(16)) == [
                .closeLink("P"), .send(join, to: root), .setTimer(.joinRetry, at: .seconds(19)),
            ])
        #expect(viewer.phase == .joining)
    }

    // MARK: Broadcaster messages

    @Test("reconnect_root: join again at once, keeping every link")
    func reconnectRoot() {
        var viewer = Self.relayingViewer()
        #expect(
            viewer.handle(.received(.reconnectRoot, from: root), at: .seconds(30)) == [
                .send(join, to: root), .setTimer(.joinRetry, at: .seconds(33)),
            ])
        #expect(viewer.phase == .receiving)
        #expect(viewer.parent == "P")
        #expect(viewer.connectedChildren == ["C"])
        // The restarted broadcaster confirms the place (a newer sequence, same link).
        #expect(
            viewer.handle(
                .received(
                    record("P", epoch: 5, depth: 1, ["C": 6, "D": 6], sequence: 1_000),
                    from: root), at: .seconds(31)) == [.placed(parent: "P", depth: 1, keptUpstream: true)])
        #expect(viewer.handle(.timerFired(.joinRetry), at: .seconds(33)) == [.ignored(.staleTimer(.joinRetry))])
    }

    @Test(
        "branch_data and reconnect_root count only from the broadcaster",
        arguments: [
            record("Q", epoch: 9, depth: 0, sequence: 99), RelayMessage.reconnectRoot,
        ])
    func onlyTheBroadcasterPlaces(message: RelayMessage) {
        for sender in ["P", "C", "V", "intruder"] as [ViewerID] {
            var viewer = Self.relayingViewer()
            let before = viewer
            #expect(
                viewer.handle(.received(message, from: sender), at: .seconds(9))
                    == [.ignored(.unexpectedSender(sender))])
            #expect(viewer == before)
        }
    }

    @Test(
        "join and close_branch are never for a viewer",
        arguments: [
            RelayMessage.join(.init()), .closeBranch(.init(child: "C", epoch: 6)),
        ])
    func unexpectedMessages(message: RelayMessage) {
        var viewer = Self.relayingViewer()
        let before = viewer
        #expect(
            viewer.handle(.received(message, from: root), at: .seconds(9))
                == [.ignored(.unexpectedMessage(message.typeName))])
        #expect(viewer == before)
    }

    // MARK: Leaving

    @Test("leave closes every open link, and then every input is ignored")
    func leave() {
        var viewer = Self.placedViewer()
        _ = viewer.handle(.received(.requestStream(.init(epoch: 6)), from: "C"), at: .seconds(3))
        // C's link is opening, D never asked: only P and C have connections to close.
        #expect(viewer.handle(.leave, at: .seconds(5)) == [.closeLink("P"), .closeLink("C")])
        #expect(viewer.phase == .departed)
        #expect(viewer.parent == nil)
        #expect(viewer.children.isEmpty)
        let inputs: [ViewerStateMachine.Input] = [
            .start, .leave, .upstreamConnected, .upstreamClosed, .downstreamConnected("C"), .downstreamClosed("C"),
            .timerFired(.joinRetry), .timerFired(.upstream), .timerFired(.downstream),
            .received(record("Q", epoch: 9, depth: 0, sequence: 99), from: root),
            .received(.reconnectRoot, from: root), .received(.requestStream(.init(epoch: 6)), from: "D"),
        ]
        for input in inputs {
            #expect(viewer.handle(input, at: .seconds(100)) == [.ignored(.departed)], "\(input)")
        }
    }

    @Test("leave while awaiting repair has no upstream to close")
    func leaveAwaitingRepair() {
        var viewer = Self.relayingViewer()
        _ = viewer.handle(.upstreamClosed, at: .seconds(10))
        #expect(viewer.handle(.leave, at: .seconds(11)) == [.closeLink("C")])
    }

    @Test("leave before being placed closes nothing")
    func leaveWhileJoining() {
        var viewer = ViewerStateMachine(id: "V", broadcaster: root)
        _ = viewer.handle(.start, at: .zero)
        #expect(viewer.handle(.leave, at: .seconds(1)) == [])
        #expect(viewer.handle(.timerFired(.joinRetry), at: .seconds(3)) == [.ignored(.departed)])
    }

    // MARK: Timers

    @Test(
        "Timers with nothing due are ignored",
        arguments: [
            ViewerStateMachine.Timer.joinRetry, .upstream, .downstream,
        ])
    func staleTimers(timer: ViewerStateMachine.Timer) {
        var viewer = Self.relayingViewer()
        _ = viewer.handle(.timerFired(.downstream), at: .seconds(16))  // D expires
        _ = viewer.handle(.timerFired(.upstream), at: .seconds(16))
        let observed = (viewer.phase, viewer.parent, viewer.children, viewer.connectedChildren)
        #expect(viewer.handle(.timerFired(timer), at: .seconds(17)) == [.ignored(.staleTimer(timer))])
        #expect(viewer.phase == observed.0 && viewer.parent == observed.1)
        #expect(viewer.children == observed.2 && viewer.connectedChildren == observed.3)
    }

    @Test("Custom timings are used for every wait")
    func customTimings() {
        let timings = ProtocolTimings(
            joinRetry: .seconds(1), connectTimeout: .seconds(2), repairTimeout: .seconds(7), restoreWindow: .seconds(4))
        var viewer = ViewerStateMachine(id: "V", broadcaster: root, timings: timings)
        #expect(viewer.handle(.start, at: .zero) == [.send(join, to: root), .setTimer(.joinRetry, at: .seconds(1))])
        #expect(
            viewer.handle(
                .received(record("P", epoch: 1, depth: 0, ["C": 1], sequence: 1), from: root),
                at: .seconds(0.5)) == [
                    .send(.requestStream(.init(epoch: 1)), to: "P"),
                    .setTimer(.upstream, at: .seconds(2.5)),
                    .setTimer(.downstream, at: .seconds(2.5)),
                    .placed(parent: "P", depth: 0, keptUpstream: false),
                ])
        _ = viewer.handle(.upstreamConnected, at: .seconds(1))
        _ = viewer.handle(.timerFired(.upstream), at: .seconds(2.5))
        #expect(viewer.handle(.upstreamClosed, at: .seconds(3)) == [.setTimer(.upstream, at: .seconds(10))])
    }
}
