import BranchTree

/// One viewer page's session: the viewer machine the server runs for it, and the socket
/// it is attached to now, if any.
struct ViewerSession: Sendable {
    let credentials: SessionCredentials
    var machine: ViewerStateMachine
    /// Nil while the page is away (its socket dropped, or the server restarted) and may
    /// still resume.
    var connection: ConnectionID?
    /// Frames for the page while it is away, delivered when it resumes.
    var pending: [ServerMessage] = []
    /// The phase last told to the page.
    var announcedPhase: ViewerStateMachine.Phase = .idle
    /// What the page last reported playing.
    var report = PlaybackReport()

    /// The most frames held for a page that is away; beyond it the session ends.
    static let maxPending = 512

    var id: ViewerID { credentials.id }
}

/// What a page says it plays (`status` frames).
struct PlaybackReport: Sendable, Equatable {
    var receiving = false
    var framesDecoded = 0
    var upstream: ViewerID?
}
