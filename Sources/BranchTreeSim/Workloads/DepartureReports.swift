/// Who tells the broadcaster that a viewer has gone.
package enum DepartureReports: String, Sendable, Hashable, CaseIterable {
    /// The signalling server, when the viewer's socket closes (for an abrupt departure,
    /// when its keep-alive gives up after the detection delay) — and the parents too.
    case server
    /// Only the parents' `close_branch`, as in the seed, or a link deadline when no
    /// parent link was up.
    case parents
}
