import Testing

@testable import BranchTree

/// Huge-page advice is a hint to the kernel: whether it is taken depends on the machine,
/// so these tests check only that advising never changes what a buffer holds.
@Suite struct HugePageAdviceTests {
    @Test(arguments: [0, 10, 1 << 20, 3 << 20])
    func reservingWithAdviceKeepsTheElements(count: Int) {
        var values = Array(0..<count)
        values.reserveCapacityAdvisingHugePages(count * 2 + 1)
        #expect(values.capacity >= count * 2 + 1)
        #expect(values == Array(0..<count))
        values.append(contentsOf: count..<(count * 2))
        #expect(values == Array(0..<(count * 2)))
    }

    @Test func advisingASharedArrayLeavesTheOtherCopyAlone() {
        let original = Array(repeating: 7, count: 2 << 20)
        var copy = original
        copy.reserveCapacityAdvisingHugePages(4 << 20)
        copy[0] = 8
        #expect(original[0] == 7)
        #expect(copy.count == original.count)
    }

    @Test("Appending with advice keeps every element, across growth into advised storage")
    func appendingWithAdviceKeepsTheElements() {
        // Int64s: the storage's double passes the advice threshold at 2¹⁹ elements.
        let count = 3 << 19
        var values: [Int64] = []
        var grewLarge = false
        for value in 0..<Int64(count) {
            let capacity = values.capacity
            values.appendAdvisingHugePages(value)
            if values.capacity != capacity, capacity * 2 * 8 >= HugePageAdvice.minimumByteCount {
                grewLarge = true
                #expect(values.capacity >= capacity * 2)
            }
        }
        #expect(grewLarge)
        #expect(values.count == count)
        #expect(values.elementsEqual(0..<Int64(count)))
    }

    @Test func appendingWithAdviceLeavesASharedCopyAlone() {
        var values = [Int64](repeating: 7, count: 1 << 20)
        values.reserveCapacity(1 << 20)
        let original = values
        while values.count < values.capacity { values.append(7) }
        let copy = values
        values.appendAdvisingHugePages(8)
        #expect(copy.count == values.count - 1 && copy.last == 7 && values.last == 8)
        #expect(original.count == 1 << 20)
    }

    @Test func bufferTooSmallOrUnalignedIsLeftAlone() {
        // Smaller than a huge page after alignment: no call, no effect.
        var bytes = [UInt8](repeating: 1, count: HugePageAdvice.minimumByteCount)
        bytes.withUnsafeMutableBytes { buffer in
            HugePageAdvice.advise(buffer.baseAddress! + 1, byteCount: HugePageAdvice.pageSize - 2)
            HugePageAdvice.advise(buffer.baseAddress!, byteCount: buffer.count)
        }
        #expect(bytes.allSatisfy { $0 == 1 })
    }
}
