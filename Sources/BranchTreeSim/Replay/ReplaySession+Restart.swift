import BranchTree

extension ReplaySession {
    /// Restarts the broadcaster from the current tree through the protocol's real
    /// ``BroadcasterStateMachine`` and makes its settled tree the replay's.
    ///
    /// The restarted machine gets the current tree as its save. Then every viewer of the
    /// save that is not missing answers what the machine sent it, in the save's level
    /// order: a `reconnect_root` with `join` (with its own relayability and capacity),
    /// a first viewer's new record (`.restore`) with `request_stream` for the new link,
    /// which then comes up. Last the restore window's timer fires at its deadline, so
    /// the machine removes the viewers that never answered — exactly the missing ones,
    /// deepest first, with the repairs a departure gets. Under `.reconnectAll` missing
    /// viewers simply never rejoin.
    ///
    /// - Throws: A ``ReplayInputError`` naming `line` and the field `missing` when a
    ///   missing id is not a viewer in the tree; the tree and summary are then unchanged.
    /// - Complexity: O(n log n) for n viewers.
    mutating func restart(_ request: ReplayRestart, line: Int) throws(ReplayInputError) -> ReplayRestartOutcome {
        for id in request.missing where !tree.contains(id) {
            let error: BranchTreeError = id == tree.broadcaster ? .cannotRemoveBroadcaster(id) : .unknownViewer(id)
            throw ReplayInputError(line: line, message: "field \"missing\": \(error.description)")
        }
        let strategy = request.strategy ?? restartStrategy
        let saved = tree
        let missing = Set(request.missing)
        var now = clock
        var broadcaster = BroadcasterStateMachine(tree: saved)
        var restoreDeadlines: [Timestamp] = []
        func noteTimers(_ actions: [BroadcasterAction]) {
            for case .setTimer(.restoreWindow, let deadline) in actions { restoreDeadlines.append(deadline) }
        }

        let restarted = broadcaster.handle(.restarted(from: saved, strategy: strategy), at: now)
        noteTimers(restarted)
        // What each viewer was told last (a viewer acts on its latest message).
        var told: [ViewerID: RelayMessage] = [:]
        for case .send(let message, let recipient) in restarted { told[recipient] = message }

        for viewer in saved.viewers where !missing.contains(viewer.uuid) {
            let id = viewer.uuid
            switch told[id] {
            case .reconnectRoot:
                let join = RelayMessage.Join(relayable: viewer.relayable, capacity: viewer.capacity)
                noteTimers(broadcaster.handle(.received(.join(join), from: id), at: now))
            case .branchData(let record):
                let request = broadcaster.handle(
                    .received(.requestStream(.init(epoch: record.epoch)), from: id), at: now)
                noteTimers(request)
                if request.contains(.openDownstream(child: id, epoch: record.epoch)) {
                    noteTimers(broadcaster.handle(.downstreamConnected(id), at: now))
                }
            default:
                break  // told nothing: it has nothing to answer
            }
        }

        // The machine asks for a restore-window timer only when none is due earlier, and
        // a timer that fires at its deadline ends the window, so this loop ends.
        while let deadline = restoreDeadlines.min() {
            restoreDeadlines.removeAll { $0 == deadline }
            now = max(now, deadline)
            noteTimers(broadcaster.handle(.timerFired(.restoreWindow), at: now))
        }
        clock = now
        tree = broadcaster.tree
        return ReplayRestartOutcome(strategy: strategy, before: saved, after: tree, missing: request.missing)
    }
}
