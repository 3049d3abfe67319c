import BranchTree
import Logging

/// One room of the server: the actor that owns the room's ``RoomStateMachine`` and
/// carries out its effects — frames to the pages' sockets, real timers, snapshots.
actor Room {
    nonisolated let name: RoomName
    private var machine: RoomStateMachine
    private var outboxes: [ConnectionID: Outbox] = [:]
    private var timers: [RoomTimer: Task<Void, Never>] = [:]
    private let store: SnapshotStore?
    private var pendingSave: Task<Void, Never>?
    private var lastSave: ContinuousClock.Instant?
    private let logger: Logger

    /// The least time between two saves of the room's snapshot.
    static let saveInterval: Duration = .seconds(1)

    /// Where a connection's frames go: its socket's writer.
    typealias Outbox = AsyncStream<Outbound>.Continuation

    /// One item for a connection's writer.
    enum Outbound: Sendable, Equatable {
        case frame(String)
        /// Close the socket.
        case close(CloseReason)
    }

    init(machine: RoomStateMachine, store: SnapshotStore?, logger: Logger) {
        self.name = machine.name
        self.machine = machine
        self.store = store
        self.logger = logger
    }

    /// A connection said hello to this room.
    /// - Returns: What the room refused of it (an `error` frame each).
    func connect(_ connection: ConnectionID, outbox: Outbox, hello: PageMessage.Hello) -> [ProtocolError] {
        outboxes[connection] = outbox
        return handle(.hello(hello, on: connection), from: connection)
    }

    /// A later frame from a connection.
    /// - Returns: What the room refused of it.
    func receive(_ message: PageMessage, from connection: ConnectionID) -> [ProtocolError] {
        handle(.message(message, from: connection), from: connection)
    }

    /// The connection's socket closed.
    func disconnect(_ connection: ConnectionID) {
        outboxes[connection] = nil
        _ = handle(.disconnected(connection), from: nil)
    }

    /// Whether no page is connected or expected back, and the tree is empty.
    var isVacant: Bool { machine.isIdle && machine.tree.isEmpty && machine.ownerToken == nil }

    var treeJSON: JSONValue { machine.treeJSON }
    var statsJSON: JSONValue { machine.statsJSON }
    var summary: (viewers: Int, live: Bool) { (machine.tree.count, machine.isLive) }

    private func handle(_ event: RoomEvent, from source: ConnectionID?) -> [ProtocolError] {
        var refused: [ProtocolError] = []
        for effect in machine.handle(event, at: WallClock.now()) {
            switch effect {
            case .send(let message, let connection):
                if connection == source, case .error(let error) = message { refused.append(error) }
                if case .dropped = outboxes[connection]?.yield(.frame(message.json.text)) {
                    // The page does not read: stop writing; its socket closes and it resumes.
                    outboxes.removeValue(forKey: connection)?.finish()
                }
            case .close(let connection, let reason):
                outboxes.removeValue(forKey: connection)?.yield(.close(reason))
            case .setTimer(let timer, let deadline):
                arm(timer, at: deadline)
            case .cancelTimer(let timer):
                timers.removeValue(forKey: timer)?.cancel()
            }
        }
        if machine.takeTreeChanged() { scheduleSave() }
        return refused
    }

    private func arm(_ timer: RoomTimer, at deadline: Timestamp) {
        timers[timer]?.cancel()
        let delay = deadline - WallClock.now()
        timers[timer] = Task {
            if delay > .zero { try? await Task.sleep(for: delay) }
            guard !Task.isCancelled else { return }
            self.fire(timer)
        }
    }

    private func fire(_ timer: RoomTimer) {
        timers[timer] = nil
        _ = handle(.timerFired(timer), from: nil)
    }

    /// Saves after a change, at most once per ``saveInterval``.
    private func scheduleSave() {
        guard store != nil, pendingSave == nil else { return }
        let wait = lastSave.map { Self.saveInterval - $0.duration(to: .now) } ?? .zero
        pendingSave = Task {
            if wait > .zero { try? await Task.sleep(for: wait) }
            self.save()
        }
    }

    /// Writes the room's snapshot now.
    func save() {
        pendingSave?.cancel()
        pendingSave = nil
        guard let store else { return }
        lastSave = .now
        do {
            try store.save(machine.record())
        } catch {
            logger.error("saving room \(name) failed: \(error)")
        }
    }

    /// Closes every socket and stops every timer: the server is shutting down.
    func shutDown() {
        save()
        for timer in timers.values { timer.cancel() }
        timers = [:]
        for outbox in outboxes.values { outbox.yield(.close(.shuttingDown)) }
        outboxes = [:]
    }
}
