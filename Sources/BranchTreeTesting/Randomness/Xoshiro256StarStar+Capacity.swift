import BranchTree

extension Xoshiro256StarStar {
    /// A new viewer's relay capacity: 0 with probability `nonRelayable`, 1 ... fan-out − 1
    /// with probability `lowCapacity`, otherwise nil (the full fan-out).
    mutating func nextCapacity(nonRelayable: Double, lowCapacity: Double, fanout: Int) -> Int? {
        let roll = nextUnitDouble()
        if roll < nonRelayable { return 0 }
        if roll < nonRelayable + lowCapacity, fanout > 1 { return 1 + next(below: fanout - 1) }
        return nil
    }
}
