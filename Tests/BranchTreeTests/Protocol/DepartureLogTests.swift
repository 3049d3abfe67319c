import Testing

@testable import BranchTree

@Suite("DepartureLog")
struct DepartureLogTests {
    @Test(
        "With tree changes unreported, a broadcaster acts the same, but for its treeChanged actions, and lists each departure as its change would",
        arguments: 0..<30 as Range<UInt64>)
    func sameAsReportedChanges(seed: UInt64) throws {
        var random = Xoshiro256StarStar(seed: seed)
        var reporting = try BroadcasterStateMachine(tree: BranchTree(fanout: 2, broadcasterFanout: 2))
        var listing = reporting
        listing.reportsTreeChanges = false
        var joined: [ViewerID] = []
        var departures = 0
        var evictions = 0
        for step in 0..<300 {
            let now = Timestamp.seconds(Double(step))
            let input: BroadcasterStateMachine.Input
            switch joined.isEmpty ? 0 : random.next(below: 20) {
            case 0..<11:
                // Most cannot relay, so that repairs displace and evict viewers.
                let id = ViewerID("v\(joined.count)")
                joined.append(id)
                input = .received(.join(.init(relayable: random.nextBool(probability: 0.4))), from: id)
            case 11..<19:
                input = .viewerDisconnected(joined[random.next(below: joined.count)])
            default:
                // Several departures in one input: the viewers that do not confirm in time.
                input = .restarted(from: reporting.tree, strategy: .restore)
            }
            let reported = reporting.handle(input, at: now)
            let listed = listing.handle(input, at: now)
            try expectSame(reported, listed, departures: listing.departures, counting: &departures, &evictions)
            if case .restarted = input {
                let end = now + reporting.timings.restoreWindow
                let reportedEnd = reporting.handle(.timerFired(.restoreWindow), at: end)
                let listedEnd = listing.handle(.timerFired(.restoreWindow), at: end)
                try expectSame(
                    reportedEnd, listedEnd, departures: listing.departures, counting: &departures, &evictions)
            }
        }
        #expect(departures > 50)
        if seed == 0 { #expect(evictions > 0) }
    }

    /// Checks that `listed` is `reported` without its `treeChanged` actions, and that
    /// `departures` lists each departure's change in `reported`.
    private func expectSame(
        _ reported: [BroadcasterAction], _ listed: [BroadcasterAction], departures: DepartureLog,
        counting count: inout Int, _ evictions: inout Int
    ) throws {
        var changes: [TreeChange] = []
        var others: [BroadcasterAction] = []
        for action in reported {
            if case .treeChanged(let change) = action {
                if case .left = change.outcome { changes.append(change) }
                evictions += change.evicted.count
            } else {
                others.append(action)
            }
        }
        #expect(listed == others)
        try #require(departures.departures.count == changes.count)
        for (change, departure) in zip(changes, departures.departures) {
            #expect(departure.interruptedCount == change.interruptedCount)
            #expect(departure.linksCreated == change.linksCreated.count)
            #expect(Array(departures.reconnecting[departure.reconnecting]) == change.reconnecting)
        }
        count += changes.count
    }

    @Test("A machine that reports changes lists no departures")
    func emptyWhenReporting() throws {
        var broadcaster = try BroadcasterStateMachine(tree: BranchTree(fanout: 2))
        _ = broadcaster.handle(.received(.join(.init()), from: "A"), at: .zero)
        let actions = broadcaster.handle(.viewerDisconnected("A"), at: .zero)
        #expect(actions.contains { if case .treeChanged = $0 { true } else { false } })
        #expect(broadcaster.departures.departures.isEmpty && broadcaster.departures.reconnecting.isEmpty)
    }
}
