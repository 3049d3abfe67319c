import BranchTree
import Testing

@Suite("SplitMix64")
struct SplitMix64Tests {
    @Test("Seed 0 gives the published first outputs")
    func pinnedOutputs() {
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xe220_a839_7b1d_cdaf)
        #expect(generator.next() == 0x6e78_9e6a_a1b9_65f4)
        #expect(generator.next() == 0x06c4_5d18_8009_454f)
    }

    @Test("The state advances by the golden-ratio increment")
    func stateAdvances() {
        var generator = SplitMix64(seed: 5)
        _ = generator.next()
        _ = generator.next()
        #expect(generator.state == 5 &+ 2 &* 0x9E37_79B9_7F4A_7C15)
    }

    @Test("Equal seeds give equal sequences; different seeds do not")
    func determinism() {
        var a = SplitMix64(seed: 123)
        var b = SplitMix64(seed: 123)
        var c = SplitMix64(seed: 124)
        let first = (0..<16).map { _ in a.next() }
        #expect(first == (0..<16).map { _ in b.next() })
        #expect(first != (0..<16).map { _ in c.next() })
    }
}
