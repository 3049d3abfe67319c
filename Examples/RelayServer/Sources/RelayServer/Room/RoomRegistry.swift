import BranchTree
import Logging

/// Every room of the server, created on first use up to a limit, and restored from the
/// snapshot directory at start.
actor RoomRegistry {
    let settings: RelaySettings
    private let store: SnapshotStore?
    private let logger: Logger
    private var rooms: [RoomName: Room] = [:]
    private var lastConnection: UInt64 = 0

    init(settings: RelaySettings, store: SnapshotStore?, logger: Logger) {
        self.settings = settings
        self.store = store
        self.logger = logger
    }

    /// Loads every saved room. Returns what could not be loaded, one line each.
    func restore() -> [String] {
        guard let store else { return [] }
        var (records, problems) = store.loadAll()
        for record in records {
            do {
                let machine = try RoomStateMachine(
                    restoring: record, limits: settings.roomLimits, timings: settings.timings)
                rooms[record.room] = Room(machine: machine, store: store, logger: logger)
            } catch {
                problems.append("room \(record.room): \(error)")
            }
        }
        return problems
    }

    /// A number for a new connection.
    func newConnectionID() -> ConnectionID {
        lastConnection += 1
        return ConnectionID(rawValue: lastConnection)
    }

    /// The room, created if it does not exist yet: restored from the snapshot directory
    /// when it holds a record of it (on shared storage, another server may have saved it
    /// before the load balancer moved the room here), new otherwise.
    /// - Throws: `too-many-rooms` at the limit (vacant rooms are dropped first).
    func room(_ name: RoomName) async throws(ProtocolError) -> Room {
        if let room = rooms[name] { return room }
        if rooms.count >= settings.maxRooms { await dropVacantRooms() }
        guard rooms.count < settings.maxRooms else {
            throw ProtocolError(.tooManyRooms, "this server holds at most \(settings.maxRooms) rooms")
        }
        var machine: RoomStateMachine?
        if let record = store?.load(name) {
            machine = try? RoomStateMachine(restoring: record, limits: settings.roomLimits, timings: settings.timings)
        }
        if machine == nil {
            do {
                machine = try RoomStateMachine(
                    name: name, configuration: settings.configuration, limits: settings.roomLimits,
                    timings: settings.timings)
            } catch {
                preconditionFailure("the settings' configuration was validated at start: \(error)")
            }
        }
        let room = Room(machine: machine!, store: store, logger: logger)
        rooms[name] = room
        return room
    }

    /// The room, if it exists.
    func existingRoom(_ name: RoomName) -> Room? { rooms[name] }

    /// Every room, sorted by name.
    var allRooms: [Room] { rooms.keys.sorted().map { rooms[$0]! } }

    private func dropVacantRooms() async {
        for name in rooms.keys.sorted() where await rooms[name]!.isVacant {
            rooms[name] = nil
            store?.remove(name)
        }
    }

    /// Saves every room and closes every socket.
    func shutDown() async {
        for room in allRooms { await room.shutDown() }
    }
}
