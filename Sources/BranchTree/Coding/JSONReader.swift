/// Reads JSON text — the library's messages and snapshots, the simulator's scenario
/// files and traces: RFC 8259 syntax and no key twice in one object.
///
///     let value = try JSONReader.read(Array(#"{"type":"join","version":1}"#.utf8))
///
/// Foundation's `JSONDecoder` keeps one of two repeated keys without a word, so the same
/// bytes could mean one thing to this library and another to a proxy or a log reader;
/// here a repeat is an error naming the key and where it is. Numbers keep their literal
/// text (see ``JSONValue``). A UTF-8 byte order mark at the start is skipped;
/// anything else that is not JSON is refused with its byte position, and nesting stops at
/// ``maximumDepth`` so that hostile input cannot exhaust the stack.
package struct JSONReader {
    /// Why the text cannot be read, and where.
    package struct Failure: Error, Sendable, CustomStringConvertible {
        /// What kind of problem it is.
        package enum Kind: Sendable {
            /// Not JSON at ``Failure/byte``.
            case syntax
            /// Nested deeper than ``JSONReader/maximumDepth`` at ``Failure/byte``.
            case tooDeep
            /// A key twice in the object at ``Failure/codingPath``.
            case repeatedKey(String)
        }

        package var kind: Kind
        /// The keys and array positions from the top of the document down to the object
        /// with a repeated key; empty for a problem at the top or a syntax error.
        package var codingPath: [StrictJSONKey] = []
        /// What is wrong, without saying that the data is JSON or where: `unexpected 'x'`,
        /// `nests deeper than 100 levels`, `repeated key "a"`; for callers with messages of
        /// their own.
        package var reason: String
        /// The 1-based byte position of a syntax error or of the nesting too deep.
        package var byte: Int?

        /// The key that appears twice in one object, if that is what is wrong.
        package var repeatedKey: String? {
            if case .repeatedKey(let key) = kind { key } else { nil }
        }

        /// What is wrong, for a message of the library's: `the data is not valid JSON:
        /// unexpected 'x'`, `repeated key "a"`.
        package var problem: String {
            switch kind {
            case .syntax: "the data is not valid JSON: \(reason)"
            case .tooDeep: "the data \(reason)"
            case .repeatedKey: reason
            }
        }

        package var description: String {
            if let byte { return "\(problem) at byte \(byte)" }
            return codingPath.isEmpty ? problem : "\(DecodingError.pathText(codingPath)): \(problem)"
        }
    }

    /// Deep enough for any message or snapshot (three levels) and unknown fields a later
    /// wire version may add.
    package static let maximumDepth = 100

    private let bytes: [UInt8]
    private var position = 0

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Reads one complete JSON text; only whitespace may surround the value.
    /// - Complexity: O(n)
    package static func read(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        var reader = JSONReader(bytes: bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { reader.position = 3 }
        reader.skipWhitespace()
        let value = try reader.readValue(depth: 0)
        reader.skipWhitespace()
        guard reader.position == bytes.count else { throw reader.syntax("unexpected text after the value") }
        return value
    }

    // MARK: Values

    private mutating func readValue(depth: Int) throws(Failure) -> JSONValue {
        guard let byte = peek() else { throw syntax("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"): return try readObject(depth: depth + 1)
        case UInt8(ascii: "["): return try readArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"):
            try expect("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expect("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expect("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try readNumber())
        default: throw unexpected()
        }
    }

    private mutating func readObject(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= Self.maximumDepth else { throw tooDeep() }
        position += 1
        var members: [JSONValue.Member] = []
        // Past a few members a set finds repeats, so that a huge object costs O(n), not O(n²).
        var keys: Set<String> = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw unexpected(expecting: "a string key") }
            let key = try readString()
            let isRepeated: Bool
            if members.count < 16 {
                isRepeated = members.contains { $0.key == key }
            } else {
                if keys.isEmpty { keys = Set(members.map(\.key)) }
                isRepeated = !keys.insert(key).inserted
            }
            guard !isRepeated else {
                let shown = String(reflecting: JSONValue.excerpt(key))
                throw Failure(kind: .repeatedKey(key), reason: "repeated key \(shown)")
            }
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw unexpected(expecting: "':'") }
            position += 1
            skipWhitespace()
            do {
                members.append(.init(key, try readValue(depth: depth)))
            } catch {
                throw error.below(.name(key))
            }
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                return .object(members)
            default: throw unexpected(expecting: "',' or '}'")
            }
        }
    }

    private mutating func readArray(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= Self.maximumDepth else { throw tooDeep() }
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            do {
                elements.append(try readValue(depth: depth))
            } catch {
                throw error.below(.index(elements.count))
            }
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                return .array(elements)
            default: throw unexpected(expecting: "',' or ']'")
            }
        }
    }

    // MARK: Scalars

    private mutating func readString() throws(Failure) -> String {
        let opening = position
        position += 1
        // Most strings have no escapes: validate their bytes in one go.
        var end = position
        while end < bytes.count, bytes[end] >= 0x20, bytes[end] != UInt8(ascii: "\""),
            bytes[end] != UInt8(ascii: "\\")
        {
            end += 1
        }
        var utf8 = Array(bytes[position..<end])
        position = end
        while true {
            guard let byte = peek() else {
                position = opening
                throw syntax("unterminated string")
            }
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard let string = String(validating: utf8, as: UTF8.self) else {
                    position = opening
                    throw syntax("invalid UTF-8 in a string")
                }
                return string
            case UInt8(ascii: "\\"):
                position += 1
                try readEscape(into: &utf8)
            case 0..<0x20:
                throw syntax("unescaped control character in a string")
            default:
                utf8.append(byte)
                position += 1
            }
        }
    }

    private mutating func readEscape(into utf8: inout [UInt8]) throws(Failure) {
        guard let byte = peek() else { throw syntax("unterminated string") }
        position += 1
        let simple: UInt8? =
            switch byte {
            case UInt8(ascii: "\""): UInt8(ascii: "\"")
            case UInt8(ascii: "\\"): UInt8(ascii: "\\")
            case UInt8(ascii: "/"): UInt8(ascii: "/")
            case UInt8(ascii: "b"): 0x08
            case UInt8(ascii: "f"): 0x0C
            case UInt8(ascii: "n"): 0x0A
            case UInt8(ascii: "r"): 0x0D
            case UInt8(ascii: "t"): 0x09
            default: nil
            }
        if let simple {
            utf8.append(simple)
            return
        }
        guard byte == UInt8(ascii: "u") else {
            position -= 1
            throw syntax("invalid escape sequence")
        }
        var scalar = try readHex4()
        if (0xD800..<0xDC00).contains(scalar) {
            guard peek() == UInt8(ascii: "\\"), peek(offset: 1) == UInt8(ascii: "u") else {
                throw syntax("lone surrogate in a \\u escape")
            }
            position += 2
            let low = try readHex4()
            guard (0xDC00..<0xE000).contains(low) else { throw syntax("lone surrogate in a \\u escape") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(scalar) {
            throw syntax("lone surrogate in a \\u escape")
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw syntax("invalid \\u escape") }
        utf8.append(contentsOf: String(Character(unicode)).utf8)
    }

    private mutating func readHex4() throws(Failure) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek() else { throw syntax("unterminated \\u escape") }
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw syntax("invalid \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func readNumber() throws(Failure) -> String {
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        switch peek() {
        case UInt8(ascii: "0"):
            position += 1
            if let next = peek(), isDigit(next) { throw syntax("leading zero in a number") }
        case let byte? where isDigit(byte):
            skipDigits()
        default:
            throw unexpected(expecting: "a digit")
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard let byte = peek(), isDigit(byte) else { throw unexpected(expecting: "a digit") }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard let byte = peek(), isDigit(byte) else { throw unexpected(expecting: "a digit") }
            skipDigits()
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func expect(_ literal: StaticString) throws(Failure) {
        let text = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        guard bytes[position...].starts(with: text) else { throw syntax("expected '\(literal)'") }
        position += text.count
    }

    // MARK: Bytes

    private func peek(offset: Int = 0) -> UInt8? {
        position + offset < bytes.count ? bytes[position + offset] : nil
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private mutating func skipDigits() {
        while let byte = peek(), isDigit(byte) { position += 1 }
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
    }

    private func syntax(_ reason: String) -> Failure {
        Failure(kind: .syntax, reason: reason, byte: position + 1)
    }

    private func tooDeep() -> Failure {
        Failure(kind: .tooDeep, reason: "nests deeper than \(Self.maximumDepth) levels", byte: position + 1)
    }

    private func unexpected(expecting expected: String? = nil) -> Failure {
        let wanted = expected.map { ", expected \($0)" } ?? ""
        guard let byte = peek() else { return syntax("unexpected end of input" + wanted) }
        let shown =
            (0x21..<0x7F).contains(byte)
            ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
        return syntax("unexpected \(shown)" + wanted)
    }
}

extension JSONReader.Failure {
    /// The failure as seen from the value that holds the one it happened in: a repeated
    /// key gets its path as the error travels up; a syntax error keeps its byte instead.
    fileprivate func below(_ key: StrictJSONKey) -> Self {
        guard byte == nil else { return self }
        var failure = self
        failure.codingPath.insert(key, at: 0)
        return failure
    }
}
