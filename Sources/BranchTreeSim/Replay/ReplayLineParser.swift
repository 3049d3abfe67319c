import BranchTree

/// Reads one replay log line strictly: a typo must stop the replay, never be ignored.
///
///     try ReplayLineParser.parse(Array(#"{"op":"leave","id":"D"}"#.utf8), line: 3)
///     // ReplayEntry(line: 3, operation: .leave("D"))
///
/// A line is a JSON object with exactly these fields:
///
/// - `op`: `"join"`, `"leave"` or `"restart"` (required);
/// - `id`: a non-empty string (required for join and leave; not allowed for restart);
/// - `relayable`: `true` or `false` (join only; default `true`);
/// - `capacity`: an integer (join only; default the fan-out, 0 when not relayable);
/// - `strategy`: `"restore"` or `"reconnect-all"` (restart only; default the replay's);
/// - `missing`: an array of distinct non-empty ids (restart only; default none).
///
/// Blank lines (only spaces, tabs or a carriage return) give nil. Anything else — invalid
/// UTF-8, invalid JSON, another JSON type, a missing, misspelt, repeated or mistyped
/// field — throws a ``ReplayInputError`` naming the line and the problem. Whether the id
/// exists (also a missing one) and the capacity fits is the tree's business, checked when
/// the entry is applied.
package enum ReplayLineParser {
    /// The fields a line may have, in documentation order.
    package static let fields = ["op", "id", "relayable", "capacity", "strategy", "missing"]

    /// - Complexity: O(length of the line)
    package static func parse(_ bytes: [UInt8], line: Int) throws(ReplayInputError) -> ReplayEntry? {
        func fail(_ message: String) -> ReplayInputError { ReplayInputError(line: line, message: message) }

        var bytes = bytes[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            // A byte order mark begins a file, not a line in the middle of one.
            guard line == 1 else { throw fail("not valid JSON (a byte order mark at column 1)") }
            bytes = bytes.dropFirst(3)
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return nil }
        guard String(validating: bytes, as: UTF8.self) != nil else { throw fail("not valid UTF-8") }

        let value: JSONValue
        do {
            value = try JSONReader.read(Array(bytes))
        } catch {
            if let key = error.repeatedKey { throw fail("duplicate field \(quoted(key))") }
            throw fail("not valid JSON (\(error.reason) at column \(error.byte ?? 1))")
        }
        guard case .object(let members) = value else {
            throw fail("expected a JSON object, found \(value.kindDescription)")
        }

        var found = Fields()
        for member in members {
            let field: WritableKeyPath<Fields, JSONValue?>
            switch member.key {
            case "op": field = \.op
            case "id": field = \.id
            case "relayable": field = \.relayable
            case "capacity": field = \.capacity
            case "strategy": field = \.strategy
            case "missing": field = \.missing
            default:
                let hint = NameSuggestion.hint(for: member.key, among: fields, quote: "\"")
                throw fail("unknown field \(quoted(member.key))\(hint)")
            }
            found[keyPath: field] = member.value
        }
        let (op, id, relayable, capacity) = (found.op, found.id, found.relayable, found.capacity)

        guard let op else { throw fail("missing field \"op\"") }
        guard case .string(let opName) = op else {
            throw fail("field \"op\" must be \"join\", \"leave\" or \"restart\", found \(op.kindDescription)")
        }
        guard opName == "join" || opName == "leave" || opName == "restart" else {
            throw fail("unknown op \(quoted(opName)) (expected \"join\", \"leave\" or \"restart\")")
        }
        if opName == "restart" {
            return ReplayEntry(line: line, action: .restart(try restart(found, fail: fail)))
        }
        if found.strategy != nil { throw fail("field \"strategy\" is only allowed with \"op\":\"restart\"") }
        if found.missing != nil { throw fail("field \"missing\" is only allowed with \"op\":\"restart\"") }
        guard let id else { throw fail("missing field \"id\"") }
        guard case .string(let idText) = id else {
            throw fail("field \"id\" must be a string, found \(id.kindDescription)")
        }
        guard !idText.isEmpty else { throw fail("field \"id\" must not be empty") }

        guard opName == "join" else {
            if relayable != nil { throw fail("field \"relayable\" is only allowed with \"op\":\"join\"") }
            if capacity != nil { throw fail("field \"capacity\" is only allowed with \"op\":\"join\"") }
            return ReplayEntry(line: line, operation: .leave(ViewerID(idText)))
        }
        var isRelayable = true
        if let relayable {
            guard case .bool(let flag) = relayable else {
                throw fail("field \"relayable\" must be true or false, found \(relayable.kindDescription)")
            }
            isRelayable = flag
        }
        var capacityValue: Int?
        if let capacity {
            guard case .number(let literal) = capacity else {
                throw fail("field \"capacity\" must be an integer, found \(capacity.kindDescription)")
            }
            // Digits only: `1.0` and `1e2` are numbers, not integers (-0 is 0: capacity is signed).
            guard literal.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }) else {
                throw fail("field \"capacity\" must be an integer, found \(literal)")
            }
            guard let number = Int(literal) else { throw fail("field \"capacity\" is out of range: \(literal)") }
            capacityValue = number
        }
        return ReplayEntry(
            line: line, operation: .join(ViewerID(idText), relayable: isRelayable, capacity: capacityValue))
    }

    /// The fields of a `restart` line.
    private static func restart(
        _ found: Fields, fail: (String) -> ReplayInputError
    ) throws(ReplayInputError) -> ReplayRestart {
        if found.id != nil { throw fail("field \"id\" is only allowed with \"op\":\"join\" or \"leave\"") }
        if found.relayable != nil { throw fail("field \"relayable\" is only allowed with \"op\":\"join\"") }
        if found.capacity != nil { throw fail("field \"capacity\" is only allowed with \"op\":\"join\"") }
        var request = ReplayRestart()
        if let strategy = found.strategy {
            let names = RestartStrategy.allCases.map(\.rawValue)
            let expected = "field \"strategy\" must be " + names.map(quoted).joined(separator: " or ")
            guard case .string(let name) = strategy else {
                throw fail("\(expected), found \(strategy.kindDescription)")
            }
            guard let value = RestartStrategy(rawValue: name) else {
                let hint = NameSuggestion.hint(for: name, among: names, quote: "\"")
                throw fail("\(expected), found \(quoted(name))\(hint)")
            }
            request.strategy = value
        }
        if let missing = found.missing {
            guard case .array(let elements) = missing else {
                throw fail("field \"missing\" must be an array of viewer ids, found \(missing.kindDescription)")
            }
            var seen: Set<String> = []
            for element in elements {
                guard case .string(let id) = element else {
                    throw fail("field \"missing\" must hold only strings, found \(element.kindDescription)")
                }
                guard !id.isEmpty else { throw fail("field \"missing\" must not hold an empty id") }
                guard seen.insert(id).inserted else { throw fail("field \"missing\" lists \(quoted(id)) twice") }
                request.missing.append(ViewerID(id))
            }
        }
        return request
    }

    private struct Fields {
        var op, id, relayable, capacity, strategy, missing: JSONValue?
    }

    /// A string as a JSON literal, so that odd ids print unambiguously.
    private static func quoted(_ text: String) -> String {
        JSONWriter.string(.string(text), style: .compact)
    }
}
