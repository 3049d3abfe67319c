import BranchTree
import Foundation
import Testing

@testable import BranchTreeSim

/// The variates of `Xoshiro256StarStar+Variates.swift`.
@Suite struct WorkloadVariatesTests {
    static let count = 100_000

    @Test func standardNormalMoments() {
        var random = Xoshiro256StarStar(seed: 21)
        let samples = (0..<Self.count).map { _ in random.nextStandardNormal() }
        let mean = samples.reduce(0, +) / Double(Self.count)
        let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(Self.count - 1)
        #expect(abs(mean) < 0.015)  // standard error 0.0032
        #expect(abs(variance - 1) < 0.02)  // standard error 0.0045
        #expect(abs(Double(samples.count { $0 < 1 }) / Double(Self.count) - 0.841_345) < 0.005)
        #expect(abs(Double(samples.count { $0 < -2 }) / Double(Self.count) - 0.022_750) < 0.002)
    }

    @Test func standardExponentialAndUnitInterval() {
        var random = Xoshiro256StarStar(seed: 22)
        var sum = 0.0
        for _ in 0..<Self.count {
            let x = random.nextStandardExponential()
            #expect(x >= 0 && x.isFinite)
            sum += x
        }
        #expect(abs(sum / Double(Self.count) - 1) < 0.015)
        for _ in 0..<1_000 {
            let u = random.nextOpenUnitDouble()
            #expect(u > 0 && u <= 1)
        }
    }

    @Test func paretoTail() {
        var random = Xoshiro256StarStar(seed: 23)
        let samples = (0..<Self.count).map { _ in random.nextPareto(shape: 3, scale: 2) }
        #expect(samples.allSatisfy { $0 >= 2 })
        // P(X > 4) = (2/4)³ = 0.125
        #expect(abs(Double(samples.count { $0 > 4 }) / Double(Self.count) - 0.125) < 0.004)
    }
}
