import BranchTree
import Testing

@testable import RelayServer

@Suite("RoomStateMachine")
struct RoomStateMachineTests {
    /// A broadcaster and `count` viewers, all playing.
    static func playingRoom(viewers count: Int, fanout: Int = 2) -> (
        RoomHarness, broadcaster: ConnectionID, viewers: [ConnectionID]
    ) {
        var harness = RoomHarness(fanout: fanout)
        let broadcaster = harness.connect(.broadcaster)
        let viewers = (0..<count).map { _ in harness.viewer() }
        return (harness, broadcaster, viewers)
    }

    @Test("Viewers joining a live room are placed and all receive, the tree as the pages see it")
    func joinAndPlay() throws {
        let (harness, _, viewers) = Self.playingRoom(viewers: 8)
        #expect(harness.room.tree.count == 8)
        #expect(harness.room.tree.levelSizes == [1, 2, 4, 1])
        #expect(harness.everyoneReceives())
        for connection in viewers {
            #expect(harness.errors(connection).isEmpty)
            #expect(harness.pages[connection]!.offersReceived == 1)
        }
    }

    @Test("Viewers that come before the broadcaster join the moment it arrives, without waiting for a retry")
    func viewersFirst() {
        var harness = RoomHarness()
        let early = (0..<3).map { _ in harness.viewer() }
        #expect(harness.room.tree.isEmpty)
        #expect(harness.room.statistics.heldWhileOffline == 3)
        for connection in early {
            #expect(harness.frames(connection).contains(.phase(.joining, live: false)))
        }
        harness.connect(.broadcaster)
        #expect(harness.room.tree.count == 3)
        #expect(harness.everyoneReceives())
        #expect(harness.frames(early[0]).contains(.phase(.receiving, live: true)))
    }

    @Test("A viewer that leaves is removed at once, and everyone below it receives again")
    func leaveRepairs() throws {
        var (harness, _, viewers) = Self.playingRoom(viewers: 7)
        let interior = harness.room.tree.level(1)[0]
        let below = try harness.room.tree.descendants(of: interior)
        #expect(!below.isEmpty)
        harness.send(.leave, from: harness.connection(of: interior)!)
        #expect(!harness.room.tree.contains(interior))
        #expect(harness.room.tree.count == 6)
        #expect(harness.everyoneReceives())
        #expect(harness.room.statistics.departures == 1)
        _ = viewers
    }

    @Test("Viewers below a repair whose links were kept get no new offer")
    func keptLinksNoOffer() throws {
        var (harness, _, viewers) = Self.playingRoom(viewers: 7)
        let offersBefore = viewers.map { harness.pages[$0]!.offersReceived }
        let parentsBefore = Dictionary(uniqueKeysWithValues: harness.room.tree.viewers.map { ($0.uuid, $0.parentUUID) })
        let interior = harness.room.tree.level(1)[0]
        harness.send(.leave, from: harness.connection(of: interior)!)
        for (index, connection) in viewers.enumerated() where harness.closed[connection] == nil {
            let id = harness.id(connection)
            guard harness.room.tree.contains(id) else { continue }
            let offers = harness.pages[connection]!.offersReceived - offersBefore[index]
            let moved = harness.room.tree[id]!.parentUUID != parentsBefore[id]
            #expect(offers == (moved ? 1 : 0), "\(id) moved: \(moved), offers: \(offers)")
        }
    }

    @Test("A viewer whose socket drops keeps its place if it resumes within the grace, and catches up")
    func resumeWithinGrace() {
        var (harness, _, viewers) = Self.playingRoom(viewers: 3)
        let connection = viewers[1]
        let credentials = harness.pages[connection]!.credentials!
        harness.drop(connection)
        harness.advance(by: .seconds(2))
        #expect(harness.room.tree.contains(credentials.id))
        let again = harness.connect(.viewer, resume: credentials)
        guard case .welcome(let welcome) = harness.frames(again).first else {
            Issue.record("no welcome")
            return
        }
        #expect(welcome.resumed && welcome.credentials == credentials)
        harness.advance(by: .seconds(10))
        #expect(harness.room.tree.contains(credentials.id))
        #expect(harness.room.sessions[credentials.id]?.connection == again)
    }

