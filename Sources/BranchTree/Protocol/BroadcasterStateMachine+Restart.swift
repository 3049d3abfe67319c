extension BroadcasterStateMachine {
    /// Starts over after a restart, by `strategy`, from the saved tree.
    ///
    /// Numbering continues above the restart time in nanoseconds: a save can be older
    /// than the last records the old process sent, and a record or link epoch issued
    /// after the restart must still be newer than every one issued before it (no
    /// operation takes less than a nanosecond). That also tells links the old process
    /// made apart: a viewer reported over one that the tree lacks was missed by the save.
    /// Such viewers are told to join once the broadcaster hears of them, from their
    /// first message or from the parent that dropped them on its new record.
    mutating func restart(
        from saved: BranchTree, strategy: RestartStrategy, at now: Timestamp, into actions: inout [BroadcasterAction]
    ) {
        firstViewerLinks = DownstreamLinks()
        downstreamTimer = TimerSlot()
        unconfirmed = []
        restoreDeadline = nil
        restoreTimer = TimerSlot()
        var restored = saved
        restored.advanceVersion(to: UInt64(clamping: now.nanoseconds))
        let everyone = restored.levelOrderIDs()

        switch strategy {
        case .reconnectAll:
            do {
                tree = try BranchTree(broadcaster: restored.broadcaster, configuration: restored.configuration)
            } catch {
                preconditionFailure("a saved tree's broadcaster and configuration are valid: \(error)")
            }
            tree.advanceVersion(to: restored.version)
            restartEpoch = tree.version + 1
            for id in everyone { actions.append(.send(.reconnectRoot, to: id)) }
        case .restore:
            restored.renewFirstViewerLinks()
            tree = restored
            restartEpoch = tree.version
            let firstViewers = Set(tree.childSlots(of: 0).map { tree.slots[id: Int($0)] })
            unconfirmed = Set(everyone)
            let due = now.adding(nanoseconds: timings.restoreWindowNanoseconds)
            restoreDeadline = due
            if restoreTimer.needsTimer(for: due) { actions.append(.setTimer(.restoreWindow, at: due)) }
            // Re-feed the first viewers at once: their record carries the new link.
            followFirstViewers(at: now, into: &actions)
            for id in everyone {
                if firstViewers.contains(id), let record = tree.branchData(for: id) {
                    actions.append(.send(.branchData(record), to: id))
                } else {
                    actions.append(.send(.reconnectRoot, to: id))
                }
            }
        }
    }

    /// Removes every viewer that did not confirm in time, deepest first (a departure on
    /// the deepest level needs no repair), each level from its end.
    mutating func endRestoreWindow(at now: Timestamp, into actions: inout [BroadcasterAction]) {
        restoreDeadline = nil
        let silent = tree.levelOrderIDs().reversed().filter(unconfirmed.contains)
        unconfirmed = []
        for id in silent {
            if let found = tree.findSlot(of: id, hash: _IDIndex.hash(id)) {
                remove(id, found: found, reason: .unconfirmedAfterRestart, at: now, into: &actions)
            }
        }
    }
}
