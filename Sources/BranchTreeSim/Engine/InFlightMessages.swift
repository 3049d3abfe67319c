import BranchTree

/// The signalling messages on their way, each with its sender, held apart from the event
/// queue so that queue entries stay small.
///
/// A message is the largest thing an event would carry (a record with its children
/// list): held inline it made every pending event 96 bytes, though only the few thousand
/// messages in flight need the room, against millions of pending timers and session ends.
/// Freed places are reused last-in first-out, so the table's busy part stays in cache.
struct InFlightMessages: Sendable {
    /// A message, who sent it, and whether a restart caused it (see
    /// `Simulation.isRestartTraffic`). A tuple, not a struct: a pattern takes it apart,
    /// moving each part on, where reading a struct's fields copied them and destroyed the
    /// rest through the generic destroy of an optional.
    /// `senderHash` is the sender's `BranchTree.indexHash(of:)` when a viewer sent it
    /// (0 from the broadcaster).
    typealias Held = (message: RelayMessage, sender: ViewerID, isRestartTraffic: Bool, senderHash: UInt32)

    private var places: [Held?] = []
    private var freePlaces: [Int32] = []

    /// The number of messages held.
    ///
    /// - Complexity: O(1)
    var count: Int { places.count - freePlaces.count }

    /// Holds `message` from `sender` until ``take(_:)``; returns its place.
    ///
    /// - Complexity: amortised O(1)
    /// - Parameters:
    ///   - message: Consumed: the caller's last use moves it in, not a copy.
    ///   - sender: Consumed, like `message`.
    mutating func hold(
        _ message: consuming RelayMessage, from sender: consuming ViewerID, isRestartTraffic: Bool = false,
        senderHash: UInt32 = 0
    ) -> Int32 {
        let held: Held = (message, sender, isRestartTraffic, senderHash)
        if let place = freePlaces.last {
            freePlaces.removeLast()
            // A free place holds nil, which owns nothing: initialised over, not assigned
            // (an assignment destroyed the nil through the outlined destroy of `Held?`).
            places.withUnsafeMutableBufferPointer { $0.initializeElement(at: Int(place), to: held) }
            return place
        }
        precondition(places.count < Int32.max, "more than \(Int32.max) messages in flight")
        places.append(held)
        return Int32(places.count - 1)
    }

    /// Hands back the message held at `place` and frees the place. Every place is taken
    /// exactly once, whether or not its message is delivered.
    ///
    /// - Complexity: O(1)
    mutating func take(_ place: Int32) -> Held {
        // Moved out and the place left nil, with nothing copied or destroyed.
        let taken = places.withUnsafeMutableBufferPointer { buffer in
            let held = buffer.moveElement(from: Int(place))
            buffer.initializeElement(at: Int(place), to: nil)
            return held
        }
        guard case (let message, let sender, let isRestartTraffic, let senderHash)? = consume taken else {
            preconditionFailure("in-flight message \(place) taken twice")
        }
        freePlaces.append(place)
        return (message, sender, isRestartTraffic, senderHash)
    }
}
