/// Text measured and cut without a font: the chart is written without one, so widths are
/// estimates good enough to keep labels from running into each other.
///
///     ChartText.truncated("a very long series name", toWidth: 80, fontSize: 12)  // "a very lo…"
///
/// A character counts 0.6 em, or 1 em if East Asian wide or an emoji; sans-serif
/// averages about 0.55 em, so estimates err on the long side.
package enum ChartText {
    /// The estimated width of `text` at `fontSize`.
    ///
    /// - Complexity: O(`text.count`)
    package static func width(_ text: some StringProtocol, fontSize: Double) -> Double {
        text.reduce(0) { $0 + width($1, fontSize: fontSize) }
    }

    private static func width(_ character: Character, fontSize: Double) -> Double {
        (isWide(character.unicodeScalars.first?.value ?? 0) ? 1 : 0.6) * fontSize
    }

    /// East Asian wide characters and emoji: Hangul, CJK, full-width forms, pictographs.
    private static func isWide(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
            0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            true
        default:
            false
        }
    }

    /// `text` if it fits `width`, else its longest prefix that fits with `…` appended.
    ///
    /// - Complexity: O(`text.count`)
    package static func truncated(_ text: String, toWidth width: Double, fontSize: Double) -> String {
        guard self.width(text, fontSize: fontSize) > width else { return text }
        var budget = width - self.width("…", fontSize: fontSize)
        var kept = ""
        for character in text {
            budget -= self.width(character, fontSize: fontSize)
            guard budget >= 0 else { break }
            kept.append(character)
        }
        while kept.last?.isWhitespace == true { kept.removeLast() }
        return kept + "…"
    }

    /// `text` broken at spaces into at most `maximumLines` lines that fit `width`; the last
    /// line is truncated if words remain. Whitespace runs (newlines too) become one space.
    ///
    /// - Complexity: O(`text.count`)
    package static func wrapped(
        _ text: String, toWidth width: Double, fontSize: Double, maximumLines: Int
    ) -> [String] {
        var lines: [String] = []
        var lineWidth = 0.0
        let space = self.width(" ", fontSize: fontSize)
        for word in text.split(whereSeparator: \.isWhitespace) {
            let wordWidth = self.width(word, fontSize: fontSize)
            if !lines.isEmpty && lineWidth + space + wordWidth <= width {
                lines[lines.count - 1] += " " + word
                lineWidth += space + wordWidth
            } else {
                lines.append(String(word))
                lineWidth = wordWidth
            }
        }
        let limit = max(maximumLines, 1)
        if lines.count > limit {
            // The last allowed line takes everything left and is cut to fit.
            lines = Array(lines.prefix(limit - 1)) + [lines[(limit - 1)...].joined(separator: " ")]
        }
        return lines.map { truncated($0, toWidth: width, fontSize: fontSize) }
    }
}
