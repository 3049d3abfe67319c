#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// The wire format: one flat JSON object per message, `type` naming it and `version`
// the wire format version. Unknown keys are ignored, so a later version can add fields.

extension RelayMessage: Codable {
    private enum CodingKeys: String, CodingKey {
        case type, version, relayable, capacity, child, epoch, parent, depth, children, sequence
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let version = try container.decode(Int.self, forKey: .version)
        guard version == Self.wireVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .version, in: container,
                debugDescription: "wire version \(version) is not supported (expected \(Self.wireVersion))")
        }
        func nonNegative(_ key: CodingKeys) throws -> Int {
            let value = try container.decode(Int.self, forKey: key)
            guard value >= 0 else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container, debugDescription: "must not be negative")
            }
            return value
        }
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "join":
            let capacity = try container.decodeIfPresent(Int.self, forKey: .capacity)
            if let capacity, capacity < 0 { _ = try nonNegative(.capacity) }
            self = .join(
                Join(relayable: try container.decodeIfPresent(Bool.self, forKey: .relayable) ?? true, capacity: capacity))
        case "close_branch":
            self = .closeBranch(
                CloseBranch(
                    child: try container.decode(ViewerID.self, forKey: .child),
                    epoch: try container.decode(UInt64.self, forKey: .epoch)))
        case "branch_data":
            self = .branchData(
                BranchData(
                    parent: try container.decode(ViewerID.self, forKey: .parent),
                    epoch: try container.decode(UInt64.self, forKey: .epoch),
                    depth: try nonNegative(.depth),
                    children: try container.decode([ChildLink].self, forKey: .children),
                    sequence: try container.decode(UInt64.self, forKey: .sequence)))
        case "request_stream":
            self = .requestStream(RequestStream(epoch: try container.decode(UInt64.self, forKey: .epoch)))
        case "reconnect_root":
            self = .reconnectRoot
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container,
                debugDescription:
                    "unknown type \"\(type)\" (expected join, close_branch, branch_data, request_stream or reconnect_root)")
        }
    }

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
    /// - Throws: ``BranchTreeError/malformedMessage(_:)`` naming the field that is
    ///   missing, of the wrong type or out of range, an unknown `type` or `version`, or
    ///   data that is not JSON. Never traps, whatever the bytes.
    /// - Complexity: O(size of the data)
    public init(jsonData: Data) throws(BranchTreeError) {
        do {
            self = try JSONDecoder().decode(Self.self, from: jsonData)
        } catch let error as DecodingError {
            throw .malformedMessage(error.summary)
        } catch {
            throw .malformedMessage("\(error)")
        }
    }
}
