import BranchTreeTesting
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Thoroughness")
struct ThoroughnessTests {
    @Test("A quick run takes a prefix of the seeds; a thorough run takes them all")
    func seeds() {
        #expect(Thoroughness.quick.seeds(0..<150, quick: 30) == 0..<30)
        #expect(Thoroughness.quick.seeds(1_000..<1_030, quick: 10) == 1_000..<1_010)
        #expect(Thoroughness.thorough.seeds(0..<150, quick: 30) == 0..<150)
        #expect(Thoroughness.quick.seeds(1...6, quick: 2) == 1..<3)
        #expect(Thoroughness.thorough.seeds(1...6, quick: 2) == 1..<7)
    }

    @Test("Asking for more quick seeds than there are, or fewer than none, stays within the range")
    func bounds() {
        #expect(Thoroughness.quick.seeds(5..<8, quick: 10) == 5..<8)
        #expect(Thoroughness.quick.seeds(5..<8, quick: -1) == 5..<5)
        #expect(Thoroughness.quick.seeds(5..<5, quick: 3) == 5..<5)
    }

    @Test("The current thoroughness follows BRANCHTREE_THOROUGH")
    func current() {
        let value = getenv(Thoroughness.environmentVariable).map { String(cString: $0) }
        #expect(Thoroughness.current == (value == "1" ? .thorough : .quick))
    }
}
