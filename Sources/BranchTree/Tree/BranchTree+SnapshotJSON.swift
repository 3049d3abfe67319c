#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension BranchTree.Snapshot {
    /// The snapshot as JSON, with sorted keys: the same snapshot always gives the same
    /// bytes (Foundation's `JSONEncoder` otherwise writes keys in an order that can
    /// change from one call to the next).
    ///
    /// - Complexity: O(n)
    public func jsonData(prettyPrinted: Bool = false) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = prettyPrinted ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
        do {
            return try encoder.encode(self)
        } catch {
            // Every field is a string, an integer, a boolean or an array of them.
            preconditionFailure("encoding a snapshot cannot fail: \(error)")
        }
    }

    /// Reads a snapshot from JSON, such as ``jsonData(prettyPrinted:)`` wrote.
    ///
    /// Only the JSON is read here; ``BranchTree/init(snapshot:)`` then checks that the
    /// tree it describes is consistent. Stricter than Foundation's `JSONDecoder`: a
    /// repeated key, or a fraction or exponent where an integer goes (`1.0`, `1e2`), is
    /// an error.
    ///
    /// - Throws: ``BranchTreeError/malformedSnapshot(_:)`` naming the field that is
    ///   missing, repeated, of the wrong type or out of range (`nodes[3].depth: must be
    ///   an integer, got 1.0`), or saying that the data is not JSON.
    /// - Complexity: O(n)
    public init(jsonData: Data) throws(BranchTreeError) {
        self = try StrictJSONDecoder.decode(Self.self, from: jsonData, failure: BranchTreeError.malformedSnapshot)
    }
}
