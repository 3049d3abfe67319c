import Testing
@testable import BranchTree

@Test func smoke() throws {
    var t = try BranchTree(fanout: 2)
    for c in "ABCDEFGH" { try t.join(ViewerID(String(c))) }
    print(t.levels)
    let ch = try t.leave("C")
    print(t.levels, ch)
    try t.join("I"); try t.leave("G"); print(t.levels)
    try t.leave("A"); print(t.levels, try t.children(of: "D"))
    try t.join("J"); try t.leave("E"); print(t.levels, t.viewers)
}
