// Oldest-leaf promotion: the repair of the stable policy, and the join ranks it orders
// viewers by. Under heavy-tailed session lengths a viewer's age predicts how much longer
// it stays (Sripanidkulchai, Ganjam, Maggs and Zhang, SIGCOMM 2004; Tan and Jarvis's ROST,
// DSN 2006), so the repair promotes the oldest leaf where leaf migration takes the youngest.

extension BranchTree {
    /// How many levels a repair promotes through: a bound on the moves per departure.
    static var promotionDepth: Int { 2 }

    /// A childless leaver is simply removed: its parent's free slot goes to the next
    /// joiner. Any other leaver X is repaired like a heap deletion, bounded: while the
    /// hole's oldest child is older than the oldest leaf that could fill the hole, that
    /// child moves up into the hole — adopting the hole's other children and keeping its
    /// own link to the child that moves up after it — for at most ``promotionDepth``
    /// levels (further only while no leaf can fill the hole); then the oldest relayable leaf that can hold the last hole's children
    /// (wherever it sits) fills it. Old viewers thus climb towards the root and young
    /// ones stay leaves, so a departure usually costs the leaver's own small subtree.
    /// When no leaf can fill the hole (none relays to enough children), the orphans
    /// rejoin by add-branch.
    mutating func leaveByOldestLeafPromotion<Recorder: _RepairRecorder>(_ slot: Int32, change: inout Recorder) {
        removeFromHeaps(slot)  // so that the leaver is never its own successor
        if slots[node: Int(slot)].isLeaf {
            recordDeparture(of: slot, change: &change)
            removeLeaf(slot)
        } else if let plan = promotionPlan(replacing: slot) {
            promote(plan, into: slot, change: &change)
        } else {
            leaveByOrphanRejoin(slot, change: &change)
        }
    }

    /// Who moves when `leaver` goes: the children promoted a level each, top first, and
    /// the leaf that fills the last hole (nil when the last promoted child was a leaf).
    /// Nil when no plan exists.
    private func promotionPlan(replacing leaver: Int32) -> (chain: [Int32], filler: Int32?)? {
        var chain: [Int32] = []
        var hole = leaver
        while true {
            let filler = tailCandidate(replacing: hole)
            let children = childSlots(of: hole)
            // A promoted child keeps one child of its own (the next to move up) unless it
            // is a leaf, and adopts the hole's other children.
            let oldest = children.filter {
                let node = slots[node: Int($0)]
                return node.capacity > 0 && Int(node.capacity) >= children.count - (node.isLeaf ? 1 : 0)
            }.min { slots[joinRank: Int($0)] < slots[joinRank: Int($1)] }
            if let oldest, chain.count < Self.promotionDepth || filler == nil,
                filler.map({ slots[joinRank: Int(oldest)] < slots[joinRank: Int($0)] }) ?? true
            {
                chain.append(oldest)
                if slots[node: Int(oldest)].isLeaf { return (chain, nil) }
                hole = oldest
                continue
            }
            guard let filler else { return nil }
            return (chain, filler)
        }
    }

