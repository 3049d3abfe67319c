extension DecodingError {
    /// A coding path as people write it: `nodes[3].depth`; empty for the top.
    static func pathText(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    /// The same error with `key` inserted into its coding path at `position`: a field
    /// of a `branch_data` message reads `branch_data.epoch`.
    func inserting(_ key: any CodingKey, at position: Int) -> DecodingError {
        func moved(_ context: Context) -> Context {
            var path = context.codingPath
            path.insert(key, at: Swift.min(position, path.count))
            return Context(
                codingPath: path, debugDescription: context.debugDescription, underlyingError: context.underlyingError)
        }
        switch self {
        case .keyNotFound(let missing, let context): return .keyNotFound(missing, moved(context))
        case .typeMismatch(let type, let context): return .typeMismatch(type, moved(context))
        case .valueNotFound(let type, let context): return .valueNotFound(type, moved(context))
        case .dataCorrupted(let context): return .dataCorrupted(moved(context))
        @unknown default: return self
        }
    }
}
