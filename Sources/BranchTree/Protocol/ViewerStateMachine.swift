/// The viewer side of the relay protocol, as a pure state machine.
///
/// Feed it what happens — its start, the messages it receives, its peer connections
/// coming up or closing, its timers firing — each with the current time; it answers with
/// ``ViewerAction``s for the caller to carry out. It never touches the network or a
/// clock, so a browser client, a native client and the simulator run the same code.
///
///     var viewer = ViewerStateMachine(id: "B", broadcaster: "root")
///     let actions = viewer.handle(.start, at: .zero)
///     // [.send(.join(...), to: "root"), .setTimer(.joinRetry, at: 3 s)]
///
/// Behaviour:
/// - It sends `join` until it is placed, every ``ProtocolTimings/joinRetry`` — also when
///   the broadcaster is not up yet, so a viewer that opens first still gets in.
/// - On `branch_data` it keeps every link the record still lists (its upstream, its
///   children), closes the others, asks a new parent for the stream, and expects new
///   children to ask it. Once a new upstream is up it hands the stream to the children
///   it kept (`replaceTrack`): a repair costs new connections only where links changed.
///   A child whose link was opening or open and that the record no longer lists at all
///   is reported with `close_branch`: the tree moved it (the report is stale and
///   ignored), or does not know it (a restart from a stale save), and then the
///   broadcaster tells it to join again.
/// - When its upstream breaks it waits to be repaired (no rejoin storm) and joins again
///   only after ``ProtocolTimings/repairTimeout``; an upstream that never came up is
///   retried at once.
/// - It opens a link to a child only when the broadcaster announced it: listed in the
///   last record, or — since a child's `request_stream` can overtake the record that
///   lists it — taken provisionally when that record may still be on its way: an epoch
///   newer than the last record and not above the time now in nanoseconds (tree
///   versions are numbered no faster than that; feed every machine of a broadcast the
///   same clock), from neither the broadcaster nor itself, at most ``relayCapacity``
///   such links at once, each listed within ``ProtocolTimings/connectTimeout`` or
///   closed and reported. Every other request is ignored with its reason.
/// - A child that does not connect in time, or whose link closes, is reported with
///   `close_branch` and the link's epoch.
/// - It never holds two links with the same peer, so a peer id names one connection:
///   a link it replaces is closed before the new one opens, and when its own parent asks
///   it for the stream (the tree moved it above that parent, by a record still on its
///   way) it closes that upstream first and waits for the record.
/// - On `reconnect_root` it sends `join` again, keeping its links.
public struct ViewerStateMachine: Sendable, Hashable {
    /// The timers a viewer asks for.
    public enum Timer: Sendable, Hashable {
        /// Re-send `join`.
        case joinRetry
        /// The upstream link is overdue: it did not come up, or was not repaired.
        case upstream
        /// A child is overdue to connect.
        case downstream
    }

    /// Where the viewer stands.
    public enum Phase: Sendable, Hashable {
        /// Not started.
        case idle
        /// Sending `join`, no place yet.
        case joining
        /// Placed; the link from its parent is being set up.
        case connecting
        /// Receiving the stream from its parent.
        case receiving
        /// Its upstream broke; waiting for the tree to repair it.
        case awaitingRepair
        /// Left the broadcast.
        case departed
    }

    /// Everything the machine can be told.
    public enum Input: Sendable, Hashable {
        /// The viewer opens the broadcast.
        case start
        /// A signalling message arrived from `sender`.
        case received(RelayMessage, from: ViewerID)
        /// The link from the parent is up and the stream flows.
        case upstreamConnected
        /// The link from the parent closed or failed.
        case upstreamClosed
        /// The link to this child is up.
        case downstreamConnected(ViewerID)
        /// The link to this child closed or failed.
        case downstreamClosed(ViewerID)
        /// A timer asked for with ``ViewerAction/setTimer(_:at:)`` fired.
        case timerFired(Timer)
        /// The viewer leaves: every link is closed.
        case leave
    }

