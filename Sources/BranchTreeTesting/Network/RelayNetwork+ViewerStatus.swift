extension RelayNetwork {
    /// Where a viewer of a ``RelayNetwork`` stands in its life.
    public enum ViewerStatus: Sendable, Hashable {
        /// Added, not started yet.
        case notStarted
        /// Started and not departed.
        case live
        /// Departed with a `leave`.
        case left
        /// Departed without a word.
        case vanished
    }
}
