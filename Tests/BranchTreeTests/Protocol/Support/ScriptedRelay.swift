@testable import BranchTree

/// A broadcaster and its viewers wired together by hand, for scenario and fuzz tests
/// that must choose the exact interleaving of messages.
///
/// Messages wait in a mailbox until the test delivers them: in order, held back by a
/// predicate, channel by channel in a seeded random order (each sender → receiver
/// channel staying first-in first-out), or in any order at all; a message can also be
/// duplicated. Peer connections open as the machines ask and come up at once; closing
/// one tells the peer. Timers wait until the test advances time. The stream itself is
/// modelled too: each viewer's upstream connection has a generation, and a link carries
/// the stream only when its parent put the current generation on it (a new link, or
/// `replaceTrack`) — so a viewer left with a dead stream (the seed's dark grandchildren)
/// is visible.
///
/// After every step of the broadcaster the tree is validated and the records it sent are
/// checked; anything wrong is collected in ``problems``.
struct ScriptedRelay {
    struct Envelope: Hashable, CustomStringConvertible {
        var from: ViewerID
        var to: ViewerID
        var message: RelayMessage

        var description: String { "\(from) → \(to): \(message.typeName)" }
    }

    enum Event {
        case viewer(ViewerID, ViewerStateMachine.Input)
        case broadcaster(BroadcasterStateMachine.Input)
    }

    struct PendingTimer {
        var owner: ViewerID
        var viewerTimer: ViewerStateMachine.Timer?
        var broadcasterTimer: BroadcasterStateMachine.Timer?
        var at: Timestamp
        var order: Int
    }

    var broadcaster: BroadcasterStateMachine
    var broadcasterID: ViewerID { broadcaster.tree.broadcaster }
    var viewers: [ViewerID: ViewerStateMachine] = [:]
    /// Viewers in the order they started (never iterate `viewers`).
    private(set) var started: [ViewerID] = []
    /// Viewers that crashed or left: they receive nothing more.
    private(set) var gone: Set<ViewerID> = []
    /// When false, messages to the broadcaster are lost (it is not running).
    var broadcasterUp = true

    var mailbox: [Envelope] = []
    /// Messages matching this stay in the mailbox until it changes.
    var held: (Envelope) -> Bool = { _ in false }
    private var events: [Event] = []
    private var timers: [PendingTimer] = []
    private var timerCount = 0
    private(set) var now: Timestamp = .zero

    /// Open peer connections, parent → child, in the order they opened.
    private(set) var links: [Link] = []
    /// The stream generation each link carries, and each viewer's current one.
    private var linkTrack: [Link: Int] = [:]
    private var generation: [ViewerID: Int] = [:]

    /// Everything each machine answered, in order.
    private(set) var viewerLog: [ViewerID: [ViewerAction]] = [:]
    private(set) var broadcasterLog: [BroadcasterAction] = []
    /// Every message delivered, in order.
    private(set) var delivered: [Envelope] = []
    /// Broken invariants and untold viewers, as found.
    private(set) var problems: [String] = []

    init(tree: BranchTree, timings: ProtocolTimings = ProtocolTimings()) {
        broadcaster = BroadcasterStateMachine(tree: tree, timings: timings)
    }

    init(fanout: Int, broadcasterFanout: Int = 1, policy: Policy = .skyway) throws {
        self.init(tree: try BranchTree(fanout: fanout, broadcasterFanout: broadcasterFanout, policy: policy))
    }

    // MARK: Driving

    /// Opens a viewer (a new session).
    mutating func start(_ id: ViewerID, relayable: Bool = true, capacity: Int? = nil) {
        var viewer = ViewerStateMachine(
            id: id, broadcaster: broadcasterID, relayable: relayable, capacity: capacity,
            timings: broadcaster.timings)
        let actions = viewer.handle(.start, at: now)
        viewers[id] = viewer
        started.append(id)
        perform(actions, of: id)
        settle()
    }

    /// The viewer leaves properly: it closes its links, then is gone.
    mutating func leave(_ id: ViewerID) {
        guard !gone.contains(id) else { return }
        events.append(.viewer(id, .leave))
        settle()
        gone.insert(id)
    }

