/// Writes SVG markup: elements with escaped attributes and text, one per line, indented by
/// depth, then the root `<svg>` around them.
///
///     var document = SVGDocument()
///     document.element("rect", ["x": "0", "y": "0", "width": "10", "height": "10"])
///     document.element("text", ["x": "5", "y": "20"], text: "a < b")   // a &lt; b
///     let svg = document.rendered(width: 100, height: 40, title: "Demo", description: "")
///
/// Attributes keep the order they are written in (no `Dictionary`), so output is
/// deterministic. The result is standalone: an XML declaration, the SVG namespace, a
/// `viewBox`, a generic `font-family`, and nothing external, no scripts.
package struct SVGDocument: Sendable {
    package typealias Attributes = KeyValuePairs<String, String>

    private var body = ""
    /// Names of the elements opened with ``open(_:_:)`` and not yet closed.
    private var openElements: [String] = []

    package init() {}

    /// Appends an element: self-closing without `text`, else with `text` escaped inside.
    ///
    /// - Complexity: O(size of the element)
    package mutating func element(_ name: String, _ attributes: Attributes = [:], text: String? = nil) {
        startLine()
        body += "<" + name
        appendAttributes(attributes)
        if let text {
            body += ">" + Self.escaped(text) + "</" + name + ">\n"
        } else {
            body += "/>\n"
        }
    }

    /// Opens an element that later elements go inside, until ``close()``.
    ///
    /// - Complexity: O(size of the start tag)
    package mutating func open(_ name: String, _ attributes: Attributes = [:]) {
        startLine()
        body += "<" + name
        appendAttributes(attributes)
        body += ">\n"
        openElements.append(name)
    }

    /// Closes the element opened last.
    ///
    /// - Complexity: O(1)
    package mutating func close() {
        guard let name = openElements.popLast() else {
            preconditionFailure("SVGDocument.close() without an open element")
        }
        startLine()
        body += "</" + name + ">\n"
    }

    /// The whole document: XML declaration, `<svg>` root sized `width`×`height` with a
    /// matching `viewBox`, `<title>` and `<desc>` for screen readers and tooltips, then
    /// everything written so far.
    ///
    /// - Complexity: O(size of the document)
    package func rendered(width: Double, height: Double, title: String, description: String) -> String {
        precondition(openElements.isEmpty, "SVGDocument has unclosed elements: \(openElements)")
        let w = NumberFormat.trimmed(width, decimals: 0)
        let h = NumberFormat.trimmed(height, decimals: 0)
        var output = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        output += #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(w)" height="\#(h)" viewBox="0 0 \#(w) \#(h)" "#
        output += #"font-family="sans-serif" role="img">"# + "\n"
        output += "  <title>" + Self.escaped(title) + "</title>\n"
        if !description.isEmpty {
            output += "  <desc>" + Self.escaped(description) + "</desc>\n"
        }
        output += body
        output += "</svg>\n"
        return output
    }

    /// `text` safe inside XML character data and attribute values: `& < > " '` become
    /// entities; tabs and line breaks become spaces (labels are one line); other
    /// characters that XML 1.0 forbids become U+FFFD.
    ///
    /// - Complexity: O(`text.count`)
    package static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscaping) else { return text }
        var output = ""
        output.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            case "\t", "\n", "\r": output += " "
            case "\u{00}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}": output += "\u{FFFD}"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    private static func needsEscaping(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "&", "<", ">", "\"", "'", "\u{00}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}": true
        default: false
        }
    }

    private mutating func startLine() {
        body += String(repeating: "  ", count: openElements.count + 1)
    }

    private mutating func appendAttributes(_ attributes: Attributes) {
        for (name, value) in attributes {
            body += " " + name + "=\"" + Self.escaped(value) + "\""
        }
    }
}
