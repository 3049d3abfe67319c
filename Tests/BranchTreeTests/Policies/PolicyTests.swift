import BranchTree
import Foundation
import Testing

@Suite("Policy")
struct PolicyTests {
    @Test("Three policies, named as in JSON")
    func names() throws {
        #expect(Policy.allCases == [.skyway, .rejoin, .stable])
        #expect(Policy(rawValue: "stable") == .stable)
        #expect(Policy.skyway.description == "skyway")
        #expect(Policy(rawValue: "rejoin") == .rejoin)
        #expect(String(decoding: try JSONEncoder().encode([Policy.rejoin]), as: UTF8.self) == #"["rejoin"]"#)
    }

    @Test("The policies place joiners alike and repair departures differently")
    func sameJoinsDifferentRepairs() throws {
        var skyway = try BranchTree.joining("ABCDEFGH", fanout: 2, policy: .skyway)
        var rejoin = try BranchTree.joining("ABCDEFGH", fanout: 2, policy: .rejoin)
        #expect(skyway.picture == rejoin.picture)
        try skyway.leave("B")
        try rejoin.leave("B")
        #expect(skyway.picture == "root(A(C(F G) H(D E)))")
        #expect(rejoin.picture == "root(A(C(F G) D(H E)))")
    }
}
