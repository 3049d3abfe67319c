import BranchTree
import Foundation
import Testing

@testable import BranchTreeSim

@Suite struct UplinkClassesTests {
    static let mixed = try! UplinkClasses([
        UplinkClass(name: "fibre", share: 0.5),
        UplinkClass(name: "dsl", share: 0.3, capacity: 1),
        UplinkClass(name: "mobile", share: 0.2, relayable: false),
    ])

    @Test func defaultEveryoneRelaysAtTheFanout() {
        let uplinks = UplinkClasses.default
        #expect(uplinks.classes == [UplinkClass(name: "relay", share: 1)])
        var random = Xoshiro256StarStar(seed: 1)
        let joiner = uplinks.sample(using: &random)
        #expect(joiner.joinArguments(fanout: 4) == (true, nil))
        #expect(uplinks.meanCapacity(fanout: 3) == 3)
    }

    @Test func sampleFrequenciesFollowTheShares() {
        var random = Xoshiro256StarStar(seed: 2)
        var counts = [0, 0, 0]
        let draws = 200_000
        for _ in 0..<draws { counts[Self.mixed.sampleIndex(using: &random)] += 1 }
        for (count, share) in zip(counts, [0.5, 0.3, 0.2]) {
            #expect(abs(Double(count) / Double(draws) - share) < 0.005)  // standard error ≤ 0.0012
        }
    }

    @Test func sameSeedSameClassesOneDrawEach() {
        var first = Xoshiro256StarStar(seed: 3)
        var second = Xoshiro256StarStar(seed: 3)
        let a = (0..<200).map { _ in Self.mixed.sample(using: &first).name }
        #expect(a == (0..<200).map { _ in Self.mixed.sample(using: &second).name })
        var reference = Xoshiro256StarStar(seed: 3)
        for _ in 0..<200 { _ = reference.next() }
        #expect(first == reference)
    }

    @Test func zeroShareClassesAreNeverDrawn() throws {
        for classes in [
            [UplinkClass(name: "none", share: 0), UplinkClass(name: "all", share: 1)],
            [UplinkClass(name: "all", share: 1), UplinkClass(name: "none", share: 0, relayable: false)],
            [
                UplinkClass(name: "a", share: 0.7), UplinkClass(name: "b", share: 0.3 - 1e-7),
                UplinkClass(name: "none", share: 0),
            ],
        ] {
            let uplinks = try UplinkClasses(classes)
            var random = Xoshiro256StarStar(seed: 5)
            for _ in 0..<2_000 { #expect(uplinks.sample(using: &random).name != "none") }
        }
    }

    @Test func joinArgumentsAndMeanCapacity() {
        let (fibre, dsl, mobile) = (Self.mixed.classes[0], Self.mixed.classes[1], Self.mixed.classes[2])
        #expect(fibre.joinArguments(fanout: 4) == (true, nil))
        #expect(dsl.joinArguments(fanout: 4) == (true, 1))
        #expect(mobile.joinArguments(fanout: 4) == (false, nil))
        #expect(UplinkClass(name: "big", share: 1, capacity: 10).joinArguments(fanout: 3) == (true, 3))
        #expect(abs(Self.mixed.meanCapacity(fanout: 4) - (0.5 * 4 + 0.3 * 1)) < 1e-12)
    }

    @Test func joinArgumentsAreAcceptedByTheTree() throws {
        var tree = try BranchTree(broadcaster: "root", configuration: .init(fanout: 3))
        var random = Xoshiro256StarStar(seed: 4)
        for index in 0..<300 {
            let (relayable, capacity) = Self.mixed.sample(using: &random).joinArguments(fanout: 3)
            do {
                _ = try tree.join(ViewerID("v\(index)"), relayable: relayable, capacity: capacity)
            } catch BranchTreeError.noRelaySlot {
                // A non-relayable joiner when every slot is taken: allowed.
                #expect(!relayable)
            }
        }
        try tree.validate()
    }

    @Test(
        arguments: [
            (10e6, 2.5e6, 3, 3), (10e6, 2.5e6, 8, 4), (0.3, 0.1, 8, 3), (2.4e6, 2.5e6, 4, 0),
            (0, 1, 4, 0), (1e300, 1, 64, 64), (7.5e6, 2.5e6, 64, 3),
        ] as [(Double, Double, Int, Int)])
    func relayCapacityFromBandwidth(uplink: Double, bitrate: Double, fanout: Int, expected: Int) throws {
        #expect(
            try UplinkClasses.relayCapacity(uplinkBitsPerSecond: uplink, streamBitsPerSecond: bitrate, fanout: fanout)
                == expected)
    }

