extension DecodingError {
    /// Where the JSON went wrong and how, in a few words: `nodes[3].depth is missing`.
    /// (Text that is not JSON never gets here: ``JSONReader`` refuses it first.)
    var summary: String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.isEmpty ? "the document" : Self.pathText(codingPath)
        }
        switch self {
        case .keyNotFound(let key, let context):
            return "\(Self.pathText(context.codingPath + [key])) is missing"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) is not of type \(type)"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) is null, expected \(type)"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(self)"
        }
    }
}
