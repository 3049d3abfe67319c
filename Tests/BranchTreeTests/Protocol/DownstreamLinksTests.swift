import Testing

@testable import BranchTree

@Suite("DownstreamLinks")
struct DownstreamLinksTests {
    static let deadline = Timestamp.seconds(15)

    /// C (epoch 6) and D (epoch 7) listed by a record of version 7; C asked at 1 s and is
    /// connected.
    static func links() -> DownstreamLinks {
        var links = DownstreamLinks()
        let dropped = links.adopt(
            [.init(id: "C", epoch: 6), .init(id: "D", epoch: 7)], issuedAt: 7, deadline: deadline)
        #expect(dropped.isEmpty)
        #expect(links.request(from: "C", epoch: 6, deadline: .seconds(16)) == .connect)
        let connected = links.connected("C")
        #expect(connected)
        return links
    }

    @Test("A request opens only a listed link with its epoch, once")
    func listedOnly() {
        var links = Self.links()
        #expect(links.request(from: "C", epoch: 6, deadline: .seconds(20)) == .duplicate)
        #expect(links.request(from: "D", epoch: 6, deadline: .seconds(20)) == .unknownLink)
        #expect(links.request(from: "E", epoch: 9, deadline: .seconds(20)) == .unknownLink)
        #expect(links.request(from: "D", epoch: 7, deadline: .seconds(20)) == .connect)
        #expect(links.provisionalCount(excluding: "X") == 0)
    }

    @Test("A provisional link is added, or replaces the child's open link; only provisional ones are counted")
    func provisional() {
        var links = Self.links()
        #expect(links.takeProvisional(from: "E", epoch: 9, deadline: .seconds(20)) == .connect)
        #expect(links.takeProvisional(from: "C", epoch: 9, deadline: .seconds(20)) == .replace)
        // D never asked: nothing of its to close.
        #expect(links.takeProvisional(from: "D", epoch: 9, deadline: .seconds(20)) == .connect)
        #expect(links.entries.map(\.child) == ["E", "C", "D"])
        #expect(links.provisionalCount(excluding: "X") == 3)
        #expect(links.provisionalCount(excluding: "C") == 2)
        #expect(links.hasProvisionalLink(to: "E", newerThan: 8))
        #expect(!links.hasProvisionalLink(to: "E", newerThan: 9))
    }

    @Test("A provisional link fails at its deadline even when up, unless a record lists it first")
    func provisionalDeadline() {
        var unconfirmed = Self.links()
        _ = unconfirmed.takeProvisional(from: "E", epoch: 9, deadline: .seconds(20))
        let connected = unconfirmed.connected("E")
        #expect(connected)
        #expect(unconfirmed.expire(at: .seconds(15)).map(\.child) == ["D"])
        #expect(unconfirmed.nextDeadline == .seconds(20))
        #expect(unconfirmed.expire(at: .seconds(20)).map(\.child) == ["E"])
        #expect(unconfirmed.nextDeadline == nil)
        #expect(unconfirmed.connectedChildren == ["C"])

        var confirmed = Self.links()
        _ = confirmed.takeProvisional(from: "E", epoch: 9, deadline: .seconds(20))
        _ = confirmed.connected("E")
        let dropped = confirmed.adopt(
            [.init(id: "C", epoch: 6), .init(id: "E", epoch: 9)], issuedAt: 9, deadline: .seconds(30))
        #expect(dropped.isEmpty)
        #expect(confirmed.nextDeadline == nil)
        #expect(confirmed.expire(at: .seconds(100)).isEmpty)
        #expect(confirmed.connectedChildren == ["C", "E"])
    }

    @Test("A record returns the open links it no longer lists, with their epochs, and keeps newer provisional ones")
    func adoptReturnsDropped() {
        var links = Self.links()
        _ = links.takeProvisional(from: "E", epoch: 12, deadline: .seconds(20))
        // Version 10 moves C to a new link and drops D (which never asked); E is newer.
        let dropped = links.adopt([.init(id: "C", epoch: 10)], issuedAt: 10, deadline: .seconds(25))
        #expect(dropped.map(\.child) == ["C"])
        #expect(dropped.map(\.epoch) == [6])
        #expect(links.entries.map(\.child) == ["C", "E"])
        #expect(links.entries.map(\.epoch) == [10, 12])
        // Version 12 does not list E: it goes too.
        #expect(links.adopt([.init(id: "C", epoch: 10)], issuedAt: 12, deadline: .seconds(25)).map(\.child) == ["E"])
    }
}
