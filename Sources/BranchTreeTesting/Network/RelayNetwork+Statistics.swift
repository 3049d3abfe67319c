extension RelayNetwork {
    /// Counts of what a ``RelayNetwork`` did, so that a test can tell that its faults
    /// really happened and that a run was not vacuous.
    public struct Statistics: Sendable, Hashable {
        /// Events processed.
        public internal(set) var events = 0
        /// Signalling messages the machines sent (each counted once, however delivered).
        public internal(set) var messages = 0
        /// Messages delivered twice.
        public internal(set) var duplicatedMessages = 0
        /// Messages lost.
        public internal(set) var droppedMessages = 0
        /// Messages held back 0.3–3.3 s, so that later ones overtake them.
        public internal(set) var slowMessages = 0
        /// Peer links the machines opened.
        public internal(set) var openedLinks = 0
        /// Link set-ups that failed on both sides.
        public internal(set) var failedSetups = 0
        /// Viewers that left with a `leave`.
        public internal(set) var cleanDepartures = 0
        /// Viewers that vanished without a word.
        public internal(set) var abruptDepartures = 0
        /// Broadcaster crashes.
        public internal(set) var crashes = 0
        /// Broadcaster restarts.
        public internal(set) var restarts = 0
        /// Restarts from a save older than the latest.
        public internal(set) var staleRestarts = 0
    }
}
