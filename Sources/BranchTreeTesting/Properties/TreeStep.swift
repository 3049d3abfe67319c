import BranchTree

/// One operation applied to a tree, as a property of
/// ``PropertyCheck/firstFailure(of:configuration:property:)`` sees it: the tree before
/// and after, and what the operation returned.
public struct TreeStep: Sendable {
    /// The operation's position in its sequence.
    public let index: Int
    /// The operation.
    public let operation: TreeOperation
    /// The tree before the operation (a value copy).
    public let before: BranchTree
    /// The tree after it (the same as ``before`` when it failed).
    public let after: BranchTree
    /// The change, or why the tree refused the operation.
    public let result: Result<TreeChange, BranchTreeError>
}

extension PropertyCheck {
    /// Replays `operations` on an empty tree of `configuration`, running
    /// `BranchTree.validate()` and then `property` after every step.
    ///
    ///     let failure = PropertyCheck.firstFailure(of: operations, configuration: configuration) { step in
    ///         step.after.height <= 12 ? nil : "too deep"
    ///     }
    ///
    /// - Returns: The first failure, naming the step and its operation, or nil.
    /// - Complexity: O(m · (n + p)) for m operations on at most n viewers, p the cost of
    ///   `property`.
    public static func firstFailure(
        of operations: [TreeOperation], configuration: BranchTree.Configuration,
        property: (TreeStep) -> String?
    ) -> String? {
        var tree = BranchTree.emptyTree(configuration)
        for (index, operation) in operations.enumerated() {
            let before = tree
            let result: Result<TreeChange, BranchTreeError>
            do {
                result = .success(try tree.apply(operation))
            } catch {
                result = .failure(error)
            }
            let step = TreeStep(index: index, operation: operation, before: before, after: tree, result: result)
            do {
                try tree.validate()
            } catch {
                return "step \(index) \(operation): \(error)"
            }
            if let failure = property(step) {
                return "step \(index) \(operation): \(failure)"
            }
        }
        return nil
    }
}
