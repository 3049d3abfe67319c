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
    /// tree it describes is consistent.
    ///
    /// - Throws: ``BranchTreeError/malformedSnapshot(_:)`` naming the field that is
    ///   missing or of the wrong type, or saying that the data is not JSON.
    /// - Complexity: O(n)
    public init(jsonData: Data) throws(BranchTreeError) {
        do {
            self = try JSONDecoder().decode(Self.self, from: jsonData)
        } catch let error as DecodingError {
            throw .malformedSnapshot(error.summary)
        } catch {
            throw .malformedSnapshot("\(error)")
        }
    }
}
