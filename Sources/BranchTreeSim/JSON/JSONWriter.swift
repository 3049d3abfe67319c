import BranchTree

/// Prints a ``JSONValue`` deterministically: same value, same bytes, on every run and
/// platform (members keep their order; nothing passes through a `Dictionary`).
///
///     JSONWriter.string(value, style: .compact)   // {"step":1,"op":"join",…}
///     JSONWriter.string(value, style: .pretty)
///
/// The pretty style expands the outer two levels, one entry per line with two-space
/// indents, and writes anything deeper on one line with `", "` and `": "`: a tree's
/// levels and nodes read one per line. Strings escape `"`, `\` and control characters
/// and keep everything else as UTF-8. No trailing newline.
package enum JSONWriter {
    package enum Style: Hashable, Sendable {
        /// No whitespace at all: one value per line in JSON Lines.
        case compact
        /// Containers above `expandedDepth` one entry per line; deeper ones inline.
        case pretty(expandedDepth: Int)

        package static let pretty = Style.pretty(expandedDepth: 2)
    }

    /// - Complexity: O(size of the output)
    package static func string(_ value: JSONValue, style: Style) -> String {
        var output = ""
        write(value, style: style, depth: 0, to: &output)
        return output
    }

    private static func write(_ value: JSONValue, style: Style, depth: Int, to output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .number(let literal): output += literal
        case .string(let text): writeString(text, to: &output)
        case .array(let elements):
            writeContainer(
                elements, open: "[", close: "]", style: style, depth: depth, to: &output
            ) { element, output in
                write(element, style: style, depth: depth + 1, to: &output)
            }
        case .object(let members):
            writeContainer(
                members, open: "{", close: "}", style: style, depth: depth, to: &output
            ) { member, output in
                writeString(member.key, to: &output)
                output += style == .compact ? ":" : ": "
                write(member.value, style: style, depth: depth + 1, to: &output)
            }
        }
    }

    private static func writeContainer<Element>(
        _ elements: [Element], open: String, close: String, style: Style, depth: Int,
        to output: inout String, element writeElement: (Element, inout String) -> Void
    ) {
        output += open
        defer { output += close }
        guard !elements.isEmpty else { return }
        switch style {
        case .compact:
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                writeElement(element, &output)
            }
        case .pretty(let expandedDepth) where depth < expandedDepth:
            let indent = String(repeating: "  ", count: depth + 1)
            for (index, element) in elements.enumerated() {
                output += index > 0 ? ",\n" : "\n"
                output += indent
                writeElement(element, &output)
            }
            output += "\n" + String(repeating: "  ", count: depth)
        case .pretty:
            for (index, element) in elements.enumerated() {
                if index > 0 { output += ", " }
                writeElement(element, &output)
            }
        }
    }

    private static func writeString(_ text: String, to output: inout String) {
        output += "\""
        defer { output += "\"" }
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            output += text
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16, uppercase: true)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
    }
}
