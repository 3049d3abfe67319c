/// The "did you mean" helper: the known name closest to a mistyped one.
///
///     NameSuggestion.closest(to: "fanuot", among: ["fanout", "policy"])   // "fanout"
///
/// Closeness is the edit distance counting a swap of neighbours as one edit (optimal
/// string alignment), since swapped letters are the commonest typo; a name more than a third of its length away
/// (and at least 1 away, at most 3) is not suggested. Ties go to the earlier name, so
/// the answer never depends on hashing.
package enum NameSuggestion {
    package static func closest(to typo: String, among names: [String]) -> String? {
        let typed = Array(typo.lowercased())
        var best: (name: String, distance: Int)?
        for name in names {
            let distance = editDistance(typed, Array(name.lowercased()))
            let allowed = min(3, max(1, name.count / 3))
            if distance <= allowed, distance < (best?.distance ?? .max) {
                best = (name, distance)
            }
        }
        return best?.name
    }

    /// ` (did you mean '--x'?)` for prefix `--`, or the empty string when nothing is close.
    package static func hint(
        for typo: String, among names: [String], prefix: String = "", quote: String = "'"
    ) -> String {
        closest(to: typo, among: names).map { " (did you mean \(quote)\(prefix)\($0)\(quote)?)" } ?? ""
    }

    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }
}
