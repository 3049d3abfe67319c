import BranchTree
import BranchTreeTesting
import Testing

@Suite("PropertyCheck")
struct PropertyCheckTests {
    @Test("The shrinker keeps only the elements a failure needs")
    func shrinksToTheMinimalSequence() throws {
        // Fails whenever a 3 comes somewhere before a 7.
        let input = [5, 3, 9, 9, 1, 2, 7, 7, 4, 3, 8]
        let fails = { (candidate: [Int]) -> String? in
            guard let three = candidate.firstIndex(of: 3), candidate[three...].contains(7) else { return nil }
            return "3 before 7"
        }
        let result = try #require(PropertyCheck.shrink(input, failure: fails))
        #expect(result.minimal == [3, 7])
        #expect(result.failure == "3 before 7")
    }

    @Test("The shrinker returns nil for an input that does not fail")
    func doesNotShrinkAPassingInput() {
        #expect(PropertyCheck.shrink([1, 2, 3], failure: { _ in nil }) == nil)
    }

    @Test("A deliberately failing tree property shrinks to the few operations that trigger it")
    func shrinksATreeFailure() throws {
        // "Nobody may sit at depth 2": at fan-out 1 exactly three joins break it, and the
        // leaves of viewers that never matter must all be dropped.
        let profile = try OperationProfile(fanout: 1, length: 40...40, maxAudience: 10)
        let counterexample = try #require(
            PropertyCheck.counterexample(seeds: 0..<100, generate: profile.operations(seed:)) { operations in
                PropertyCheck.firstFailure(of: operations, configuration: profile.configuration) { step in
                    step.after.height > 2 ? "a viewer sits at depth 2" : nil
                }
            })
        #expect(counterexample.originalCount == 40)
        #expect(counterexample.operations.count == 3)
        #expect(counterexample.operations.allSatisfy { if case .join = $0 { true } else { false } })
        #expect(counterexample.failure.hasPrefix("step 2 "))
        #expect(profile.operations(seed: counterexample.seed).count == 40)
    }

    @Test("A planted network bug is found and shrunk to the three operations that trigger it")
    func shrinksANetworkFailure() throws {
        var profile = try RelayNetworkProfile(fanout: 2)
        profile.viewers = 6...10
        profile.churn = .seconds(40)
        // The planted bug: a property that fails once a viewer vanished while another
        // was still there (the real protocol handles it; the "bug" is in the property).
        let failure = { (operations: [RelayNetwork.Operation]) -> String? in
            var network = RelayNetwork(seed: 0, profile: profile)
            _ = network.run(operations)
            return network.statistics.abruptDepartures > 0 && network.viewerCount >= 2 ? "planted" : nil
        }
        let counterexample = try #require(
            PropertyCheck.counterexample(seeds: 0..<20, generate: profile.operations(seed:), failure: failure))
        #expect(counterexample.originalCount > 10)
        #expect(counterexample.operations.count == 3, "\(counterexample)")
        #expect(counterexample.operations.filter { if case .addViewer = $0 { true } else { false } }.count == 2)
        #expect(counterexample.operations.contains { if case .depart(_, abrupt: true) = $0 { true } else { false } })
    }

    @Test("check throws the counterexample of the first failing seed and passes when none fails")
    func checkThrowsTheCounterexample() throws {
        let generate = { (seed: UInt64) in Array(0..<Int(seed % 7 + 3)) }
        let error = #expect(throws: Counterexample<Int>.self) {
            try PropertyCheck.check(seeds: 0..<10, generate: generate) { $0.contains(5) ? "has 5" : nil }
        }
        #expect(error?.seed == 3)
        #expect(error?.operations == [5])
        #expect(throws: Never.self) {
            try PropertyCheck.check(seeds: 0..<10, generate: generate) { _ in nil }
        }
    }

    @Test("A counterexample's report names the seed and lists the minimal sequence")
    func reportNamesTheSeed() {
        let report = Counterexample<TreeOperation>(
            seed: 1234, originalCount: 50, operations: [.join("a"), .join("b", capacity: 0), .leave("a")],
            failure: "boom"
        ).description
        #expect(report.contains("seed 1234"))
        #expect(report.contains("from 50 to 3 operations"))
        #expect(report.contains(#"join("b", capacity: 0)"#))
        #expect(report.contains("boom"))
    }
}