    /// The viewer vanishes: its peers see its links close, it never answers again.
    mutating func crash(_ id: ViewerID) {
        guard !gone.contains(id), viewers[id] != nil else { return }
        gone.insert(id)
        for link in links where link.parent == id || link.child == id {
            dropLink(link, notifyParent: link.child == id, notifyChild: link.parent == id)
        }
        settle()
    }

    /// The connection between `parent` and `child` fails: both ends see it close.
    mutating func breakLink(_ link: Link) {
        guard links.contains(link) else { return }
        dropLink(link, notifyParent: true, notifyChild: true)
        settle()
    }

    /// The broadcaster process stops: its links and timers die with it, and so do the
    /// messages on their way to and from it; messages sent to it are lost until it
    /// restarts.
    mutating func stopBroadcaster() {
        let id = broadcasterID
        for link in links where link.parent == id {
            dropLink(link, notifyParent: false, notifyChild: true)
        }
        timers.removeAll { $0.owner == id }
        mailbox.removeAll { $0.to == id || $0.from == id }
        broadcasterUp = false
        settle()
    }

    /// The broadcaster process restarts with `saved` (stopping first if it is running).
    mutating func restartBroadcaster(from saved: BranchTree, strategy: RestartStrategy) {
        stopBroadcaster()
        broadcasterUp = true
        events.append(.broadcaster(.restarted(from: saved, strategy: strategy)))
        settle()
    }

    /// Delivers the first deliverable message. Returns false when there is none.
    @discardableResult
    mutating func deliverNext() -> Bool {
        settle()
        guard let index = mailbox.firstIndex(where: { !held($0) }) else { return false }
        deliver(mailbox.remove(at: index))
        return true
    }

    /// Delivers messages until none is deliverable.
    mutating func deliverAll(limit: Int = 100_000) {
        var count = 0
        while deliverNext() {
            count += 1
            if count == limit {
                problems.append("more than \(limit) messages: a message storm")
                return
            }
        }
    }

    /// Delivers the head of a random channel (sender → receiver), keeping each channel in
    /// order. Returns false when nothing is deliverable.
    @discardableResult
    mutating func deliverRandom(using random: inout Xoshiro256StarStar) -> Bool {
        settle()
        var heads: [Int] = []
        var seen: [Envelope] = []
        for (index, envelope) in mailbox.enumerated() where !held(envelope) {
            if !seen.contains(where: { $0.from == envelope.from && $0.to == envelope.to }) {
                seen.append(envelope)
                heads.append(index)
            }
        }
        guard !heads.isEmpty else { return false }
        deliver(mailbox.remove(at: heads[random.next(below: heads.count)]))
        return true
    }

    /// Delivers any deliverable message at random, overtaking others on its channel.
    @discardableResult
    mutating func deliverAny(using random: inout Xoshiro256StarStar) -> Bool {
        settle()
        let deliverable = mailbox.indices.filter { !held(mailbox[$0]) }
        guard !deliverable.isEmpty else { return false }
        deliver(mailbox.remove(at: deliverable[random.next(below: deliverable.count)]))
        return true
    }

    /// Sends a copy of a message in the mailbox (a retransmission).
    mutating func duplicate(_ pick: Int) {
        guard !mailbox.isEmpty else { return }
        mailbox.append(mailbox[pick % mailbox.count])
    }

    /// Delivers everything deliverable, and fires every timer due by `time` in order,
    /// delivering after each.
    mutating func advance(to time: Timestamp) {
        deliverAll()
        while let next = timers.indices.min(by: {
            (timers[$0].at, timers[$0].order) < (timers[$1].at, timers[$1].order)
        }), timers[next].at <= time {
            let timer = timers.remove(at: next)
            now = Swift.max(now, timer.at)
            if let kind = timer.viewerTimer {
                if !gone.contains(timer.owner) { events.append(.viewer(timer.owner, .timerFired(kind))) }
            } else if let kind = timer.broadcasterTimer {
                events.append(.broadcaster(.timerFired(kind)))
            }
            deliverAll()
        }
        now = Swift.max(now, time)
    }

