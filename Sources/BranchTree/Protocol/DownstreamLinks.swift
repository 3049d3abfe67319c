/// The links a node relays the stream over — a viewer's children, or the broadcaster's
/// first viewers — as its latest record lists them, each with its epoch and state.
///
/// Both state machines keep one, so that the broadcaster and every viewer treat their
/// children by the same rules: a listed child must ask for the stream (`request_stream`
/// with the link's epoch) and get connected before its deadline, or the link is
/// reported closed. A viewer may also take a link no record listed yet (provisional,
/// when its own record is still on its way); such a link must be listed by the time its
/// deadline passes, or it fails like a link that never connected.
struct DownstreamLinks: Sendable, Hashable {
    enum State: Sendable, Hashable {
        /// Listed; its `request_stream` has not come yet.
        case awaitingRequest
        /// The parent is opening the link.
        case connecting
        /// The stream flows over the link (when the parent has it).
        case connected
    }

    struct Entry: Sendable, Hashable {
        var child: ViewerID
        var epoch: UInt64
        var state: State
        /// When an entry that is not connected yet, or still provisional, counts as failed.
        var deadline: Timestamp
        /// Taken on the child's request before any record listed it.
        var provisional = false

        /// Whether it fails at its deadline: a link not up yet, or one no record confirmed.
        var isPending: Bool { state != .connected || provisional }

        /// Whether it is provisional and newer than tree version `sequence`: a record of
        /// that version cannot know it.
        func isProvisional(after sequence: UInt64) -> Bool { provisional && epoch > sequence }
    }

    /// In the record's order (provisional entries at the end).
    private(set) var entries: [Entry] = []

    /// What a `request_stream` leads to.
    enum RequestOutcome: Sendable, Hashable {
        /// Open the link.
        case connect
        /// Close the link to this child that is opening or open under an older epoch, then
        /// open the new one: the two are different connections, and events of the old one
        /// must not be taken for the new one.
        case replace
        /// The link is already opening or open: nothing to do.
        case duplicate
        /// No listed link has this child and epoch.
        case unknownLink
    }

    /// Takes a new record, issued at tree version `sequence`: links with the same child
    /// and epoch are kept as they are, new ones await their child's request until
    /// `deadline`. A provisional link newer than the record is kept too, listed or not:
    /// the record cannot know it, and a later one will say whether it stays.
    ///
    /// - Returns: The entries whose link is opening or open and is no longer listed with
    ///   its epoch: the caller closes those links.
    mutating func adopt(
        _ record: [RelayMessage.ChildLink], issuedAt sequence: UInt64, deadline: Timestamp
    ) -> [Entry] {
        if adoptInPlace(record, issuedAt: sequence, deadline: deadline) { return [] }
        // Every lookup reads the old list, so the new one is built beside it, in a buffer
        // on the stack, then moved into the old list's storage: no array per record.
        // Integer tests come before id comparisons, which are the slower part.
        return withUnsafeTemporaryAllocation(of: Entry.self, capacity: record.count + entries.count) { next in
            var count = 0
            func add(_ entry: Entry) {
                next.initializeElement(at: count, to: entry)
                count += 1
            }
            for link in record {
                if var kept = entries.first(where: { $0.epoch == link.epoch && $0.child == link.id }) {
                    kept.provisional = false
                    add(kept)
                } else if let newer = entries.first(where: { $0.isProvisional(after: sequence) && $0.child == link.id })
                {
                    add(newer)
                } else {
                    add(Entry(child: link.id, epoch: link.epoch, state: .awaitingRequest, deadline: deadline))
                }
            }
            for old in entries where old.isProvisional(after: sequence) {
                if !next[..<count].contains(where: { $0.child == old.child }) { add(old) }
            }
            var dropped: [Entry] = []
            for old in entries where old.state != .awaitingRequest {
                if !next[..<count].contains(where: { $0.epoch == old.epoch && $0.child == old.child }) {
                    dropped.append(old)
                }
            }
            // Overwritten in place: emptying the array first costs more than the copies.
            let kept = Swift.min(count, entries.count)
            for index in 0..<kept { entries[index] = next.moveElement(from: index) }
            while entries.count > count { entries.removeLast() }
            for index in kept..<count { entries.append(next.moveElement(from: index)) }
            return dropped
        }
    }

