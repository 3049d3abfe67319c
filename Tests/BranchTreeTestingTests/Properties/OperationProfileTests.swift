import BranchTree
import BranchTreeTesting
import Testing

@Suite("OperationProfile")
struct OperationProfileTests {
    @Test("The same seed generates the same operations; another seed does not")
    func generationIsDeterministic() throws {
        let profile = try OperationProfile.mixed(fanout: 3, policy: .skyway)
        let first = profile.operations(seed: 99)
        #expect(first == profile.operations(seed: 99))
        #expect(first != profile.operations(seed: 100))
    }

    @Test("Mixed generation produces every kind of operation the properties need", arguments: Policy.allCases)
    func mixedGenerationCoversEveryKind(policy: Policy) throws {
        let profile = try OperationProfile.mixed(fanout: 4, policy: policy)
        let operations = (0..<20 as Range<UInt64>).flatMap { profile.operations(seed: $0) }
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

    @Test("An invalid fan-out is a typed error")
    func invalidFanout() {
        #expect(throws: BranchTreeError.self) { try OperationProfile(fanout: 0) }
        #expect(throws: BranchTreeError.self) { try RelayNetworkProfile(fanout: 65) }
    }
}
