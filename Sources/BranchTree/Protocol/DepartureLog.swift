/// What the departures one input set off cost, for a simulator that only counts: with
/// ``BroadcasterStateMachine/reportsTreeChanges`` off, the machine lists each departure
/// here instead of in a ``BroadcasterAction/treeChanged(_:)`` action.
///
/// Building a ``TreeChange`` allocates its lists and every id it names, and the caller
/// then frees them, on every join and leave. These buffers are kept from one input to
/// the next, so once they have grown to the largest input's, they allocate nothing.
package struct DepartureLog: Sendable {
    /// One departure, in the order of the machine's
    /// ``BroadcasterAction/viewerRemoved(_:reason:)`` actions.
    package struct Departure: Sendable, Hashable {
        /// As ``TreeChange/interruptedCount``.
        package var interruptedCount: Int
        /// The number of links the repair creates: as ``TreeChange/linksCreated``'s count.
        package var linksCreated: Int
        /// Where ``DepartureLog/reconnecting`` lists this departure's
        /// ``TreeChange/reconnecting`` viewers.
        package var reconnecting: Range<Int>
    }

    /// The departures of the last input.
    package private(set) var departures: [Departure] = []
    /// Their reconnecting viewers, one departure after another.
    package private(set) var reconnecting: [ViewerID] = []

    /// An empty log.
    package init() {}

    /// Empties the log, keeping its buffers.
    /// - Complexity: O(1) when empty, else O(entries).
    mutating func removeAll() {
        guard !departures.isEmpty else { return }
        // One by one: an input lists a few, and the generic `removeAll(keepingCapacity:)`
        // (through `replaceSubrange`) costs more than the specialised `removeLast`.
        while !departures.isEmpty { departures.removeLast() }
        while !reconnecting.isEmpty { reconnecting.removeLast() }
    }

    /// Adds the departure `log` records, `tree` being the tree right after it: its
    /// reconnecting viewers are still in the tree (an evicted one is withdrawn from them
    /// first), so their slots give their ids.
    /// - Complexity: O(reconnecting viewers).
    mutating func append(_ log: SlotChangeLog, in tree: BranchTree) {
        let start = reconnecting.count
        for slot in log.reconnecting { reconnecting.append(tree.viewerID(ofSlot: slot)) }
        departures.append(
            Departure(
                interruptedCount: log.interruptedCount, linksCreated: log.linksCreated.count,
                reconnecting: start..<reconnecting.count))
    }
}
