/// What nearly every event reads first about a viewer slot, 8 bytes kept apart from the
/// rest of ``SimulatedViewer`` in `Simulation.presence`.
///
/// Whether an event's session is still under way, and whether media reaches a viewer,
/// are asked before anything else, and an event for an ended session stops there. At
/// 10⁶ viewers the records (80 bytes each) spread over 80 MB and more, and that first
/// read waited on memory; these entries take 8 bytes, a tenth of the memory, which the
/// last-level cache can mostly hold.
struct ViewerPresence: Sendable, Equatable {
    /// The session the slot holds (see ``SimulatedViewer``).
    var generation: UInt32
    /// Whether the session is under way.
    var isPresent = true
    /// Whether media reaches the viewer now (an up path of links from the broadcaster).
    var receiving = false

    init(generation: UInt32) {
        self.generation = generation
    }
}