    mutating func advance(by duration: Duration) {
        advance(to: now + duration)
    }

    // MARK: Machinery

    private mutating func settle() {
        while !events.isEmpty {
            let event = events.removeFirst()
            switch event {
            case .viewer(let id, let input):
                guard var viewer = viewers[id], !gone.contains(id) else { continue }
                let actions = viewer.handle(input, at: now)
                viewers[id] = viewer
                // A new upstream connection brings a new stream: links below carry it only
                // once the viewer puts it on them.
                let ignored = actions.contains { if case .ignored = $0 { true } else { false } }
                if input == .upstreamConnected, !ignored {
                    generation[id, default: 0] += 1
                }
                perform(actions, of: id)
            case .broadcaster(let input):
                var before = broadcaster.tree
                if case .restarted(let saved, _) = input { before = saved }
                let actions = broadcaster.handle(input, at: now)
                if let failure = ProtocolChecks.validationFailure(broadcaster.tree) {
                    problems.append("at \(now) after \(input): \(failure)")
                }
                let after = broadcaster.tree
                if let failure = ProtocolChecks.recordFailure(actions: actions, before: before, after: after) {
                    problems.append("at \(now) after \(input): \(failure)")
                }
                perform(actions)
            }
        }
    }

    private mutating func deliver(_ envelope: Envelope) {
        delivered.append(envelope)
        if envelope.to == broadcasterID {
            if broadcasterUp { events.append(.broadcaster(.received(envelope.message, from: envelope.from))) }
        } else if viewers[envelope.to] != nil, !gone.contains(envelope.to) {
            events.append(.viewer(envelope.to, .received(envelope.message, from: envelope.from)))
        }
        settle()
    }

    private mutating func perform(_ actions: [ViewerAction], of id: ViewerID) {
        viewerLog[id, default: []].append(contentsOf: actions)
        for action in actions {
            switch action {
            case .send(let message, let recipient):
                mailbox.append(Envelope(from: id, to: recipient, message: message))
            case .openDownstream(let child, _):
                open(from: id, to: child)
            case .closeLink(let peer):
                close(from: id, peer: peer)
            case .replaceTrack(let children):
                for child in children {
                    let link = Link(parent: id, child: child)
                    if links.contains(link) { linkTrack[link] = generation[id, default: 0] }
                }
            case .setTimer(let timer, let deadline):
                timers.append(
                    PendingTimer(owner: id, viewerTimer: timer, broadcasterTimer: nil, at: deadline, order: timerCount))
                timerCount += 1
            case .placed, .ignored:
                break
            }
        }
    }

    private mutating func perform(_ actions: [BroadcasterAction]) {
        broadcasterLog.append(contentsOf: actions)
        for action in actions {
            switch action {
            case .send(let message, let recipient):
                mailbox.append(Envelope(from: broadcasterID, to: recipient, message: message))
            case .openDownstream(let child, _):
                open(from: broadcasterID, to: child)
            case .closeLink(let peer):
                close(from: broadcasterID, peer: peer)
            case .setTimer(let timer, let deadline):
                timers.append(
                    PendingTimer(
                        owner: broadcasterID, viewerTimer: nil, broadcasterTimer: timer, at: deadline,
                        order: timerCount))
                timerCount += 1
            case .treeChanged, .viewerRemoved, .ignored:
                break
            }
        }
    }

    /// `parent` opens a connection to `child`: it comes up when `child` is there and
    /// still expects the stream from `parent`; otherwise it fails at once.
    private mutating func open(from parent: ViewerID, to child: ViewerID) {
        let link = Link(parent: parent, child: child)
        if let existing = links.firstIndex(of: link) {
            // A re-opened connection replaces the old one.
            links.remove(at: existing)
        }
        guard let viewer = viewers[child], !gone.contains(child), viewer.parent == parent else {
            events.append(parentEvent(parent, .downstreamClosed(child)))
            return
        }
        links.append(link)
        linkTrack[link] = generation[parent, default: 0]
        events.append(parentEvent(parent, .downstreamConnected(child)))
        events.append(.viewer(child, .upstreamConnected))
    }

