import BranchTree

extension RelayNetworkProfile {
    /// A random sequence of network operations for `seed`, for ``RelayNetwork/run(_:)``:
    /// for the profile's ``churn``, every 0.2–5.2 s a viewer starts (up to a number drawn
    /// from ``viewers``, with capacities by ``nonRelayable`` and ``lowCapacity``) or, by
    /// ``departures``, one leaves (abruptly by ``abrupt``); the broadcaster crashes the
    /// number of times drawn from ``crashes``, coming back 0.5–8.5 s later. The same
    /// seed gives the same sequence, always.
    ///
    /// - Complexity: O(m) for m operations (about churn / 2.7 s of them).
    public func operations(seed: UInt64) -> [RelayNetwork.Operation] {
        var random = Xoshiro256StarStar(seed: seed)
        let audience = viewers.lowerBound + random.next(below: viewers.count)
        let churnMilliseconds = Int(churn.nanosecondsClamped / 1_000_000)
        var crashTimes = (0..<(crashes.lowerBound + random.next(below: crashes.count))).map { _ in
            5_000 + random.next(below: Swift.max(churnMilliseconds - 5_000, 1))
        }
        crashTimes.sort(by: >)
        var result: [RelayNetwork.Operation] = []
        var elapsed = 0
        var started = 0
        var live = 0
        while elapsed < churnMilliseconds {
            if live > 0, random.nextBool(probability: departures) {
                result.append(
                    .depart(pick: random.next(below: 1 << 16), abrupt: random.nextBool(probability: abrupt)))
                live -= 1
            } else if started < audience {
                result.append(
                    .addViewer(
                        capacity: random.nextCapacity(
                            nonRelayable: nonRelayable, lowCapacity: lowCapacity, fanout: fanout)))
                started += 1
                live += 1
            }
            let step = 200 + random.next(below: 5_000)
            var waited = 0
            while let crash = crashTimes.last, crash < elapsed + step {
                result.append(.wait(.milliseconds(crash - elapsed - waited)))
                waited = crash - elapsed
                crashTimes.removeLast()
                result.append(
                    .crashBroadcaster(downtime: .milliseconds(500 + random.next(below: 8_000)), strategy: nil))
            }
            result.append(.wait(.milliseconds(step - waited)))
            elapsed += step
        }
        return result
    }
}