    /// ``adopt(_:issuedAt:deadline:)`` for the records most viewers get — the links they
    /// have, in the same order, and maybe new ones after them — where every entry keeps
    /// its place: they are updated where they are. Returns false, changing nothing, for
    /// any other record.
    private mutating func adoptInPlace(
        _ record: [RelayMessage.ChildLink], issuedAt sequence: UInt64, deadline: Timestamp
    ) -> Bool {
        let count = entries.count
        guard record.count >= count else { return false }
        for (index, link) in record.enumerated() {
            if index < count {
                // The entry `adopt` keeps for this link is the first that has it.
                let first = entries[...index].firstIndex { $0.epoch == link.epoch && $0.child == link.id }
                guard first == index else { return false }
            } else if entries.contains(where: {
                ($0.epoch == link.epoch || $0.isProvisional(after: sequence)) && $0.child == link.id
            }) {
                return false
            }
        }
        for index in 0..<count { entries[index].provisional = false }
        for link in record[count...] {
            entries.append(Entry(child: link.id, epoch: link.epoch, state: .awaitingRequest, deadline: deadline))
        }
        return true
    }

    /// A `request_stream` from `child` for the listed link with `epoch`.
    mutating func request(from child: ViewerID, epoch: UInt64, deadline: Timestamp) -> RequestOutcome {
        guard let index = entries.firstIndex(where: { $0.child == child }), entries[index].epoch == epoch else {
            return .unknownLink
        }
        guard entries[index].state == .awaitingRequest else { return .duplicate }
        entries[index].state = .connecting
        entries[index].deadline = deadline
        return .connect
    }

    /// Takes a provisional link to `child` with `epoch`, which no record listed yet,
    /// replacing any other link to `child`. The caller decides whether the request may
    /// be taken; the link must be listed by `deadline`.
    ///
    /// - Returns: ``RequestOutcome/replace`` when a link to `child` was opening or open,
    ///   ``RequestOutcome/connect`` otherwise.
    mutating func takeProvisional(from child: ViewerID, epoch: UInt64, deadline: Timestamp) -> RequestOutcome {
        let replaced = entries.contains { $0.child == child && $0.state != .awaitingRequest }
        entries.removeAll { $0.child == child }
        entries.append(Entry(child: child, epoch: epoch, state: .connecting, deadline: deadline, provisional: true))
        return replaced ? .replace : .connect
    }

    /// The number of provisional links to children other than `child`.
    func provisionalCount(excluding child: ViewerID) -> Int {
        entries.count { $0.provisional && $0.child != child }
    }

    /// Whether there is a provisional link to `child` newer than tree version `sequence`.
    func hasProvisionalLink(to child: ViewerID, newerThan sequence: UInt64) -> Bool {
        entries.contains { $0.isProvisional(after: sequence) && $0.child == child }
    }

    /// The link to `child` is up. Returns false when no such link is expected.
    mutating func connected(_ child: ViewerID) -> Bool {
        guard let index = entries.firstIndex(where: { $0.state != .awaitingRequest && $0.child == child }) else {
            return false
        }
        entries[index].state = .connected
        return true
    }

    /// The link to `child` closed or failed. Returns its entry when it was listed (the
    /// caller reports it), nil when the link had already been dropped.
    mutating func closed(_ child: ViewerID) -> Entry? {
        guard let index = entries.firstIndex(where: { $0.state != .awaitingRequest && $0.child == child }) else {
            return nil
        }
        return entries.remove(at: index)
    }

    /// Removes and returns the entries whose child did not connect by `now`, and the
    /// provisional ones no record listed by then.
    mutating func expire(at now: Timestamp) -> [Entry] {
        let isOverdue = { (entry: Entry) in entry.isPending && entry.deadline <= now }
        let expired = entries.filter(isOverdue)
        if !expired.isEmpty { entries.removeAll(where: isOverdue) }
        return expired
    }

    /// Removes every entry (a restart or a departure).
    mutating func removeAll() -> [Entry] {
        defer { entries = [] }
        return entries
    }

    /// The earliest deadline of an entry that is not connected yet or still provisional.
    var nextDeadline: Timestamp? {
        var earliest: Timestamp?
        for entry in entries where entry.isPending && earliest.map({ entry.deadline < $0 }) ?? true {
            earliest = entry.deadline
        }
        return earliest
    }

    /// The children whose link is open.
    ///
    /// Counted first, so that the array is allocated once at its size (`compactMap`
    /// grew it as it went).
    var connectedChildren: [ViewerID] {
        let count = entries.count { $0.state == .connected }
        guard count > 0 else { return [] }
        var children: [ViewerID] = []
        children.reserveCapacity(count)
        for entry in entries where entry.state == .connected { children.append(entry.child) }
        return children
    }
}
