/// The fields of one CSV line as RFC 4180 writes them: a field with a comma or a quote is
/// quoted, a quote inside doubled.
enum CSVLine {
    static func fields(_ line: String) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var characters = line.makeIterator()
        while let character = characters.next() {
            switch (character, quoted) {
            case ("\"", false) where field.isEmpty: quoted = true
            case ("\"", true):
                var lookahead = characters
                if lookahead.next() == "\"" {
                    field.append("\"")
                    characters = lookahead
                } else {
                    quoted = false
                }
            case (",", false):
                fields.append(field)
                field = ""
            default: field.append(character)
            }
        }
        fields.append(field)
        return fields
    }
}
