import BranchTree

/// One kind of viewer uplink: what share of viewers have it and how many children such a
/// viewer can feed.
///
///     UplinkClass(name: "fibre", share: 0.5)                        // relays to the full fan-out
///     UplinkClass(name: "dsl", share: 0.3, capacity: 1)             // relays to one child
///     UplinkClass(name: "mobile", share: 0.2, relayable: false)     // only ever a leaf
///
/// These map onto ``BranchTree/join(_:relayable:capacity:)`` through
/// ``joinArguments(fanout:)``.
package struct UplinkClass: Sendable, Hashable {
    /// A name for reports, unique within its ``UplinkClasses``.
    package var name: String
    /// The fraction of viewers in this class, in `[0, 1]` (a class with share 0 is never
    /// drawn).
    package var share: Double
    /// Whether these viewers relay at all.
    package var relayable: Bool
    /// The most children such a viewer feeds, capped at the tree's fan-out; `nil` means
    /// the fan-out. Must be `nil` (or 0) when not relayable, and at least 1 otherwise.
    package var capacity: Int?

    package init(name: String, share: Double, relayable: Bool = true, capacity: Int? = nil) {
        self.name = name
        self.share = share
        self.relayable = relayable
        self.capacity = capacity
    }

    /// The `relayable` and `capacity` arguments of ``BranchTree/join(_:relayable:capacity:)``
    /// for a viewer of this class in a tree with `fanout`.
    ///
    /// - Complexity: O(1)
    package func joinArguments(fanout: Int) -> (relayable: Bool, capacity: Int?) {
        guard relayable else { return (false, nil) }
        return (true, capacity.map { min($0, fanout) })
    }

    /// Throws unless the class is well formed (the name and the share of class `position`,
    /// counted from 1, are named in the message).
    func validate(position: Int) throws(WorkloadError) {
        let label = name.isEmpty ? "uplink class \(position)" : "uplink class \"\(name)\""
        guard !name.isEmpty else { throw WorkloadError(parameter: "name of \(label)", problem: "must not be empty") }
        guard share.isFinite, share >= 0 else {
            throw WorkloadError(
                parameter: "share of \(label)", problem: "must be zero or positive and finite, got \(share)")
        }
        guard let capacity else { return }
        if relayable, capacity < 1 {
            throw WorkloadError(
                parameter: "capacity of \(label)",
                problem: "must be at least 1 for a relaying class (use relayable: false for none), got \(capacity)")
        }
        if !relayable, capacity != 0 {
            throw WorkloadError(
                parameter: "capacity of \(label)", problem: "must be 0 or absent when not relayable, got \(capacity)")
        }
    }
}

extension UplinkClass: Codable {
    private enum CodingKeys: String, CodingKey {
        case name, share, relayable, capacity
    }

    /// Decodes `{"name": …, "share": …}` with optional `relayable` (default `true`) and
    /// `capacity` (default: the fan-out). ``UplinkClasses`` validates.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try container.decode(String.self, forKey: .name),
            share: try container.decode(Double.self, forKey: .share),
            relayable: try container.decodeIfPresent(Bool.self, forKey: .relayable) ?? true,
            capacity: try container.decodeIfPresent(Int.self, forKey: .capacity))
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(share, forKey: .share)
        if !relayable { try container.encode(false, forKey: .relayable) }
        try container.encodeIfPresent(capacity, forKey: .capacity)
    }
}
