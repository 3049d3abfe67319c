import BranchTree

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A parsed JSON value, so that frames are validated field by field with errors that
/// name the field, instead of one opaque decoding failure.
enum JSONValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Parses one JSON text.
    static func parse(_ bytes: some Collection<UInt8>) throws(ProtocolError) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw ProtocolError(.badJSON, "the frame is not valid JSON")
        }
    }
}

/// Reads the fields of one JSON object, each failure naming its field.
struct JSONFields {
    let object: [String: JSONValue]
    /// The frame's type, for messages (`hello.room`).
    let context: String

    func string(_ key: String, maxLength: Int = 128) throws(ProtocolError) -> String {
        guard let value = try optionalString(key, maxLength: maxLength) else { throw missing(key) }
        return value
    }

    func optionalString(_ key: String, maxLength: Int = 128) throws(ProtocolError) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let text)?:
            guard text.utf8.count <= maxLength else {
                throw ProtocolError(.badField, "\(context).\(key) is longer than \(maxLength) bytes")
            }
            return text
        default: throw wrongType(key, "a string")
        }
    }

    func bool(_ key: String, default fallback: Bool? = nil) throws(ProtocolError) -> Bool {
        switch object[key] {
        case nil, .null?:
            guard let fallback else { throw missing(key) }
            return fallback
        case .bool(let value)?: return value
        default: throw wrongType(key, "true or false")
        }
    }

    func integer(_ key: String, in range: ClosedRange<Int64>) throws(ProtocolError) -> Int64 {
        guard let value = try optionalInteger(key, in: range) else { throw missing(key) }
        return value
    }

    func optionalInteger(_ key: String, in range: ClosedRange<Int64>) throws(ProtocolError) -> Int64? {
        switch object[key] {
        case nil, .null?: return nil
        case .integer(let value)?:
            guard range.contains(value) else {
                throw ProtocolError(
                    .badField, "\(context).\(key) is \(value), outside \(range.lowerBound)…\(range.upperBound)")
            }
            return value
        default: throw wrongType(key, "an integer")
        }
    }

    func optionalObject(_ key: String) throws(ProtocolError) -> JSONFields? {
        switch object[key] {
        case nil, .null?: return nil
        case .object(let fields)?: return JSONFields(object: fields, context: "\(context).\(key)")
        default: throw wrongType(key, "an object")
        }
    }

    /// The longest peer id accepted.
    static let maxIDLength = 128

    func id(_ key: String) throws(ProtocolError) -> ViewerID {
        let text = try string(key, maxLength: Self.maxIDLength)
        guard !text.isEmpty else { throw ProtocolError(.badField, "\(context).\(key) is empty") }
        return ViewerID(text)
    }

    private func missing(_ key: String) -> ProtocolError {
        ProtocolError(.badField, "\(context).\(key) is missing")
    }

    private func wrongType(_ key: String, _ expected: String) -> ProtocolError {
        ProtocolError(.badField, "\(context).\(key) must be \(expected)")
    }
}
