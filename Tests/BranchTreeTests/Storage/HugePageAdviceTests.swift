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
