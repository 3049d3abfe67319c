import Testing

@testable import BranchTreeSim

@Suite struct ArrayMovingOutTests {
    final class Token {
        let value: Int
        init(_ value: Int) { self.value = value }
    }

    @Test func handsEachElementOutInOrderAndLeavesTheArrayEmpty() {
        var strings = ["a long string that lives on the heap: one", "two", "three"]
        let capacity = strings.capacity
        var seen: [String] = []
        strings.moveOutEach(placeholder: "") { seen.append($0) }
        #expect(seen == ["a long string that lives on the heap: one", "two", "three"])
        #expect(strings.isEmpty)
        #expect(strings.capacity == capacity)
    }

    @Test func keepsNoReferenceToWhatItHandedOut() {
        var tokens = [Token(1), Token(2), Token(3)]
        var kept: [Token] = []
        var shared = 0
        tokens.moveOutEach(placeholder: Token(0)) { token in
            // Moved, not copied: what was handed out before is referenced from `kept`
            // alone, while the array is still being emptied.
            for index in kept.indices where !isKnownUniquelyReferenced(&kept[index]) { shared += 1 }
            kept.append(token)
        }
        #expect(kept.map(\.value) == [1, 2, 3])
        #expect(shared == 0)
    }

    @Test(arguments: [0, 1, 16, 17, 100])
    func emptiesBuffersOfAnySizeKeepingTheirCapacity(count: Int) {
        var tokens = (0..<count).map(Token.init)
        tokens.reserveCapacity(128)
        let capacity = tokens.capacity
        var seen: [Int] = []
        tokens.moveOutEach(placeholder: Token(-1)) { seen.append($0.value) }
        #expect(seen == Array(0..<count))
        #expect(tokens.isEmpty)
        #expect(tokens.capacity == capacity)
    }

    /// Every place is emptied through `drop`, which sees only placeholders.
    @Test(arguments: [0, 1, 5, 40])
    func dropsOnePlaceholderPerElement(count: Int) {
        var tokens = (0..<count).map(Token.init)
        var dropped: [Int] = []
        tokens.moveOutEach(placeholder: Token(-1), dropping: { dropped.append($0.value) }, { _ in })
        #expect(dropped == Array(repeating: -1, count: count))
        #expect(tokens.isEmpty)
    }

    @Test func movesEachElementOutLeavingThePlaceholder() {
        var strings = ["a long string that lives on the heap: one", "two", "three"]
        var seen: [String] = []
        for index in strings.indices { seen.append(strings.moveOut(at: index, leaving: "")) }
        #expect(seen == ["a long string that lives on the heap: one", "two", "three"])
        #expect(strings == ["", "", ""])
    }

    @Test func keepsNoReferenceToWhatItMovedOut() {
        var tokens = [Token(1), Token(2), Token(3)]
        let placeholder = Token(0)
        var kept: [Token] = []
        var shared = 0
        for index in tokens.indices {
            // Moved, not copied: what was moved out before is referenced from `kept`
            // alone, while the array still holds the rest.
            for index in kept.indices where !isKnownUniquelyReferenced(&kept[index]) { shared += 1 }
            kept.append(tokens.moveOut(at: index, leaving: placeholder))
        }
        #expect(kept.map(\.value) == [1, 2, 3])
        #expect(shared == 0)
        #expect(tokens.allSatisfy { $0 === placeholder })
    }
}
