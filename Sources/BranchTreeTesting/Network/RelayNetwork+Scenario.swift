import BranchTree

extension RelayNetwork {
    /// Random churn — viewers starting (some before the broadcaster), leaving cleanly or
    /// vanishing, the broadcaster crashing and restarting — for the profile's
    /// ``RelayNetworkProfile/churn``, then quiet, then the checks of
    /// ``quiescentViolations()``.
    ///
    /// - Returns: The failure with the seed, the code that reproduces it and the tail of
    ///   the event log (``report()``), or nil when every property holds.
    /// - Complexity: O(e log e) for e events, plus the machines' own costs.
    public mutating func runScenario() -> String? {
        viewersToStart = profile.viewers.lowerBound + random.next(below: profile.viewers.count)
        churnEnd = now + profile.churn
        let broadcasterDelay: Duration =
            random.nextBool(probability: profile.lateBroadcaster)
            ? .milliseconds(1_000 + random.next(below: 15_000)) : .zero
        startBroadcaster(after: broadcasterDelay)
        let crashes = profile.crashes.lowerBound + random.next(below: profile.crashes.count)
        let churnMilliseconds = Int(profile.churn.nanosecondsClamped / 1_000_000)
        for _ in 0..<crashes {
            let at = Duration.milliseconds(5_000 + random.next(below: Swift.max(churnMilliseconds - 5_000, 1)))
            crashBroadcaster(after: at, downtime: .milliseconds(500 + random.next(below: 8_000)))
        }
        schedule(.churnTick, after: .zero)
        settle()
        return report()
    }

    /// The failure of the run so far — the first one recorded, else what
    /// ``quiescentViolations()`` finds — with the seed, the code that reproduces it, the
    /// tail of the event log and the state; nil when every property holds.
    ///
    /// - Complexity: O(n + l) for n nodes and l links.
    public mutating func report() -> String? {
        report(rerun: "network.runScenario()")
    }

    mutating func report(rerun: String) -> String? {
        if failure == nil {
            let problems = quiescentViolations()
            if !problems.isEmpty { failure = problems.prefix(8).joined(separator: "; ") }
        }
        guard let failure else { return nil }
        return """
            seed \(seed) (\(profile)) fails at \(now): \(failure)
            reproduce with:
            \(profile.swiftSource)
            var network = RelayNetwork(seed: \(seed), profile: profile)
            network.logSize = 1_000  // more of the log
            print(\(rerun) ?? "passes")
            last events:
              \(trace.joined(separator: "\n  "))
            state:
              \(stateDump().joined(separator: "\n  "))
            """
    }

    mutating func churnTick() {
        guard now < churnEnd else { return }
        let live = (1..<ids.count).filter { peers[$0 - 1].status == .live }
        let started = ids.count - 1
        if !live.isEmpty, random.nextBool(probability: profile.departures) {
            let leaver = departureCandidate(from: live, pick: random.next(below: live.count))
            process(.depart(leaver, abrupt: random.nextBool(probability: profile.abrupt)))
        } else if started < viewersToStart {
            addViewer(capacity: placeable(drawCapacity()))
        }
        schedule(.churnTick, after: .milliseconds(200 + random.next(below: 5_000)))
    }

    /// A new viewer's capacity under the profile: 0 (cannot relay), a low one, or the
    /// fan-out.
    mutating func drawCapacity() -> Int {
        random.nextCapacity(
            nonRelayable: profile.nonRelayable, lowCapacity: profile.lowCapacity, fanout: profile.fanout)
            ?? profile.fanout
    }

    /// `capacity`, or the fan-out when a viewer of `capacity` would make an audience that
    /// cannot all be placed.
    func placeable(_ capacity: Int) -> Int {
        canPlace(adding: capacity) ? capacity : profile.fanout
    }

    /// Whether the live audience could all be placed with one more viewer of `capacity`
    /// (negative `count`: one fewer): every viewer needs a slot, and only the broadcaster
    /// and relaying viewers have them.
    private func canPlace(adding capacity: Int, count: Int = 1) -> Bool {
        var viewers = count
        var slots = profile.configuration.broadcasterFanout + count * capacity
        for peer in peers where peer.status == .live || peer.status == .notStarted {
            viewers += 1
            slots += peer.capacity
        }
        return viewers <= slots
    }

    /// The live viewer `pick` names, unless losing it would leave someone without a slot:
    /// then one that cannot relay goes instead.
    func departureCandidate(from live: [Int], pick: Int) -> Int {
        let chosen = live[pick % live.count]
        if canPlace(adding: peers[chosen - 1].capacity, count: -1) { return chosen }
        return live.first { peers[$0 - 1].capacity == 0 }!
    }
}
