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

    /// How much the refusal counts towards closing the connection for abuse. A frame
    /// for a link that is gone is most often an honest race with a repair (SDP or ICE
    /// crossing the record that cut the link), so it weighs a quarter of the rest.
    var strikeWeight: Double {
        code == .notLinked ? 0.25 : 1
    }

    /// Whether the session cannot go on after it: the page must open a new socket.
    var endsSession: Bool {
        switch code {
        case .roomFull, .tooManyRooms, .roomTaken, .badRoom: true
        default: false
        }
    }
}
