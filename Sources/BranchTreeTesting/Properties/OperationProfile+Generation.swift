import BranchTree

extension OperationProfile {
    /// The operation sequence of `seed` under this profile: the same seed gives the same
    /// sequence on every machine and every Swift version (it draws from
    /// `Xoshiro256StarStar`, never the standard library's generator).
    ///
    /// Joins and leaves are generated as if each succeeded; when one does not (a repeated
    /// join, a viewer that cannot relay and finds no slot), a later operation may name an
    /// absent id, which the tree must refuse cleanly.
    ///
    /// - Complexity: O(m · a) for a sequence of m operations drifting towards an audience
    ///   of a.
    public func operations(seed: UInt64) -> [TreeOperation] {
        var random = Xoshiro256StarStar(seed: seed)
        let length = length.lowerBound + random.next(below: length.count)
        let audience = 1 + random.next(below: maxAudience)
        var present: [ViewerID] = []
        var departed: [ViewerID] = []
        var nextID = 1
        var result: [TreeOperation] = []
        result.reserveCapacity(length)

        func capacity() -> Int? {
            random.nextCapacity(nonRelayable: nonRelayable, lowCapacity: lowCapacity, fanout: fanout)
        }

        while result.count < length {
            let roll = random.nextUnitDouble()
            if roll < absentLeaves {
                if !departed.isEmpty, random.nextBool(probability: 0.5) {
                    result.append(.leave(departed[random.next(below: departed.count)]))
                } else {
                    result.append(.leave(ViewerID("absent\(random.next(below: 1000))")))
                }
            } else if roll < absentLeaves + duplicateJoins, !present.isEmpty {
                result.append(.join(present[random.next(below: present.count)], capacity: capacity()))
            } else if present.isEmpty || random.nextBool(probability: present.count < audience ? 0.8 : 0.35) {
                let id: ViewerID
                if !departed.isEmpty, random.nextBool(probability: returningViewers) {
                    id = departed.remove(at: random.next(below: departed.count))
                } else {
                    id = ViewerID("v\(nextID)")
                    nextID += 1
                }
                present.append(id)
                result.append(.join(id, capacity: capacity()))
            } else {
                let id = present.remove(at: random.next(below: present.count))
                departed.append(id)
                result.append(.leave(id))
            }
        }
        return result
    }
}
