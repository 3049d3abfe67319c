/// The simulated network's up links as a forest over viewer slots: which viewer receives
/// from which node, with each node's children threaded through the children themselves
/// (first child, next and previous sibling), 16 bytes a slot.
///
///     var links = LinkGraph()
///     links.link(4, from: .broadcaster)
///     links.link(9, from: .viewer(slot: 4, generation: 0))
///     var below: [Int32] = []
///     links.appendChildren(ofSlot: 4, to: &below)   // [9]
///
/// The subtree walks read it instead of the viewers' protocol machines: a machine is a
/// few hundred bytes with its children behind ids to parse, and a walk over a large
/// subtree read one per viewer. The graph knows slots, not generations: the simulation
/// unlinks a viewer whose session ends, and its children, before the slot is reused.
/// Children come in no particular order (the latest linked first).
struct LinkGraph: Sendable {
    /// A node's place in the forest, as indices (`none` for no node).
    private struct Node: Sendable {
        var parent = LinkGraph.none
        var firstChild = LinkGraph.none
        var nextSibling = LinkGraph.none
        var previousSibling = LinkGraph.none
    }

    private static let none: Int32 = -1

    /// Index 0 is the broadcaster, index `slot + 1` the viewer in `slot`.
    private var nodes: [Node] = [Node()]

    private static func index(of node: SimulatedNode) -> Int {
        switch node {
        case .broadcaster: 0
        case .viewer(let slot, _): Int(slot) + 1
        }
    }

    /// Makes room for slots below `count`, advised for huge pages.
    ///
    /// - Complexity: O(`count`)
    mutating func reserveCapacity(slots count: Int) {
        nodes.reserveCapacityAdvisingHugePages(count + 1)
    }

    /// The node a viewer has an up link from, by slot (the graph keeps no generations).
    enum Parent: Sendable, Equatable {
        case broadcaster
        case viewer(slot: Int32)
    }

    /// The node the viewer in `slot` has an up link from, if any.
    ///
    /// - Complexity: O(1)
    func parent(ofSlot slot: Int32) -> Parent? {
        let index = Int(slot) + 1
        guard index < nodes.count else { return nil }
        let parent = nodes[index].parent
        if parent == Self.none { return nil }
        return parent == 0 ? .broadcaster : .viewer(slot: parent - 1)
    }

    /// Records that the viewer in `slot`, linked to nothing, has an up link from `parent`.
    ///
    /// - Complexity: amortised O(1)
    mutating func link(_ slot: Int32, from parent: SimulatedNode) {
        let index = Int(slot) + 1
        if index >= nodes.count { nodes.append(contentsOf: repeatElement(Node(), count: index + 1 - nodes.count)) }
        precondition(nodes[index].parent == Self.none, "slot \(slot) is linked already")
        let parentIndex = Self.index(of: parent)
        if parentIndex >= nodes.count {
            nodes.append(contentsOf: repeatElement(Node(), count: parentIndex + 1 - nodes.count))
        }
        let head = nodes[parentIndex].firstChild
        nodes[index].parent = Int32(parentIndex)
        nodes[index].nextSibling = head
        nodes[index].previousSibling = Self.none
        if head != Self.none { nodes[Int(head)].previousSibling = Int32(index) }
        nodes[parentIndex].firstChild = Int32(index)
    }

    /// Removes the up link of the viewer in `slot`, if it has one; its own children stay
    /// linked to it.
    ///
    /// - Complexity: O(1)
    mutating func unlink(_ slot: Int32) {
        let index = Int(slot) + 1
        guard index < nodes.count else { return }
        let node = nodes[index]
        guard node.parent != Self.none else { return }
        if node.previousSibling != Self.none {
            nodes[Int(node.previousSibling)].nextSibling = node.nextSibling
        } else {
            nodes[Int(node.parent)].firstChild = node.nextSibling
        }
        if node.nextSibling != Self.none { nodes[Int(node.nextSibling)].previousSibling = node.previousSibling }
        nodes[index].parent = Self.none
        nodes[index].nextSibling = Self.none
        nodes[index].previousSibling = Self.none
    }

    /// Appends the slots of the viewers with an up link from the viewer in `slot`.
    ///
    /// - Complexity: O(children)
    @inline(__always)
    func appendChildren(ofSlot slot: Int32, to result: inout [Int32]) {
        appendChildren(ofIndex: Int(slot) + 1, to: &result)
    }

    /// The slots of the viewers with an up link from `node`.
    ///
    /// - Complexity: O(children)
    func children(of node: SimulatedNode) -> [Int32] {
        var result: [Int32] = []
        appendChildren(ofIndex: Self.index(of: node), to: &result)
        return result
    }

    @inline(__always)
    private func appendChildren(ofIndex index: Int, to result: inout [Int32]) {
        guard index < nodes.count else { return }
        var child = nodes[index].firstChild
        while child != Self.none {
            result.append(child - 1)
            child = nodes[Int(child)].nextSibling
        }
    }
}
