#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The identity of one node of a relay tree: a viewer's session, or the broadcaster.
///
/// A viewer id names a *session*, not a user: one person watching in two windows is two
/// viewers with two ids. Both plain strings and `UUID`s are first-class:
///
///     var tree = try BranchTree(fanout: 3)
///     try tree.join("viewer-1")
///     try tree.join(ViewerID(UUID()))
///
/// On the wire and in snapshots an id is a JSON string.
public struct ViewerID: Hashable, Comparable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible, LosslessStringConvertible
{
    /// The id as text, exactly as given.
    public let rawValue: String

    /// Wraps a string id.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    /// Wraps a `UUID`, using its canonical `uuidString`.
    public init(_ uuid: UUID) {
        self.rawValue = uuid.uuidString
    }

    /// Wraps a string literal, so that ids can be written as `"viewer-1"`.
    public init(stringLiteral value: String) {
        self.rawValue = value
    }

    /// The id read as a `UUID`, when it is one.
    public var uuid: UUID? { UUID(uuidString: rawValue) }

    /// The id as text: ``rawValue``.
    public var description: String { rawValue }

    /// Orders ids by their text, for deterministic output.
    public static func < (lhs: ViewerID, rhs: ViewerID) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

extension ViewerID: Codable {
    /// Reads an id from a JSON string.
    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Writes the id as a JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
