import Testing

@testable import BranchTreeSim

@Suite struct ParallelRunnerTests {
    @Test(arguments: [1, 2, 3, 16])
    func resultsComeBackInInputOrder(jobs: Int) {
        let inputs = Array(0..<23)
        // Uneven work, so that later inputs can finish first.
        let results = ParallelRunner.map(inputs, jobs: jobs) { input in
            var sum = 0
            for step in 0..<((23 - input) * 2_000) { sum &+= step ^ input }
            return (input, sum)
        }
        #expect(results.map(\.0) == inputs)
        let sequential = ParallelRunner.map(inputs, jobs: 1) { input in
            var sum = 0
            for step in 0..<((23 - input) * 2_000) { sum &+= step ^ input }
            return (input, sum)
        }
        #expect(results.map(\.1) == sequential.map(\.1))
    }

    @Test func aStartOrderDoesNotChangeTheResultOrder() {
        let inputs = ["a", "b", "c", "d"]
        for jobs in [1, 2] {
            let results = ParallelRunner.map(inputs, jobs: jobs, startOrder: [3, 1, 0, 2]) { $0.uppercased() }
            #expect(results == ["A", "B", "C", "D"])
        }
    }

    @Test func noInputsNoResults() {
        #expect(ParallelRunner.map([Int](), jobs: 4) { $0 }.isEmpty)
    }

    @Test func availableCoresIsPositive() {
        #expect(ParallelRunner.availableCores >= 1)
    }
}