    /// `closer` closes its connection with `peer`, in whichever direction it runs.
    private mutating func close(from closer: ViewerID, peer: ViewerID) {
        if links.contains(Link(parent: closer, child: peer)) {
            dropLink(Link(parent: closer, child: peer), notifyParent: false, notifyChild: true)
        } else if links.contains(Link(parent: peer, child: closer)) {
            dropLink(Link(parent: peer, child: closer), notifyParent: true, notifyChild: false)
        }
    }

    private mutating func dropLink(_ link: Link, notifyParent: Bool, notifyChild: Bool) {
        links.removeAll { $0 == link }
        linkTrack[link] = nil
        if notifyParent, !gone.contains(link.parent) {
            events.append(parentEvent(link.parent, .downstreamClosed(link.child)))
        }
        // A client tells its machine only about the connection to its current parent.
        if notifyChild, !gone.contains(link.child), viewers[link.child]?.parent == link.parent {
            events.append(.viewer(link.child, .upstreamClosed))
        }
    }

    private func parentEvent(_ parent: ViewerID, _ input: ViewerStateMachine.Input) -> Event {
        guard parent == broadcasterID else { return .viewer(parent, input) }
        switch input {
        case .downstreamConnected(let child): return .broadcaster(.downstreamConnected(child))
        case .downstreamClosed(let child): return .broadcaster(.downstreamClosed(child))
        default: preconditionFailure("not a downstream event: \(input)")
        }
    }

    // MARK: Observing

    /// Viewers that started and have neither left nor crashed, in start order.
    var live: [ViewerID] { started.filter { !gone.contains($0) } }

    /// Whether `id` gets the broadcast: its connection from its parent is up and carries
    /// the parent's current stream, and so on up to the broadcaster.
    func receivesStream(_ id: ViewerID) -> Bool {
        var current = id
        var hops = 0
        while current != broadcasterID {
            guard let viewer = viewers[current], !gone.contains(current), viewer.isConnectedUpstream,
                let parent = viewer.parent, links.contains(Link(parent: parent, child: current)),
                linkTrack[Link(parent: parent, child: current)] == generation[parent, default: 0]
            else { return false }
            current = parent
            hops += 1
            if hops > started.count + 1 { return false }
        }
        return true
    }

    /// What is wrong with the settled state: ghosts in the tree, live viewers missing
    /// from it or disagreeing with it, viewers without the stream.
    func convergenceFailures() -> [String] {
        var failures: [String] = []
        let tree = broadcaster.tree
        for id in ProtocolChecks.viewers(of: tree) where gone.contains(id) || viewers[id] == nil {
            failures.append("ghost: \(id) is in the tree but \(viewers[id] == nil ? "never started" : "is gone")")
        }
        for id in live {
            let viewer = viewers[id]!
            guard tree.contains(id) else {
                failures.append("\(id) is live (\(viewer.phase)) but not in the tree")
                continue
            }
            let parent = try? tree.parent(of: id)
            let children = (try? tree.children(of: id)) ?? []
            if viewer.parent != parent {
                let thinks = viewer.parent.map(\.rawValue) ?? "nil"
                failures.append(
                    "\(id) thinks its parent is \(thinks), the tree says \(parent.map(\.rawValue) ?? "nil")")
            }
            if viewer.phase != .receiving { failures.append("\(id) is \(viewer.phase)") }
            if viewer.children != children {
                failures.append("\(id) lists children \(viewer.children), the tree \(children)")
            }
            if viewer.connectedChildren != children {
                failures.append("\(id) is connected to \(viewer.connectedChildren), the tree lists \(children)")
            }
            if !receivesStream(id) { failures.append("\(id) does not receive the stream") }
        }
        return failures
    }

    /// The number of times `id` was asked to open a connection to a child.
    func opened(by id: ViewerID) -> Int {
        let log = id == broadcasterID ? [] : viewerLog[id] ?? []
        return log.filter { if case .openDownstream = $0 { true } else { false } }.count
    }

    /// Every connection opened, by anyone.
    var openedConnections: Int {
        broadcasterLog.filter { if case .openDownstream = $0 { true } else { false } }.count
            + started.map(opened(by:)).reduce(0, +)
    }
}