    /// Why an input changed nothing.
    public enum IgnoreReason: Sendable, Hashable {
        /// The viewer has not started.
        case notStarted
        /// The viewer has already started.
        case alreadyStarted
        /// The viewer has left.
        case departed
        /// A `branch_data` older than the record already applied.
        case staleRecord(sequence: UInt64)
        /// A message a viewer never handles (`join`, `close_branch`).
        case unexpectedMessage(String)
        /// `branch_data` or `reconnect_root` from someone other than the broadcaster.
        case unexpectedSender(ViewerID)
        /// A `request_stream` that matches no listed link, with an epoch the last record
        /// would have listed: stale, or never issued.
        case unknownLink(child: ViewerID, epoch: UInt64)
        /// A `request_stream` from the broadcaster or from the viewer itself: neither can
        /// be its child.
        case impossibleChild(ViewerID)
        /// A `request_stream` for an unlisted link whose epoch is above the time now in
        /// nanoseconds: no tree version that high has been issued yet.
        case futureEpoch(child: ViewerID, epoch: UInt64)
        /// A `request_stream` for an unlisted link while as many links as the viewer's
        /// ``ViewerStateMachine/relayCapacity`` already await the record that lists them.
        case overCapacity(child: ViewerID)
        /// A `request_stream` for a link already opening or open.
        case duplicateRequest(ViewerID)
        /// A link event about a peer the viewer has no such link with.
        case unknownLinkEvent
        /// A timer fired with nothing due.
        case staleTimer(Timer)
    }

    /// Where the machine stands, with the data each phase needs and no more: a departed or
    /// unstarted viewer holds no link, an upstream deadline exists only for a link not up.
    enum State: Sendable, Hashable {
        case idle
        /// Not placed; `join` is due again at `nextJoin`.
        case joining(nextJoin: Timestamp)
        /// Placed under `upstream`; `nextJoin` while a `join` it sent to confirm its place
        /// (after `reconnect_root`) awaits the record.
        case placed(Upstream, nextJoin: Timestamp?)
        case departed
    }

    enum UpstreamState: Sendable, Hashable {
        /// The stream was asked for; the link counts as failed after `deadline`.
        case requested(deadline: Timestamp)
        case connected
        /// It broke or is obsolete; the repair's record is awaited until `deadline`.
        case lost(deadline: Timestamp)
    }

    struct Upstream: Sendable, Hashable {
        var parent: ViewerID
        var epoch: UInt64
        var state: UpstreamState

        var isLost: Bool {
            if case .lost = state { true } else { false }
        }

        /// When the link counts as failed; nil while it is up.
        var deadline: Timestamp? {
            switch state {
            case .requested(let deadline), .lost(let deadline): deadline
            case .connected: nil
            }
        }
    }

    /// The viewer's session id.
    public let id: ViewerID
    /// The broadcaster's id: where `join` and `close_branch` go.
    public let broadcaster: ViewerID
    /// What the viewer can relay, sent with every `join`.
    public let joinRequest: RelayMessage.Join
    /// The protocol's waits this machine uses for its deadlines.
    public let timings: ProtocolTimings

    var state = State.idle
    /// The links to children: those of the last record, and any taken provisionally
    /// (a request can arrive before the viewer's first record, so they belong to no phase).
    var downstream = DownstreamLinks()
    /// The `sequence` of the last record applied.
    var appliedSequence: UInt64?
    /// The viewer's depth in the last record applied.
    public internal(set) var depth: Int?
    var joinTimer = TimerSlot()
    var upstreamTimer = TimerSlot()
    var downstreamTimer = TimerSlot()
    /// Whether the machine appends the actions that only inform:
    /// ``ViewerAction/placed(parent:depth:keptUpstream:)`` and ``ViewerAction/ignored(_:)``.
    /// A simulator that reads neither turns it off: each cost an append and a destroy.
    /// Nothing else changes.
    package var reportsOutcomes = true

    /// A viewer that has not started.
    ///
    /// - Parameters:
    ///   - id: The viewer's session id.
    ///   - broadcaster: The broadcaster's id.
    ///   - relayable: Whether it relays at all.
    ///   - capacity: How many viewers it can relay to, when fewer than the fan-out.
    ///   - timings: The protocol's waits.
    public init(
        id: ViewerID, broadcaster: ViewerID, relayable: Bool = true, capacity: Int? = nil,
        timings: ProtocolTimings = ProtocolTimings()
    ) {
        self.id = id
        self.broadcaster = broadcaster
        self.joinRequest = RelayMessage.Join(relayable: relayable, capacity: capacity)
        self.timings = timings
    }

