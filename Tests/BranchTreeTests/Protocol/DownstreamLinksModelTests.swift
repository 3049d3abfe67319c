import Testing

@testable import BranchTree

/// `DownstreamLinks` against a plain model of its rules: fresh arrays, linear searches,
/// nothing reused. Random operations over a few children and epochs (so that records
/// repeat children, keep, drop and reorder links, and provisional links come and go)
/// must give the same entries and the same answers after every step.
@Suite("DownstreamLinks against a model")
struct DownstreamLinksModelTests {
    typealias Entry = DownstreamLinks.Entry

    /// The rules as first written: one new array per record.
    struct Model {
        var entries: [Entry] = []

        mutating func adopt(_ record: [RelayMessage.ChildLink], issuedAt sequence: UInt64, deadline: Timestamp)
            -> [Entry]
        {
            var next: [Entry] = []
            for link in record {
                if var kept = entries.first(where: { $0.child == link.id && $0.epoch == link.epoch }) {
                    kept.provisional = false
                    next.append(kept)
                } else if let newer = entries.first(where: {
                    $0.child == link.id && $0.provisional && $0.epoch > sequence
                }) {
                    next.append(newer)
                } else {
                    next.append(Entry(child: link.id, epoch: link.epoch, state: .awaitingRequest, deadline: deadline))
                }
            }
            for old in entries where old.provisional && old.epoch > sequence {
                if !next.contains(where: { $0.child == old.child }) { next.append(old) }
            }
            let dropped = entries.filter { old in
                old.state != .awaitingRequest && !next.contains { $0.child == old.child && $0.epoch == old.epoch }
            }
            entries = next
            return dropped
        }

        mutating func connected(_ child: ViewerID) -> Bool {
            guard let index = entries.firstIndex(where: { $0.child == child && $0.state != .awaitingRequest }) else {
                return false
            }
            entries[index].state = .connected
            return true
        }

        mutating func closed(_ child: ViewerID) -> Entry? {
            guard let index = entries.firstIndex(where: { $0.child == child && $0.state != .awaitingRequest }) else {
                return nil
            }
            return entries.remove(at: index)
        }

        var nextDeadline: Timestamp? {
            entries.filter { $0.state != .connected || $0.provisional }.map(\.deadline).min()
        }
    }

    static let children: [ViewerID] = ["A", "B", "C", "D", "E"]

    @Test(arguments: 0..<40)
    func agreesWithTheModel(seed: UInt64) {
        var random = Xoshiro256StarStar(seed: seed)
        var links = DownstreamLinks()
        var model = Model()
        var sequence: UInt64 = 1
        for step in 0..<300 {
            let now = Timestamp(nanoseconds: Int64(step))
            let child = Self.children[random.next(below: Self.children.count)]
            let epoch = UInt64(random.next(below: 8) + 1)
            let deadline = Timestamp(nanoseconds: Int64(step) + Int64(random.next(below: 20)))
            switch random.next(below: 6) {
            case 0, 1:
                sequence += UInt64(random.next(below: 3))
                // Half the records start with the links held, as most records do.
                var record: [RelayMessage.ChildLink] = []
                if random.nextBool(probability: 0.5) {
                    record = model.entries.map { RelayMessage.ChildLink(id: $0.child, epoch: $0.epoch) }
                }
                for _ in 0..<random.next(below: 3) {
                    let listed = Self.children[random.next(below: Self.children.count)]
                    record.append(.init(id: listed, epoch: UInt64(random.next(below: 8) + 1)))
                }
                let got = links.adopt(record, issuedAt: sequence, deadline: deadline)
                let expected = model.adopt(record, issuedAt: sequence, deadline: deadline)
                #expect(got == expected, "seed \(seed), step \(step): dropped by \(record)")
            case 2:
                let got = links.request(from: child, epoch: epoch, deadline: deadline)
                if got == .unknownLink, random.nextBool(probability: 0.5) {
                    let replaced = model.entries.contains { $0.child == child && $0.state != .awaitingRequest }
                    #expect(
                        links.takeProvisional(from: child, epoch: epoch, deadline: deadline)
                            == (replaced ? .replace : .connect))
                    model.entries.removeAll { $0.child == child }
                    model.entries.append(
                        Entry(child: child, epoch: epoch, state: .connecting, deadline: deadline, provisional: true))
                } else if let index = model.entries.firstIndex(where: { $0.child == child }),
                    model.entries[index].epoch == epoch, model.entries[index].state == .awaitingRequest
                {
                    #expect(got == .connect)
                    model.entries[index].state = .connecting
                    model.entries[index].deadline = deadline
                }
            case 3:
                #expect(links.connected(child) == model.connected(child))
            case 4:
                #expect(links.closed(child) == model.closed(child))
            default:
                let expired = model.entries.filter { ($0.state != .connected || $0.provisional) && $0.deadline <= now }
                model.entries.removeAll { ($0.state != .connected || $0.provisional) && $0.deadline <= now }
                #expect(links.expire(at: now) == expired)
            }
            #expect(links.entries == model.entries, "seed \(seed), step \(step)")
            #expect(links.nextDeadline == model.nextDeadline)
            #expect(links.connectedChildren == model.entries.filter { $0.state == .connected }.map(\.child))
            #expect(
                links.hasProvisionalLink(to: child, newerThan: sequence)
                    == model.entries.contains { $0.child == child && $0.provisional && $0.epoch > sequence })
            if links.entries != model.entries { return }
        }
    }
}