    @Test func relayCapacityRejectsBadInput() {
        #expect(throws: WorkloadError(parameter: "stream bitrate", problem: "must be positive and finite, got 0.0")) {
            try UplinkClasses.relayCapacity(uplinkBitsPerSecond: 1e6, streamBitsPerSecond: 0, fanout: 3)
        }
        #expect(throws: WorkloadError(parameter: "uplink", problem: "must be zero or positive and finite, got -1.0")) {
            try UplinkClasses.relayCapacity(uplinkBitsPerSecond: -1, streamBitsPerSecond: 1, fanout: 3)
        }
        #expect(throws: WorkloadError(parameter: "fan-out", problem: "must be in 1...64, got 0")) {
            try UplinkClasses.relayCapacity(uplinkBitsPerSecond: 1, streamBitsPerSecond: 1, fanout: 0)
        }
        #expect(throws: WorkloadError.self) {
            try UplinkClasses.relayCapacity(uplinkBitsPerSecond: .nan, streamBitsPerSecond: 1, fanout: 3)
        }
    }

    @Test func validationNamesTheProblem() {
        #expect(throws: WorkloadError(parameter: "uplink classes", problem: "must not be empty")) {
            try UplinkClasses([])
        }
        #expect(throws: WorkloadError(parameter: "uplink class shares", problem: "must add up to 1, got 0.9")) {
            try UplinkClasses([UplinkClass(name: "a", share: 0.6), UplinkClass(name: "b", share: 0.3)])
        }
        #expect(throws: WorkloadError(parameter: "uplink class names", problem: "must be unique, \"a\" repeats")) {
            try UplinkClasses([UplinkClass(name: "a", share: 0.5), UplinkClass(name: "a", share: 0.5)])
        }
        #expect(
            throws: WorkloadError(
                parameter: "share of uplink class \"a\"", problem: "must be zero or positive and finite, got -0.5")
        ) {
            try UplinkClasses([UplinkClass(name: "a", share: -0.5), UplinkClass(name: "b", share: 1.5)])
        }
        #expect(throws: WorkloadError.self) { try UplinkClasses([UplinkClass(name: "a", share: .nan)]) }
        #expect(throws: WorkloadError(parameter: "name of uplink class 2", problem: "must not be empty")) {
            try UplinkClasses([UplinkClass(name: "a", share: 0.5), UplinkClass(name: "", share: 0.5)])
        }
        #expect(
            throws: WorkloadError(
                parameter: "capacity of uplink class \"a\"",
                problem: "must be at least 1 for a relaying class (use relayable: false for none), got 0")
        ) {
            try UplinkClasses([UplinkClass(name: "a", share: 1, capacity: 0)])
        }
        #expect(
            throws: WorkloadError(
                parameter: "capacity of uplink class \"a\"", problem: "must be 0 or absent when not relayable, got 2")
        ) {
            try UplinkClasses([UplinkClass(name: "a", share: 1, relayable: false, capacity: 2)])
        }
        #expect(throws: Never.self) {
            _ = try UplinkClasses([UplinkClass(name: "a", share: 1, relayable: false, capacity: 0)])
            _ = try UplinkClasses([
                UplinkClass(name: "a", share: 0.1), UplinkClass(name: "b", share: 0.2),
                UplinkClass(name: "c", share: 0.7),
            ])
        }
    }

    @Test func codingUsesOptionalKeysAndValidates() throws {
        let json = #"""
            [{"name":"fibre","share":0.5},{"name":"dsl","share":0.3,"capacity":1},{"name":"mobile","share":0.2,"relayable":false}]
            """#
        let decoded = try JSONDecoder().decode(UplinkClasses.self, from: Data(json.utf8))
        #expect(decoded == Self.mixed)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let encoded = String(decoding: try encoder.encode(Self.mixed), as: UTF8.self)
        #expect(
            encoded
                == #"[{"name":"fibre","share":0.5},{"capacity":1,"name":"dsl","share":0.3},{"name":"mobile","relayable":false,"share":0.2}]"#
        )
        let error = #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(UplinkClasses.self, from: Data(#"[{"name":"a","share":0.5}]"#.utf8))
        }
        guard case .dataCorrupted(let context) = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(
            context.underlyingError as? WorkloadError
                == WorkloadError(parameter: "uplink class shares", problem: "must add up to 1, got 0.5"))
    }
}
