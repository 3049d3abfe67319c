import BranchTree

extension BranchTree {
    /// An empty tree under the broadcaster `root`: that id is valid, so this never throws.
    static func emptyTree(_ configuration: Configuration) -> BranchTree {
        try! BranchTree(broadcaster: "root", configuration: configuration)
    }
}
