import Foundation
import Testing

@testable import BranchTree

@Suite("Configuration")
struct ConfigurationTests {
    @Test("Fan-outs 1 through 64 are accepted, for viewers and the broadcaster", arguments: [1, 2, 8, 64])
    func validFanouts(fanout: Int) throws {
        let configuration = try BranchTree.Configuration(fanout: fanout, broadcasterFanout: fanout, policy: .rejoin)
        #expect(configuration.fanout == fanout)
        #expect(configuration.broadcasterFanout == fanout)
        #expect(configuration.policy == .rejoin)
        #expect(BranchTree.Configuration.fanoutRange == 1...64)
    }

    @Test("A fan-out outside 1…64 throws invalidFanout", arguments: [-1, 0, 65, 1000])
    func invalidFanout(fanout: Int) {
        #expect(throws: BranchTreeError.invalidFanout(fanout)) { try BranchTree.Configuration(fanout: fanout) }
    }

    @Test("A broadcaster fan-out outside 1…64 throws invalidBroadcasterFanout", arguments: [0, 65])
    func invalidBroadcasterFanout(fanout: Int) {
        #expect(throws: BranchTreeError.invalidBroadcasterFanout(fanout)) {
            try BranchTree.Configuration(fanout: 3, broadcasterFanout: fanout)
        }
    }

    @Test("A viewer's capacity: the fan-out, 0 when not relayable, or a valid override")
    func capacity() throws {
        let configuration = try BranchTree.Configuration(fanout: 4)
        #expect(try configuration.capacity(relayable: true, override: nil) == 4)
        #expect(try configuration.capacity(relayable: false, override: nil) == 0)
        #expect(try configuration.capacity(relayable: true, override: 2) == 2)
        #expect(try configuration.capacity(relayable: false, override: 0) == 0)
        #expect(throws: BranchTreeError.invalidCapacity(5, fanout: 4)) {
            try configuration.capacity(relayable: true, override: 5)
        }
    }

    @Test("JSON round trip; missing broadcaster fan-out and policy take the seed's defaults")
    func codable() throws {
        let configuration = try BranchTree.Configuration(fanout: 5, broadcasterFanout: 2, policy: .rejoin)
        let data = try JSONEncoder().encode(configuration)
        #expect(try JSONDecoder().decode(BranchTree.Configuration.self, from: data) == configuration)
        let minimal = try JSONDecoder().decode(BranchTree.Configuration.self, from: Data(#"{"fanout":3}"#.utf8))
        #expect(minimal == (try BranchTree.Configuration(fanout: 3, broadcasterFanout: 1, policy: .skyway)))
    }

    @Test("Decoding an invalid fan-out fails", arguments: [#"{"fanout":0}"#, #"{"fanout":3,"broadcasterFanout":99}"#])
    func decodingInvalid(json: String) {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(BranchTree.Configuration.self, from: Data(json.utf8))
        }
    }
}