    /// The most children the viewer relays to: the capacity it joins with, the largest
    /// fan-out a tree accepts when it gives none (the viewer does not know the tree's),
    /// 0 when it does not relay.
    /// - Complexity: O(1)
    public var relayCapacity: Int {
        guard joinRequest.relayable else { return 0 }
        let largest = BranchTree.Configuration.fanoutRange.upperBound
        return Swift.min(Swift.max(joinRequest.capacity ?? largest, 0), largest)
    }

    /// Where the viewer stands.
    /// - Complexity: O(1)
    public var phase: Phase {
        switch state {
        case .idle: .idle
        case .joining: .joining
        case .placed(let link, _):
            switch link.state {
            case .requested: .connecting
            case .connected: .receiving
            case .lost: .awaitingRepair
            }
        case .departed: .departed
        }
    }

    /// The link from the parent, if placed.
    var upstream: Upstream? {
        if case .placed(let link, _) = state { link } else { nil }
    }

    /// When to send `join` again; nil when no answer is awaited.
    var nextJoin: Timestamp? {
        switch state {
        case .joining(let due): due
        case .placed(_, let due): due
        case .idle, .departed: nil
        }
    }

    /// The node the viewer takes the stream from (or is asking), if placed.
    public var parent: ViewerID? { upstream?.parent }

    /// The epoch of the link from ``parent``, if placed: what a server that hosts the
    /// machine tells its page, so that the page can recognise that link's offer.
    /// - Complexity: O(1)
    public var upstreamEpoch: UInt64? { upstream?.epoch }

    /// Whether the link from the parent is up.
    public var isConnectedUpstream: Bool { upstream?.state == .connected }

    /// Whether the link from the parent was lost and awaits a repair (for test drivers,
    /// which check that a viewer never takes the stream from its own child).
    package var isUpstreamLost: Bool { upstream?.isLost ?? false }

    /// The children of the last record (and any that asked ahead of it), in order.
    ///
    /// - Complexity: O(fan-out), and an allocation; ``childCount`` and ``child(at:)``
    ///   read them without one.
    public var children: [ViewerID] { downstream.entries.map(\.child) }

    /// The number of ``children``.
    ///
    /// - Complexity: O(1)
    public var childCount: Int { downstream.entries.count }

    /// The child at `index` of ``children``.
    ///
    /// - Precondition: `index` is below ``childCount``.
    /// - Complexity: O(1)
    public func child(at index: Int) -> ViewerID { downstream.entries[index].child }

    /// The children whose link is up.
    public var connectedChildren: [ViewerID] { downstream.connectedChildren }

    /// Handles one input at `now`, appending the actions to carry out to `actions`.
    ///
    /// `input` is consumed: a message's payload moves on to where it is read, uncopied.
    /// - Complexity: O(fan-out)
    public mutating func handle(_ input: consuming Input, at now: Timestamp, into actions: inout [ViewerAction]) {
        switch state {
        case .departed: return ignore(.departed, into: &actions)
        case .idle where input != .start: return ignore(.notStarted, into: &actions)
        default: break
        }
        switch consume input {
        case .start:
            guard case .idle = state else { return ignore(.alreadyStarted, into: &actions) }
            sendJoin(at: now, into: &actions)
        case .received(let message, let sender):
            receive(message, from: sender, at: now, into: &actions)
        case .upstreamConnected:
            guard case .placed(var link, let nextJoin) = state, link.state != .connected else {
                return ignore(.unknownLinkEvent, into: &actions)
            }
            link.state = .connected
            state = .placed(link, nextJoin: nextJoin)
            let kept = downstream.connectedChildren
            if !kept.isEmpty { actions.append(.replaceTrack(children: kept)) }
        case .upstreamClosed:
            upstreamClosed(at: now, into: &actions)
        case .downstreamConnected(let child):
            if !downstream.connected(child) { ignore(.unknownLinkEvent, into: &actions) }
        case .downstreamClosed(let child):
            guard let entry = downstream.closed(child) else { return ignore(.unknownLinkEvent, into: &actions) }
            report(entry, into: &actions)
        case .timerFired(let timer):
            timerFired(timer, at: now, into: &actions)
        case .leave:
            leave(into: &actions)
        }
    }

    /// Handles one input at `now` and returns the actions to carry out.
    /// - Complexity: O(fan-out)
    public mutating func handle(_ input: consuming Input, at now: Timestamp) -> [ViewerAction] {
        var actions: [ViewerAction] = []
        handle(input, at: now, into: &actions)
        return actions
    }
}
