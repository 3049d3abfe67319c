import BranchTree
import Testing

@testable import RelayServer

/// Random pages doing random things — joining, leaving, dropping and resuming, the
/// broadcaster reloading, forged signals, stale and invented link reports — checked
/// after every step: the tree stays valid, a refused frame changes nothing, and once
/// the churn stops and time passes, every viewer still in the room receives.
@Suite("RoomStateMachine fuzz")
struct RoomFuzzTests {
    @Test("Random churn and abuse keep the room consistent, and it settles with everyone receiving", arguments: 0..<12)
    func churn(seed: UInt64) throws {
        var random = Xoshiro256StarStar(seed: seed)
        var harness = RoomHarness(fanout: 2 + Int(seed % 3), seed: seed)
        var broadcaster: ConnectionID? = random.next(below: 2) == 0 ? harness.connect(.broadcaster) : nil
        var owner = broadcaster.flatMap { harness.pages[$0]?.credentials }
        var open: [ConnectionID] = []
        var away: [SessionCredentials] = []
        func pick<T>(_ list: [T]) -> T? { list.isEmpty ? nil : list[Int(random.next(below: UInt64(list.count)))] }

        for _ in 0..<300 {
            switch random.next(below: 10) {
            case 0, 1, 2:
                open.append(harness.viewer(relayable: random.next(below: 5) != 0))
            case 3:
                if let connection = pick(open) {
                    harness.send(.leave, from: connection)
                    open.removeAll { $0 == connection }
                }
            case 4:
                if let connection = pick(open) {
                    away.append(harness.pages[connection]!.credentials!)
                    harness.drop(connection)
                    open.removeAll { $0 == connection }
                }
            case 5:
                if let credentials = pick(away) {
                    away.removeAll { $0 == credentials }
                    let again = harness.connect(.viewer, resume: credentials)
                    if harness.closed[again] == nil, harness.errors(again).isEmpty { open.append(again) }
                }
            case 6:
                if let connection = broadcaster {
                    harness.drop(connection)
                    broadcaster = nil
                } else {
                    broadcaster = harness.connect(.broadcaster, resume: owner)
                    owner = harness.pages[broadcaster!]!.credentials
                }
            case 7:
                // Forged traffic: must be refused or ignored without changing the tree.
                if let connection = pick(open) {
                    let before = harness.room.tree.snapshot()
                    let peer = pick(harness.room.tree.viewers.map(\.uuid)) ?? "broadcaster"
                    let epoch = random.next()
                    switch random.next(below: 3) {
                    case 0:
                        harness.send(
                            .signal(.init(to: peer, epoch: epoch, payload: .description(type: "offer", sdp: ""))),
                            from: connection)
                    case 1:
                        harness.send(
                            .link(.init(peer: peer, epoch: epoch, direction: .down, state: .closed)), from: connection)
                    default:
                        harness.send(
                            .link(.init(peer: peer, epoch: epoch, direction: .up, state: .closed)), from: connection)
                    }
                    #expect(harness.room.tree.snapshot() == before)
                }
            default:
                harness.advance(by: .milliseconds(Int64(random.next(below: 8_000))))
            }
            for id in harness.room.tree.viewers.map(\.uuid) {
                #expect(harness.room.sessions[id] != nil || harness.room.savedSessions[id] != nil, "ghost \(id)")
            }
        }
        if broadcaster == nil { harness.connect(.broadcaster, resume: owner) }
        harness.advance(by: .seconds(120))
        #expect(harness.room.sessions.values.allSatisfy { $0.connection != nil })
        #expect(
            harness.room.tree.count == harness.room.sessions.values.filter { harness.room.tree.contains($0.id) }.count)
        let stuck = harness.notReceiving()
        #expect(stuck.isEmpty, "seed \(seed): \(stuck.prefix(5))")
        let unplaced = harness.room.sessions.keys.filter { !harness.room.tree.contains($0) }
        #expect(unplaced.isEmpty, "seed \(seed): sessions never placed: \(unplaced.count)")
    }
}