    /// Carries out a promotion plan for `leaver`, bottom-up so that no viewer ever holds
    /// more children than its capacity, and records every changed link.
    private mutating func promote<Recorder: _RepairRecorder>(
        _ plan: (chain: [Int32], filler: Int32?), into leaver: Int32, change: inout Recorder
    ) {
        guard !plan.chain.isEmpty else {
            // Nobody climbs: the filler takes the leaver's record, as the tail does.
            return migrate(plan.filler!, into: leaver, change: &change)
        }
        recordDeparture(of: leaver, change: &change)
        let holes = [leaver] + plan.chain
        // Everyone whose parent may change, with where it was.
        var candidates = holes.flatMap { Array(childSlots(of: $0)) }
        if let filler = plan.filler { candidates.append(filler) }
        // A handful of viewers: a linear search beats hashing them.
        let before = candidates.map {
            (slot: $0, parent: slots[node: Int($0)].parent, depth: Int(slots[node: Int($0)].depth))
        }
        var adoptedBy: [[Int32]] = []

        if let filler = plan.filler {
            let hole = plan.chain[plan.chain.count - 1]
            let oldParent = slots[node: Int(filler)].parent
            let epoch = slots[epoch: Int(filler)]
            removeFromHeaps(filler)
            removeFromLevel(filler)
            unlinkFromParent(filler)
            // (The leaver and the holes are re-keyed below, or freed.)
            if !holes.contains(oldParent) { refreshHeapMembership(of: oldParent) }
            for child in Array(childSlots(of: hole)) {
                unlinkFromParent(child)
                appendChild(child, to: filler)
            }
            appendChild(filler, to: hole)
            if oldParent == hole { slots[epoch: Int(filler)] = epoch }  // the same link, one level up
            appendToLevel(filler, depth: slots[node: Int(hole)].depth)
            refreshHeapMembership(of: filler)
        }
        for index in stride(from: plan.chain.count - 1, through: 0, by: -1) {
            let promoted = plan.chain[index]
            let hole = holes[index]
            let holeNode = slots[node: Int(hole)]
            let epoch = slots[epoch: Int(promoted)]
            removeFromHeaps(promoted)
            removeFromLevel(promoted)
            unlinkFromParent(promoted)
            let adopted = Array(childSlots(of: hole))
            for child in adopted {
                unlinkFromParent(child)
                appendChild(child, to: promoted)
            }
            adoptedBy.append(adopted)
            if hole == leaver {
                removeFromLevel(leaver)
                unlinkFromParent(leaver)
                appendChild(promoted, to: holeNode.parent)
                refreshHeapMembership(of: holeNode.parent)
            } else {
                appendChild(promoted, to: hole)
                slots[epoch: Int(promoted)] = epoch  // the same link, one level up
            }
            appendToLevel(promoted, depth: holeNode.depth)
            refreshHeapMembership(of: promoted)
        }
        releaseSlot(leaver)

        // The new links, top-down: each promoted viewer, the siblings it adopted, and
        // last the filler with the children it adopted.
        var order: [Int32] = []
        for (index, promoted) in plan.chain.enumerated() {
            order.append(promoted)
            order.append(contentsOf: adoptedBy[plan.chain.count - 1 - index])
        }
        if let filler = plan.filler {
            order.append(filler)
            order.append(contentsOf: childSlots(of: filler))
        }
        var newlyReconnecting: [Int32] = []
        for slot in order {
            guard let origin = before.first(where: { $0.slot == slot }) else { continue }
            let node = slots[node: Int(slot)]
            guard node.parent != origin.parent else { continue }  // kept its link, moved up with it
            if origin.parent != leaver {  // links from the leaver are cut already
                change.recordCut(parent: origin.parent, child: slot, slots: slots)
                newlyReconnecting.append(slot)
                change.recordReconnecting(slot, slots: slots)
            }
            change.recordLink(
                to: slot, under: node.parent, depth: Int(node.depth), movedFrom: (origin.parent, origin.depth),
                slots: slots)
        }
        for slot in newlyReconnecting { change.withdrawKeepingLink(slot, slots: slots) }
    }

    /// Gives the viewer at `slot` the next join rank: younger than everyone present.
    /// When the ranks would outgrow the 32 bits the free-slot key holds them in, every
    /// viewer is ranked afresh first, in the same order (once per 2³² joins: amortised
    /// O(1)).
    mutating func assignJoinRank(to slot: Int32) {
        if nextJoinRank > UInt64(UInt32.max) { rerankByAge() }
        slots[joinRank: Int(slot)] = nextJoinRank
        nextJoinRank += 1
    }

    /// Ranks every viewer 0, 1, 2 … in its present age order, ties (only possible in a
    /// restored snapshot) broken by level order, and re-keys the heaps.
    /// - Complexity: O(n log n)
    mutating func rerankByAge() {
        let order = levelOrderSlots().enumerated().sorted {
            (slots[joinRank: Int($0.element)], $0.offset) < (slots[joinRank: Int($1.element)], $1.offset)
        }
        for (rank, entry) in order.enumerated() { slots[joinRank: Int(entry.element)] = UInt64(rank) }
        nextJoinRank = UInt64(order.count)
        for (_, slot) in order { refreshHeapMembership(of: slot) }
    }
}