    @Test("A viewer whose socket drops for longer than the grace leaves the tree, repaired")
    func graceExpires() {
        var (harness, _, viewers) = Self.playingRoom(viewers: 5)
        let id = harness.id(viewers[0])
        harness.drop(viewers[0])
        harness.advance(by: .seconds(6))
        #expect(!harness.room.tree.contains(id))
        #expect(harness.room.sessions[id] == nil)
        #expect(harness.everyoneReceives())
    }

    @Test("A page cannot take another viewer's id: refused, and the room is unchanged")
    func claimOtherID() {
        var (harness, _, viewers) = Self.playingRoom(viewers: 3)
        let victim = harness.pages[viewers[0]]!.credentials!
        let snapshot = harness.room.tree.snapshot()
        let thief = harness.connect(.viewer, resume: SessionCredentials(id: victim.id, token: "guess"))
        #expect(harness.errors(thief) == [.notYourID])
        #expect(harness.room.tree.snapshot() == snapshot)
        #expect(harness.room.sessions[victim.id]?.connection == viewers[0])
        #expect(harness.room.members[thief] == nil)
    }

    @Test("SDP and ICE pass only between peers the tree links, by the current epoch")
    func signallingConfinedToTree() throws {
        var (harness, _, viewers) = Self.playingRoom(viewers: 4)
        let a = harness.id(viewers[0])
        let leaf = harness.room.tree.level(2)[0]
        let leafConnection = harness.connection(of: leaf)!
        let parent = harness.room.tree[leaf]!.parentUUID
        let epoch = try harness.room.tree.linkEpoch(of: leaf)
        let stranger = harness.room.tree.viewers.map(\.uuid).first { $0 != parent && $0 != leaf }!
        let refusedBefore = harness.errors(leafConnection).count
        let candidate = SignalPayload.candidate(
            candidate: "candidate:1 1 udp 1 127.0.0.1 9 typ host", sdpMid: "0", sdpMLineIndex: 0)
        harness.send(.signal(.init(to: stranger, epoch: epoch, payload: candidate)), from: leafConnection)
        harness.send(.signal(.init(to: parent, epoch: epoch + 1, payload: candidate)), from: leafConnection)
        harness.send(.signal(.init(to: leaf, epoch: epoch, payload: candidate)), from: leafConnection)
        #expect(harness.errors(leafConnection).count == refusedBefore + 3)
        let parentConnection = harness.connection(of: parent)!
        let mark = harness.frames(parentConnection).count
        harness.send(.signal(.init(to: parent, epoch: epoch, payload: candidate)), from: leafConnection)
        #expect(
            harness.frames(parentConnection, since: mark) == [.signal(from: leaf, epoch: epoch, payload: candidate)])
        _ = a
    }

    @Test("A second broadcaster without the owner's token is refused; the owner's reload is not")
    func roomOwnership() {
        var (harness, broadcaster, _) = Self.playingRoom(viewers: 2)
        let intruder = harness.connect(.broadcaster)
        #expect(harness.errors(intruder) == [.roomTaken])
        #expect(harness.closed[intruder] != nil)
        #expect(harness.room.broadcasterConnection == broadcaster)
        let owner = harness.pages[broadcaster]!.credentials!
        let reload = harness.connect(.broadcaster, resume: owner)
        #expect(harness.errors(reload).isEmpty)
        #expect(harness.closed[broadcaster] != nil)
        #expect(harness.room.broadcasterConnection == reload)
    }

    @Test("A broadcaster reload restores the tree: only the first viewer reconnects, everyone receives again")
    func broadcasterReload() throws {
        var (harness, broadcaster, viewers) = Self.playingRoom(viewers: 7)
        let owner = harness.pages[broadcaster]!.credentials!
        let parents = Dictionary(uniqueKeysWithValues: harness.room.tree.viewers.map { ($0.uuid, $0.parentUUID) })
        let offersBefore = viewers.map { harness.pages[$0]!.offersReceived }
        harness.drop(broadcaster)
        #expect(!harness.room.isLive)
        harness.advance(by: .seconds(1))
        harness.connect(.broadcaster, resume: owner)
        harness.advance(by: .seconds(11))  // past the restore window
        #expect(harness.room.tree.count == 7)
        #expect(harness.everyoneReceives())
        #expect(harness.room.statistics.restarts == 1)
        let reconnected = viewers.indices.filter { harness.pages[viewers[$0]]!.offersReceived > offersBefore[$0] }
        #expect(reconnected.count == 1)
        for viewer in harness.room.tree.viewers { #expect(viewer.parentUUID == parents[viewer.uuid]) }
    }

    @Test("A server restart restores the room from its record: pages resume their sessions and keep their links")
    func serverRestart() throws {
        let (before, broadcaster, viewers) = Self.playingRoom(viewers: 7)
        let record = before.room.record()
        #expect(record.sessions.count == 7)
        var after = RoomHarness(restoring: record)
        // The pages keep their peer connections across the restart.
        for connection in [broadcaster] + viewers { after.pages[connection] = before.pages[connection] }
        var resumed: [ConnectionID] = []
        for connection in viewers {
            var page = before.pages[connection]!
            let again = after.connect(.viewer, resume: page.credentials!)
            page.offersReceived = 0
            after.pages[again] = page
            after.pages[again]!.credentials = page.credentials
            resumed.append(again)
        }
        after.connect(.broadcaster, resume: before.pages[broadcaster]!.credentials!)
        after.advance(by: .seconds(11))
        #expect(after.room.tree.count == 7)
        #expect(after.everyoneReceives())
        let reconnected = resumed.filter { after.pages[$0]!.offersReceived > 0 }
        #expect(reconnected.count == 1, "only the first viewer, whose link the broadcaster renews")
    }

    @Test("A non-relayable viewer never gets children; a capacity-1 viewer at most one")
    func relayAndCapacity() throws {
        var harness = RoomHarness(fanout: 3)
        harness.connect(.broadcaster)
        let noRelay = harness.viewer(relayable: false)
        let one = harness.viewer(capacity: 1)
        for _ in 0..<8 { harness.viewer() }
        #expect(try harness.room.tree.children(of: harness.id(noRelay)).isEmpty)
        #expect(try harness.room.tree.children(of: harness.id(one)).count <= 1)
        #expect(harness.everyoneReceives())
    }

    @Test("A full room refuses the next viewer and closes its socket; the room is unchanged")
    func roomFull() {
        var harness = RoomHarness(maxViewers: 2)
        harness.connect(.broadcaster)
        harness.viewer()
        harness.viewer()
        let third = harness.viewer()
        #expect(harness.errors(third) == [.roomFull])
        #expect(harness.closed[third] != nil)
        #expect(harness.room.tree.count == 2)
    }

    @Test("Frames before hello, a second hello and stale link reports are refused or ignored, never applied")
    func outOfTurn() {
        var (harness, _, viewers) = Self.playingRoom(viewers: 2)
        let snapshot = harness.room.tree.snapshot()
        harness.send(.leave, from: ConnectionID(rawValue: 999))
        harness.send(.hello(.init(room: harness.room.name, role: .viewer, relayable: true)), from: viewers[0])
        harness.send(.link(.init(peer: "broadcaster", epoch: 12345, direction: .up, state: .closed)), from: viewers[0])
        #expect(harness.errors(viewers[0]) == [.alreadyHello])
        #expect(harness.room.statistics.staleLinkReports == 1)
        #expect(harness.room.tree.snapshot() == snapshot)
    }

    @Test("Status reports appear in the tree view")
    func statusInTreeView() throws {
        var (harness, _, viewers) = Self.playingRoom(viewers: 1)
        harness.send(.status(.init(receiving: true, framesDecoded: 42, upstream: "broadcaster")), from: viewers[0])
        guard case .object(let view) = harness.room.treeJSON, case .array(let list)? = view["viewers"],
            case .object(let first) = list.first
        else {
            Issue.record("unexpected tree view")
            return
        }
        #expect(first["receiving"] == .bool(true))
        #expect(first["framesDecoded"] == .integer(42))
        #expect(first["upstream"] == .string("broadcaster"))
        #expect(first["parent"] == .string("broadcaster"))
    }
}
