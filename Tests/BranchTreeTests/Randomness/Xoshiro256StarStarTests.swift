import BranchTree
import Testing

@Suite("xoshiro256**")
struct Xoshiro256StarStarTests {
    // Expected values come from an independent Python transliteration of the published
    // algorithms (SplitMix64 seeding, xoshiro256**, Lemire's bounded draw).

    @Test("Seed 0 (state from SplitMix64) gives pinned first outputs")
    func pinnedOutputs() {
        var random = Xoshiro256StarStar(seed: 0)
        #expect(
            (0..<4).map { _ in random.next() } == [
                0x99ec_5f36_cb75_f2b4, 0xbf6e_1f78_4956_452a, 0x1a5f_849d_4933_e6e0, 0x6aa5_94f1_262d_2d2c,
            ])
    }

    @Test("Bounded draws are pinned too: Lemire's method, not the standard library's")
    func pinnedBoundedDraws() {
        var dice = Xoshiro256StarStar(seed: 42)
        #expect((0..<12).map { _ in dice.next(below: 6) } == [0, 2, 4, 5, 5, 4, 4, 5, 4, 3, 4, 1])
        var thousands = Xoshiro256StarStar(seed: 7)
        #expect((0..<8).map { _ in thousands.next(below: UInt64(1000)) } == [700, 278, 839, 981, 990, 872, 60, 104])
    }

    @Test("Equal seeds give equal sequences; copies continue independently")
    func determinism() {
        var a = Xoshiro256StarStar(seed: 2024)
        var b = Xoshiro256StarStar(seed: 2024)
        #expect((0..<32).map { _ in a.next() } == (0..<32).map { _ in b.next() })
        var copy = a
        let fromCopy = copy.next()
        #expect(a.next() == fromCopy)
        var other = Xoshiro256StarStar(seed: 2025)
        #expect(b.next() != other.next())
    }

    static let bounds: [UInt64] = [1, 2, 3, 7, 10, 1000, (1 << 32) + 1, (1 << 63) + 1, .max]

    @Test("next(below:) stays in range", arguments: bounds)
    func boundedDrawsStayInRange(bound: UInt64) {
        var random = Xoshiro256StarStar(seed: bound)
        for _ in 0..<2000 {
            let value = random.next(below: bound)
            #expect(value < bound)
            if value >= bound { return }
        }
    }

    @Test("The Int overload stays in range too")
    func intDrawsStayInRange() {
        var random = Xoshiro256StarStar(seed: 3)
        #expect((0..<1000).allSatisfy { _ in (0..<5).contains(random.next(below: 5)) })
        #expect((0..<100).allSatisfy { _ in random.next(below: 1) == 0 })
    }

    @Test("next(below:) is roughly uniform", arguments: [2, 6, 10, 37])
    func roughlyUniform(bound: Int) {
        var random = Xoshiro256StarStar(seed: UInt64(bound) &* 7919)
        let draws = 20_000 * bound / 6
        var counts = [Int](repeating: 0, count: bound)
        for _ in 0..<draws { counts[random.next(below: bound)] += 1 }
        let expected = Double(draws) / Double(bound)
        // Chi-square well below the 0.1 % critical value for these degrees of freedom.
        let chiSquare = counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        #expect(chiSquare < Double(bound - 1) * 3 + 20)
        #expect(counts.allSatisfy { abs(Double($0) - expected) < expected * 0.1 })
    }

    @Test("Unit doubles lie in [0, 1); Bernoulli draws honour their extremes")
    func unitDoubles() {
        var random = Xoshiro256StarStar(seed: 11)
        var sum = 0.0
        for _ in 0..<10_000 {
            let value = random.nextUnitDouble()
            #expect(value >= 0 && value < 1)
            sum += value
        }
        #expect(abs(sum / 10_000 - 0.5) < 0.02)
        #expect((0..<100).allSatisfy { _ in !random.nextBool(probability: 0) })
        #expect((0..<100).allSatisfy { _ in random.nextBool(probability: 1) })
    }
}
