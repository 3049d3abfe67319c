/// A key of a ``StrictJSONDecoder`` coding path: an object member's name or an array
/// position.
///
///     StrictJSONKey.index(3).intValue       // 3
///     StrictJSONKey.name("epoch").stringValue
///
/// An enum rather than a struct of both, so that it fits an existential's inline buffer
/// and a coding path costs no allocation per key.
package enum StrictJSONKey: CodingKey, Hashable, Sendable {
    case name(String)
    case index(Int)

    package init(stringValue: String) {
        self = .name(stringValue)
    }

    package init(intValue: Int) {
        self = .index(intValue)
    }

    package var stringValue: String {
        switch self {
        case .name(let name): name
        case .index(let index): "Index \(index)"
        }
    }

    package var intValue: Int? {
        switch self {
        case .name: nil
        case .index(let index): index
        }
    }
}
