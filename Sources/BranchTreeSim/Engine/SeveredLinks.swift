/// The viewers whose upstream link one departure (or the broadcaster's shutdown) cut,
/// held until they notice, so that one event tells them all.
///
/// They notice at the same instant, one after another: as separate events they came out
/// of the queue back to back (the same time, consecutive push numbers), so a single
/// event that tells each in turn changes nothing but the number of events. Freed places
/// are reused last-in first-out, like ``InFlightMessages``.
struct SeveredLinks: Sendable {
    /// A viewer in one generation.
    struct Child: Sendable, Equatable {
        var slot: Int32
        var generation: UInt32
    }

    private var places: [[Child]?] = []
    private var freePlaces: [Int32] = []

    /// The number of groups held.
    ///
    /// - Complexity: O(1)
    var count: Int { places.count - freePlaces.count }

    /// Holds `children` until ``take(_:)``; returns their place.
    ///
    /// - Complexity: amortised O(1)
    mutating func hold(_ children: [Child]) -> Int32 {
        if let place = freePlaces.popLast() {
            places[Int(place)] = children
            return place
        }
        precondition(places.count < Int32.max, "more than \(Int32.max) groups of severed links")
        places.append(children)
        return Int32(places.count - 1)
    }

    /// Hands back the children held at `place` and frees the place; every place is taken
    /// exactly once.
    ///
    /// - Complexity: O(1)
    mutating func take(_ place: Int32) -> [Child] {
        var children: [Child]? = nil
        swap(&children, &places[Int(place)])
        guard let children else { preconditionFailure("severed links \(place) taken twice") }
        freePlaces.append(place)
        return children
    }
}
