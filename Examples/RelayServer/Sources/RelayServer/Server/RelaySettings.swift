import BranchTree

/// Everything the server is configured with, validated.
struct RelaySettings: Sendable {
    var host = "127.0.0.1"
    var port = 8080
    /// Every room's tree: fan-out and policy.
    var configuration: BranchTree.Configuration
    var timings = ProtocolTimings()
    /// Where room snapshots are saved; nil keeps nothing across restarts.
    var dataDirectory: String?
    var maxRooms = 100
    var roomLimits = RoomStateMachine.Limits(maxViewers: 10_000, resumeGrace: .seconds(5))
    var connectionLimits = ConnectionGuard.Limits()
}
