#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Decodes the library's JSON — wire messages and snapshots — through their `Codable`
/// conformances, more strictly than Foundation's `JSONDecoder`.
///
///     let message = try StrictJSONDecoder.decode(
///         RelayMessage.self, from: data, failure: BranchTreeError.malformedMessage)
///
/// The rules: the text is read by ``JSONReader`` (no repeated keys); an integer
/// comes only from an integer literal — no fraction or exponent, so `1.0` and `1e2` are
/// refused where `JSONDecoder` takes them — within its type's range, and an unsigned
/// one has no minus sign (not even `-0`). Every failure is a `DecodingError` with
/// Foundation's conventions, so ``Swift/DecodingError/summary`` names the field:
/// `epoch: must be an integer, got 1.0`.
///
/// The decoder is its own single-value container, as Foundation's is; containers hold
/// the value they read and their coding path.
struct StrictJSONDecoder: Decoder, SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// Reads `data` strictly and decodes a `Value` from it.
    ///
    /// - Throws: `failure` of a one-line summary: the field and what is wrong with it, or
    ///   why the data is not JSON.
    /// - Complexity: O(size of the data)
    static func decode<Value: Decodable>(
        _ type: Value.Type, from data: Data, failure: (String) -> BranchTreeError
    ) throws(BranchTreeError) -> Value {
        let value: JSONValue
        do {
            value = try JSONReader.read(Array(data))
        } catch {
            throw failure(error.description)
        }
        do {
            return try Value(from: StrictJSONDecoder(value: value, codingPath: []))
        } catch let error as DecodingError {
            throw failure(error.summary)
        } catch {
            throw failure("\(error)")
        }
    }

    // MARK: Decoder

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch([String: Any].self, expected: "an object") }
        return KeyedDecodingContainer(StrictJSONKeyedContainer<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch([Any].self, expected: "an array") }
        return StrictJSONUnkeyedContainer(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        self
    }

    // MARK: SingleValueDecodingContainer

    func decodeNil() -> Bool {
        if case .null = value { true } else { false }
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let bool) = value else { throw mismatch(type, expected: "true or false") }
        return bool
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let string) = value else { throw mismatch(type, expected: "a string") }
        return string
    }

    func decode(_ type: Double.Type) throws -> Double {
        try floatingPoint(type)
    }

    func decode(_ type: Float.Type) throws -> Float {
        try floatingPoint(type)
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try T(from: self)
    }

    // MARK: Numbers

    /// The bytes that make a JSON number literal something other than an integer.
    private static let fractionOrExponent: Set<UInt8> = [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")]

    /// An integer literal within `Integer`'s range: `1.0` and `1e2` are numbers, not
    /// integers, and a minus sign (even on `-0`) has no place in an unsigned field.
    private func integer<Integer: FixedWidthInteger>(_ type: Integer.Type) throws -> Integer {
        guard case .number(let literal) = value else { throw mismatch(type, expected: "an integer") }
        guard !literal.utf8.contains(where: Self.fractionOrExponent.contains) else {
            throw corrupted("must be an integer, got \(JSONValue.excerpt(literal))")
        }
        guard Integer.isSigned || !literal.hasPrefix("-"), let integer = Integer(literal) else {
            throw corrupted("must be an integer in \(Integer.min)...\(Integer.max), got \(JSONValue.excerpt(literal))")
        }
        return integer
    }

    private func floatingPoint<Number: BinaryFloatingPoint & LosslessStringConvertible>(_ type: Number.Type)
        throws -> Number
    {
        guard case .number(let literal) = value else { throw mismatch(type, expected: "a number") }
        guard let number = Number(literal), number.isFinite else {
            throw corrupted("must be a finite \(type), got \(JSONValue.excerpt(literal))")
        }
        return number
    }

    // MARK: Errors

    /// Foundation's error for a value of the wrong kind: `valueNotFound` for null,
    /// `typeMismatch` otherwise.
    private func mismatch(_ type: Any.Type, expected: String) -> DecodingError {
        let context = DecodingError.Context(
            codingPath: codingPath, debugDescription: "expected \(expected), got \(value.kindDescription)")
        if case .null = value { return .valueNotFound(type, context) }
        return .typeMismatch(type, context)
    }

    private func corrupted(_ description: String) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: codingPath, debugDescription: description))
    }
}
