import Testing
@testable import BranchTree

@Suite("Property-testing support")
struct PropertyTestingTests {
    @Test("The shrinker keeps only the elements a failure needs")
    func shrinksToTheMinimalSequence() throws {
        // Fails whenever a 3 comes somewhere before a 7.
        let input = [5, 3, 9, 9, 1, 2, 7, 7, 4, 3, 8]
        let fails = { (candidate: [Int]) -> String? in
            guard let three = candidate.firstIndex(of: 3), candidate[three...].contains(7) else { return nil }
            return "3 before 7"
        }
        let result = try #require(PropertyTesting.shrink(input, failure: fails))
        #expect(result.minimal == [3, 7])
        #expect(result.failure == "3 before 7")
    }

    @Test("The shrinker returns nil for an input that does not fail")
    func doesNotShrinkAPassingInput() {
        #expect(PropertyTesting.shrink([1, 2, 3], failure: { _ in nil }) == nil)
    }

    @Test("A deliberately failing tree property shrinks to the few operations that trigger it")
    func shrinksATreeFailure() throws {
        // "Nobody may sit at depth 2": at fan-out 1 exactly three joins break it, and the
        // leaves of viewers that never matter must all be dropped.
        let profile = OperationProfile(fanout: 1, length: 40...40, maxAudience: 10)
        let configuration = profile.configuration
        let property = { (step: PropertyTesting.Step) -> String? in
            step.after.height > 2 ? "a viewer sits at depth 2" : nil
        }
        let seed = try #require((0..<100 as Range<UInt64>).first { seed in
            PropertyTesting.firstFailure(
                of: PropertyTesting.operations(seed: seed, profile: profile),
                configuration: configuration, property: property) != nil
        })
        let operations = PropertyTesting.operations(seed: seed, profile: profile)
        let result = try #require(PropertyTesting.shrink(operations) {
            PropertyTesting.firstFailure(of: $0, configuration: configuration, property: property)
        })
        #expect(result.minimal.count == 3)
        #expect(result.minimal.allSatisfy { if case .join = $0 { true } else { false } })
        #expect(result.failure.hasPrefix("step 2 "))
    }

    @Test("A failure report names the seed and lists the minimal sequence")
    func reportNamesTheSeed() {
        let report = PropertyTesting.report(
            seed: 1234, profile: OperationProfile(fanout: 3), original: 50,
            minimal: [.join("a"), .join("b", capacity: 0), .leave("a")], failure: "boom")
        #expect(report.contains("seed 1234"))
        #expect(report.contains("from 50 to 3 operations"))
        #expect(report.contains(#"join("b", capacity: 0)"#))
        #expect(report.contains("boom"))
    }

    @Test("The same seed generates the same operations; another seed does not")
    func generationIsDeterministic() {
        let profile = OperationProfile.mixed(fanout: 3, policy: .skyway)
        let first = PropertyTesting.operations(seed: 99, profile: profile)
        #expect(first == PropertyTesting.operations(seed: 99, profile: profile))
        #expect(first != PropertyTesting.operations(seed: 100, profile: profile))
    }

    @Test("Mixed generation produces every kind of operation the properties need")
    func mixedGenerationCoversEveryKind() {
        let profile = OperationProfile.mixed(fanout: 4, policy: .rejoin)
        let operations = (0..<20 as Range<UInt64>).flatMap { PropertyTesting.operations(seed: $0, profile: profile) }
        var joined = Set<ViewerID>()
        var kinds = Set<String>()
        for operation in operations {
            switch operation {
            case .join(let id, _, let capacity):
                if joined.contains(id) { kinds.insert("repeated join") }
                joined.insert(id)
                switch capacity {
                case nil: kinds.insert("relayable")
                case 0?: kinds.insert("non-relayable")
                case _?: kinds.insert("low capacity")
                }
            case .leave(let id):
                kinds.insert(joined.contains(id) ? "leave" : "absent leave")
            }
        }
        #expect(kinds == ["relayable", "non-relayable", "low capacity", "repeated join", "leave", "absent leave"])
    }
}
