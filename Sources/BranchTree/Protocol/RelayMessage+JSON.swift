#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// The wire format: one flat JSON object per message, `type` naming it and `version`
// the wire format version. Unknown keys are ignored, so a later version can add fields;
// a repeated key is not, since it would make one message mean two things.

extension RelayMessage: Codable {
    private enum CodingKeys: String, CodingKey {
        case type, version, relayable, capacity, child, epoch, parent, depth, children, sequence
    }

    /// Reads a message from its JSON object, checking `type` and `version`.
    ///
    /// Prefer ``init(jsonData:)``, which also refuses repeated keys and non-integral
    /// numbers where integers go, and throws a typed ``BranchTreeError``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // Foundation's JSONDecoder (this conformance is public) throws its own parser
        // error for a number that does not fit its field (−1 for an epoch) and reports it
        // as "not valid JSON" with no coding path: name the field instead.
        func field<Value: Decodable>(_ type: Value.Type, _ key: CodingKeys) throws -> Value {
            do {
                return try container.decode(Value.self, forKey: key)
            } catch let error as DecodingError {
                throw error
            } catch {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container, debugDescription: "holds a number out of range for its type")
            }
        }
        func optionalField<Value: Decodable>(_ type: Value.Type, _ key: CodingKeys) throws -> Value? {
            guard container.contains(key), try !container.decodeNil(forKey: key) else { return nil }
            return try field(Value.self, key)
        }
        let version = try field(Int.self, .version)
        guard version == Self.wireVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .version, in: container,
                debugDescription: "wire version \(version) is not supported (expected \(Self.wireVersion))")
        }
        func nonNegative(_ value: Int, _ key: CodingKeys) throws -> Int {
            guard value >= 0 else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container, debugDescription: "must not be negative")
            }
            return value
        }
        let type = try field(String.self, .type)
        let message: RelayMessage?
        do {
            switch type {
            case "join":
                let capacity = try optionalField(Int.self, .capacity).map { try nonNegative($0, .capacity) }
                message = .join(
                    Join(relayable: try optionalField(Bool.self, .relayable) ?? true, capacity: capacity))
            case "close_branch":
                message = .closeBranch(
                    CloseBranch(
                        child: try field(ViewerID.self, .child),
                        epoch: try field(UInt64.self, .epoch)))
            case "branch_data":
                message = .branchData(
                    BranchData(
                        parent: try field(ViewerID.self, .parent),
                        epoch: try field(UInt64.self, .epoch),
                        depth: try nonNegative(field(Int.self, .depth), .depth),
                        children: try field([ChildLink].self, .children),
                        sequence: try field(UInt64.self, .sequence)))
            case "request_stream":
                message = .requestStream(RequestStream(epoch: try field(UInt64.self, .epoch)))
            case "reconnect_root":
                message = .reconnectRoot
            default:
                message = nil
            }
        } catch let error as DecodingError {
            // Name the message with the field: branch_data.epoch, not just epoch.
            throw error.inserting(StrictJSONKey.name(type), at: decoder.codingPath.count)
        }
        guard let message else {
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container,
                debugDescription:
                    "unknown type \"\(type)\" (expected join, close_branch, branch_data, request_stream or reconnect_root)"
            )
        }
        self = message
    }

    /// Writes the message as its JSON object, with `type` and `version`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(typeName, forKey: .type)
        try container.encode(Self.wireVersion, forKey: .version)
        switch self {
        case .join(let join):
            try container.encode(join.relayable, forKey: .relayable)
            try container.encodeIfPresent(join.capacity, forKey: .capacity)
        case .closeBranch(let close):
            try container.encode(close.child, forKey: .child)
            try container.encode(close.epoch, forKey: .epoch)
        case .branchData(let record):
            try container.encode(record.parent, forKey: .parent)
            try container.encode(record.epoch, forKey: .epoch)
            try container.encode(record.depth, forKey: .depth)
            try container.encode(record.children, forKey: .children)
            try container.encode(record.sequence, forKey: .sequence)
        case .requestStream(let request):
            try container.encode(request.epoch, forKey: .epoch)
        case .reconnectRoot:
            break
        }
    }

    /// The message as one line of JSON with sorted keys: the same message always gives
    /// the same bytes.
    /// - Complexity: O(size of the message)
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return try encoder.encode(self)
        } catch {
            preconditionFailure("encoding a relay message cannot fail: \(error)")
        }
    }

    /// Reads a message from its JSON form.
    ///
    /// Stricter than Foundation's `JSONDecoder`: a repeated key, or a fraction or
    /// exponent where an integer goes (`1.0`, `1e2`), is an error.
    ///
    /// - Throws: ``BranchTreeError/malformedMessage(_:)`` naming the field that is
    ///   missing, repeated, of the wrong type or out of range (`branch_data.epoch: must
    ///   be an integer, got 1.0`), an unknown `type` or `version`, or data that is not
    ///   JSON. Never traps, whatever the bytes.
    /// - Complexity: O(size of the data)
    public init(jsonData: Data) throws(BranchTreeError) {
        self = try StrictJSONDecoder.decode(Self.self, from: jsonData, failure: BranchTreeError.malformedMessage)
    }
}
