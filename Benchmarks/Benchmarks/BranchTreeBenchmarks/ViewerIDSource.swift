import BranchTree

/// Hands out fresh viewer ids, never the same one twice, in a fixed order.
///
/// Two styles, because an id's representation decides part of a viewer's cost:
///
/// - ``Style/short``: `v0`, `v1`, … — at most 15 UTF-8 bytes, so Swift stores the string
///   inline in the `ViewerID` and no id costs a heap allocation.
/// - ``Style/uuid``: version-4 UUID strings (36 bytes, one heap allocation each), as a
///   signalling server that names sessions by `UUID` would send. The random part comes
///   from ``Xoshiro256StarStar``; the last 48 bits are a counter, so ids are unique by
///   construction, not by luck.
struct ViewerIDSource {
    enum Style: String {
        case short
        case uuid
    }

    let style: Style
    private var counter: UInt64 = 0
    private var random: Xoshiro256StarStar

    init(style: Style, seed: UInt64) {
        self.style = style
        self.random = Xoshiro256StarStar(seed: seed)
    }

    /// The next fresh id.
    mutating func next() -> ViewerID {
        defer { counter += 1 }
        switch style {
        case .short:
            return ViewerID("v\(counter)")
        case .uuid:
            precondition(counter < 1 << 48, "ran out of unique UUID suffixes")
            let high = random.next()
            let middle = random.next()
            // 8-4-4-4-12 upper-case hex digits; version nibble 4, variant bits 10. Written
            // straight into the string's storage: one allocation, the id's own.
            let counter = self.counter
            let text = String(unsafeUninitializedCapacity: 36) { buffer in
                var index = 0
                func write(_ value: UInt64, digits: Int, dash: Bool = true) {
                    for shift in stride(from: (digits - 1) * 4, through: 0, by: -4) {
                        let nibble = UInt8(truncatingIfNeeded: value >> UInt64(shift)) & 0xF
                        buffer[index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10
                        index += 1
                    }
                    if dash {
                        buffer[index] = UInt8(ascii: "-")
                        index += 1
                    }
                }
                write(high >> 32, digits: 8)
                write((high >> 16) & 0xFFFF, digits: 4)
                write((high & 0x0FFF) | 0x4000, digits: 4)
                write((middle & 0x3FFF) | 0x8000, digits: 4)
                write(counter, digits: 12, dash: false)
                return index
            }
            return ViewerID(text)
        }
    }
}
