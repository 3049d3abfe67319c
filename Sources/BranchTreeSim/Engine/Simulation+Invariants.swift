import BranchTree

extension Simulation {
    /// Stops the run if the physical network is inconsistent (see ``networkViolation()``);
    /// compiled to nothing without the `InternalChecks` trait.
    ///
    /// The check reads every slot, so it runs after every event only while there are a
    /// few slots, and otherwise once per as many events as there are slots (O(fan-out)
    /// per event, amortised), and whenever `force` says (the end of a run).
    mutating func _checkInvariants(force: Bool = false) {
        #if BRANCHTREE_INTERNAL_CHECKS
        guard force || viewers.count <= 64 || eventCount % viewers.count == 0 else { return }
        if let violation = networkViolation() { preconditionFailure("Simulation: \(violation)") }
        #endif
    }

    /// The first inconsistency of the physical network, if any:
    /// - ``presence`` agrees with the records and the machines: one entry per slot, the
    ///   generation of the machine's id, present exactly while the session has not ended;
    /// - ``links`` holds exactly the up links the viewers' `upstream` fields name;
    /// - an up link joins two present sessions (a parent's end cuts its links);
    /// - each node's children in ``links`` are those its machine lists with an up link
    ///   (what the subtree walks followed before the graph);
    /// - a viewer receives exactly when it has an up link from a node that receives.
    ///
    /// `mutating` only to list the machines' children (see `physicalChildren(of:)`).
    ///
    /// - Complexity: O(slots × fan-out)
    mutating func networkViolation() -> String? {
        if presence.count != viewers.count || machines.count != viewers.count {
            return "\(presence.count) presence entries, \(viewers.count) records, \(machines.count) machines"
        }
        for index in viewers.indices {
            let slot = Int32(index)
            let viewer = viewers[index]
            let entry = presence[index]
            let session = SimulatedNode.node(for: machines[index].id, broadcaster: broadcasterID)
            if session != .viewer(slot: slot, generation: entry.generation) || entry.isPresent != viewer.isPresent {
                return "slot \(slot): presence \(entry) is not the session of \(machines[index].id),"
                    + " \(viewer.isPresent ? "under way" : "ended")"
            }
            let expected: LinkGraph.Parent?
            switch viewer.upstream {
            case .up(from: .broadcaster): expected = .broadcaster
            case .up(from: .viewer(let parent, let generation)):
                guard viewer.isPresent, isCurrent(parent, generation) else {
                    return "slot \(slot) has an up link from \(parent).\(generation), which is not a present session"
                }
                expected = .viewer(slot: parent)
            case .none, .opening: expected = nil
            }
            if links.parent(ofSlot: slot) != expected {
                return "slot \(slot): the graph's parent \(String(describing: links.parent(ofSlot: slot)))"
                    + " is not its upstream \(viewer.upstream)"
            }
            let receives = viewer.isPresent && viewer.upstream.upParent.map { isReceiving($0) } == true
            if entry.receiving != receives {
                return "slot \(slot) \(entry.receiving ? "receives" : "does not receive") over \(viewer.upstream)"
            }
        }
        var nodes: [SimulatedNode] = [.broadcaster]
        for index in presence.indices where presence[index].isPresent {
            nodes.append(.viewer(slot: Int32(index), generation: presence[index].generation))
        }
        for node in nodes {
            let listed = physicalChildren(of: node).sorted()
            let linked = links.children(of: node).sorted()
            if listed != linked { return "\(node): the machine's linked children \(listed), the graph's \(linked)" }
        }
        return nil
    }
}

extension SimulatedViewer.Upstream {
    /// The node the link is from, if it is up.
    var upParent: SimulatedNode? {
        if case .up(let parent) = self { parent } else { nil }
    }
}
