/// Why the server refused a page's frame: sent back as an `error` frame.
struct ProtocolError: Error, Sendable, Equatable {
    enum Code: String, Sendable, Equatable, CaseIterable {
        case tooLarge = "too-large"
        case badJSON = "bad-json"
        case unknownType = "unknown-type"
        case badField = "bad-field"
        case helloFirst = "hello-first"
        case alreadyHello = "already-hello"
        case badRoom = "bad-room"
        case notYourID = "not-your-id"
        case roomTaken = "room-taken"
        case roomFull = "room-full"
        case tooManyRooms = "too-many-rooms"
        case notLinked = "not-linked"
        case rateLimited = "rate-limited"
    }

    var code: Code
    var message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Whether the session cannot go on after it: the page must open a new socket.
    var endsSession: Bool {
        switch code {
        case .roomFull, .tooManyRooms, .roomTaken, .badRoom: true
        default: false
        }
    }
}
