import BranchTree

/// What happened in a room since the server started it: the figures of
/// `GET /api/rooms/{room}/stats`.
struct RoomStatistics: Sendable {
    var joins = 0
    var departures = 0
    /// Departures that moved other viewers.
    var repairs = 0
    /// Viewers whose stream a change interrupted, summed over changes.
    var interrupted = 0
    var linksCreated = 0
    var linksCut = 0
    /// Broadcaster restarts: its page came back (reload, or the server restarted).
    var restarts = 0
    var framesIn = 0
    var framesOut = 0
    var signalsForwarded = 0
    var refused: [ProtocolError.Code: Int] = [:]
    /// Inputs a machine ignored, by reason (never fatal; a growing count tells of a bug
    /// or of a page out of step).
    var ignored: [String: Int] = [:]
    /// Messages for the broadcaster dropped while its page was away.
    var heldWhileOffline = 0
    /// Link reports about a link that no longer exists.
    var staleLinkReports = 0
    /// The last changes that removed a viewer, newest last.
    private(set) var recentRepairs: [RecentRepair] = []

    /// How many recent repairs are kept.
    static let recentRepairLimit = 20

    struct RecentRepair: Sendable, Equatable {
        var at: Timestamp
        var subject: ViewerID
        var interrupted: Int
        var moves: Int
        var linksCreated: Int
        var linksCut: Int
    }

    mutating func record(_ change: TreeChange, at now: Timestamp) {
        interrupted += change.interruptedCount
        linksCreated += change.linksCreated.count
        linksCut += change.linksCut.count
        switch change.outcome {
        case .joined: joins += 1
        case .alreadyPresent: break
        case .left:
            departures += 1
            if !change.moves.isEmpty { repairs += 1 }
            recentRepairs.append(
                RecentRepair(
                    at: now, subject: change.subject, interrupted: change.interruptedCount,
                    moves: change.moves.count, linksCreated: change.linksCreated.count,
                    linksCut: change.linksCut.count))
            if recentRepairs.count > Self.recentRepairLimit { recentRepairs.removeFirst() }
        }
    }

    mutating func ignored(_ reason: some Any) {
        ignored[Self.caseName(reason), default: 0] += 1
    }

    /// `notParent(reporter: …)` → `notParent`: counts group by kind, not by viewer.
    private static func caseName(_ value: some Any) -> String {
        let text = String(describing: value)
        return String(text.prefix { $0 != "(" })
    }
}
