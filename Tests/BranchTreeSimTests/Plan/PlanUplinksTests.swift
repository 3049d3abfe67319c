import Testing

@testable import BranchTreeSim

@Suite struct PlanUplinksTests {
    static func uplinks(_ text: String, bitrate: Double = 2_500_000, headroom: Double = 0.8) throws -> PlanUplinks {
        try PlanUplinks(
            try #require(ScenarioSyntax.uplinkClasses(text)), streamBitsPerSecond: bitrate, headroom: headroom)
    }

    @Test func theDefaultMix() throws {
        let uplinks = try Self.uplinks(PlanCommand.defaultUplinks)
        #expect(uplinks.capacities == [0, 1, 6])
        #expect(uplinks.uplinkBitsPerSecond == [1e6, 5e6, 20e6])
        #expect(uplinks.relayingShare == 0.75)
        #expect(uplinks.maxCapacity == 6)
        #expect(abs(uplinks.classes.meanCapacity(fanout: 4) - 1.65) < 1e-12)
        #expect(uplinks.classes.classes[0].relayable == false)
    }

    @Test func headroomAndBitrateSetTheCapacity() throws {
        // 10 Mbit/s: 4 streams of 2.5 at full use, 3 with 80 %, 2 with 50 %.
        #expect(try Self.uplinks("a:1:10Mbps", headroom: 1).capacities == [4])
        #expect(try Self.uplinks("a:1:10Mbps").capacities == [3])
        #expect(try Self.uplinks("a:1:10Mbps", headroom: 0.5).capacities == [2])
        #expect(try Self.uplinks("a:1:10Mbps", bitrate: 1_000_000, headroom: 1).capacities == [10])
        // Far above any fan-out: capped at the largest.
        #expect(try Self.uplinks("a:1:10Gbps").capacities == [64])
    }

    @Test func childrenAndFullFanoutClasses() throws {
        let uplinks = try Self.uplinks("full:0.5,two:0.3:2,none:0.2:0")
        #expect(uplinks.capacities == [64, 2, 0])
        #expect(uplinks.uplinkBitsPerSecond == [nil, nil, nil])
        #expect(uplinks.relayingShare == 0.8)
        #expect(uplinks.maxCapacity == 64)
        #expect(abs(uplinks.classes.meanCapacity(fanout: 3) - 2.1) < 1e-12)
    }

    @Test func aClassWithoutShareDoesNotSetTheMaximum() throws {
        #expect(try Self.uplinks("a:1:5Mbps,b:0:100Mbps").maxCapacity == 1)
    }

    @Test func canCarryNeedsAboutOneSlotPerViewer() throws {
        let uplinks = try Self.uplinks("relay:0.5:2,leaf:0.5:0")  // 1 slot per viewer at fan-out ≥ 2
        #expect(uplinks.canCarry(audience: 1_000, fanout: 2, broadcasterFanout: 1))
        #expect(!uplinks.canCarry(audience: 1_000, fanout: 1, broadcasterFanout: 1))  // 0.5 per viewer
        // Two viewers: one from the broadcaster, one in the other's slot.
        #expect(uplinks.canCarry(audience: 2, fanout: 1, broadcasterFanout: 1))
        #expect(!uplinks.canCarry(audience: 3, fanout: 1, broadcasterFanout: 1))
        #expect(uplinks.canCarry(audience: 3, fanout: 1, broadcasterFanout: 2))
        #expect(uplinks.canCarry(audience: 0, fanout: 1, broadcasterFanout: 1))
    }

    @Test func badMixesAreRefused() throws {
        #expect(throws: WorkloadError.self) { try Self.uplinks("a:0.5:5Mbps,b:0.2:1Mbps") }
        #expect(throws: WorkloadError.self) { try Self.uplinks("a:0.5:5Mbps,a:0.5:1Mbps") }
    }
}
