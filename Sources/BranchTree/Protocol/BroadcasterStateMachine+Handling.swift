extension BroadcasterStateMachine {
    mutating func receive(
        _ message: consuming RelayMessage, from sender: ViewerID, at now: Timestamp,
        into actions: inout [BroadcasterAction]
    ) {
        switch consume message {
        case .join(let request):
            join(sender, request, at: now, into: &actions)
        case .closeBranch(let report):
            let link = tree.upstreamLink(of: report.child)
            // A viewer that is the child's parent is in the tree: only another sender is
            // looked up (a lookup hashes the id).
            let isParent = link.map { $0.parent == sender && isViewerID(sender) } ?? false
            guard isParent || tree.contains(sender, hash: indexHash(of: sender)) else {
                return unknownSender(sender, into: &actions)
            }
            guard let link else {
                // Over a link the old process made: a viewer the restored tree lacks,
                // which nobody told. Anyone else not in the tree was told or is gone.
                guard let restart = restartEpoch, report.epoch < restart, isViewerID(report.child) else {
                    return actions.append(.ignored(.unknownViewer(report.child)))
                }
                return actions.append(.send(.reconnectRoot, to: report.child))
            }
            guard link.parent == sender else {
                return actions.append(.ignored(.notParent(reporter: sender, child: report.child)))
            }
            guard link.epoch == report.epoch else {
                return actions.append(.ignored(.staleEpoch(child: report.child, epoch: report.epoch)))
            }
            remove(report.child, found: link.found, reason: .linkClosed(reportedBy: sender), at: now, into: &actions)
        case .requestStream(let request):
            guard tree.contains(sender, hash: indexHash(of: sender)) else {
                return unknownSender(sender, into: &actions)
            }
            // Guarded: removing from a set hashes the id, empty set or not.
            if !unconfirmed.isEmpty { unconfirmed.remove(sender) }
            let outcome = firstViewerLinks.request(
                from: sender, epoch: request.epoch, deadline: now.adding(nanoseconds: timings.connectTimeoutNanoseconds)
            )
            switch outcome {
            case .connect, .replace:  // never .replace: the broadcaster takes no provisional link
                actions.append(.openDownstream(child: sender, epoch: request.epoch))
                armDownstreamTimer(into: &actions)
            case .duplicate:
                actions.append(.ignored(.duplicateRequest(sender)))
            case .unknownLink:
                actions.append(.ignored(.unknownLink(child: sender, epoch: request.epoch)))
            }
        case .branchData(let record):
            actions.append(.ignored(.unexpectedMessage(RelayMessage.branchData(record).typeName, from: sender)))
        case .reconnectRoot:
            actions.append(.ignored(.unexpectedMessage(RelayMessage.reconnectRoot.typeName, from: sender)))
        }
    }

    /// The index hash of `id`: the caller's ``knownIDHash`` when it is for `id`.
    @inline(__always)
    func indexHash(of id: ViewerID) -> UInt32 {
        if let known = knownIDHash, known.id == id { return known.hash }
        return _IDIndex.hash(id)
    }

    /// A viewer not in the tree speaks as if it were placed. After a restart it may be
    /// one the saved tree missed, still relaying: its first contact tells it to join.
    /// Otherwise it is rejected.
    private func unknownSender(_ sender: ViewerID, into actions: inout [BroadcasterAction]) {
        guard restartEpoch != nil, isViewerID(sender) else { return actions.append(.ignored(.unknownSender(sender))) }
        actions.append(.send(.reconnectRoot, to: sender))
    }

    /// Whether a viewer could have `id`: the broadcaster's own and the empty id cannot.
    private func isViewerID(_ id: ViewerID) -> Bool {
        id != tree.broadcaster && !id.rawValue.isEmpty
    }

    /// Places a new viewer, or answers a placed one with its record (a re-sent `join`,
    /// or a confirmation after a restart).
    private mutating func join(
        _ viewer: ViewerID, _ request: RelayMessage.Join, at now: Timestamp, into actions: inout [BroadcasterAction]
    ) {
        if !unconfirmed.isEmpty { unconfirmed.remove(viewer) }
        let hash = indexHash(of: viewer)
        if let placed = tree.findSlot(of: viewer, hash: hash) {
            return actions.append(.send(.branchData(tree.branchData(ofSlot: placed.slot)), to: viewer))
        }
        do {
            try tree.join(
                absent: viewer, hash: hash, relayable: request.relayable, capacity: request.capacity,
                keepingIDs: reportsTreeChanges, recordingInto: &recorder)
        } catch {
            return actions.append(.ignored(.joinRefused(viewer, error)))
        }
        carryOut(at: now, into: &actions)
    }

    /// A link the broadcaster was responsible for failed: remove the child if that link
    /// is still its current one.
    mutating func linkFailed(
        _ entry: DownstreamLinks.Entry, reportedBy reporter: ViewerID, at now: Timestamp,
        into actions: inout [BroadcasterAction]
    ) {
        guard let link = tree.upstreamLink(of: entry.child), link.parent == reporter, link.epoch == entry.epoch else {
            return actions.append(.ignored(.staleEpoch(child: entry.child, epoch: entry.epoch)))
        }
        remove(entry.child, found: link.found, reason: .linkClosed(reportedBy: reporter), at: now, into: &actions)
    }

    /// Removes a viewer that is in the tree, `found` where its lookup found it, and
    /// carries out the repair.
    mutating func remove(
        _ viewer: ViewerID, found: (bucket: Int, slot: Int32), reason: RemovalReason, at now: Timestamp,
        into actions: inout [BroadcasterAction]
    ) {
        tree.leave(viewer, found: found, keepingIDs: reportsTreeChanges, recordingInto: &recorder)
        if !reportsTreeChanges { departures.append(recorder.log, in: tree) }
        actions.append(.viewerRemoved(viewer, reason: reason))
        // However it went, it is no longer awaited after a restart.
        if !unconfirmed.isEmpty { unconfirmed.remove(viewer) }
        carryOut(at: now, into: &actions)
        // Unless it is known to be gone, it may still be watching: tell it to join again.
        if reason != .disconnected { actions.append(.send(.reconnectRoot, to: viewer)) }
    }

    /// Reports the change `recorder` holds (with ``reportsTreeChanges``) and sends the new
    /// record to every viewer whose parent or children it changed; the broadcaster's own
    /// links follow its first viewers.
    ///
    /// The recipients come from the change in slots: at most one per end of a link, told
    /// apart by slot, with no id compared or looked up. A slot that is vacant now held the
    /// leaver or an evicted viewer, which have no record any more.
    mutating func carryOut(at now: Timestamp, into actions: inout [BroadcasterAction]) {
        if reportsTreeChanges {
            // Moved out, so that the action holds the only reference to the change's lists.
            var ids: _TreeChangeRecorder? = nil
            swap(&ids, &recorder.ids)
            if let ids { actions.append(.treeChanged(ids.change)) }
        }
        // Taken out while in use, so that appending to it never copies it.
        var recipients: [Int32] = []
        swap(&recipients, &recipientBuffer)
        var touchesBroadcaster = false
        func note(_ slot: Int32) {
            if slot == 0 {
                touchesBroadcaster = true
            } else if !recipients.contains(slot) {
                recipients.append(slot)
            }
        }
        for link in recorder.log.linksCreated {
            note(link.child)
            note(link.parent)
        }
        for link in recorder.log.linksCut { note(link.parent) }
        for slot in recipients where !tree.slots[node: Int(slot)].isVacant {
            actions.append(.send(.branchData(tree.branchData(ofSlot: slot)), to: tree.viewerID(ofSlot: slot)))
        }
        // One by one: a change has a few recipients, and the generic `removeAll` costs more.
        while !recipients.isEmpty { recipients.removeLast() }
        swap(&recipients, &recipientBuffer)
        // An evicted viewer (no relay slot left for it) must ask again: it keeps polling.
        for id in recorder.evicted { actions.append(.send(.reconnectRoot, to: id)) }
        if touchesBroadcaster { followFirstViewers(at: now, into: &actions) }
    }

    /// Makes the broadcaster's links match its first viewers in the tree.
    mutating func followFirstViewers(at now: Timestamp, into actions: inout [BroadcasterAction]) {
        let links = tree.childLinks(of: 0)
        for dropped in firstViewerLinks.adopt(
            links, issuedAt: tree.version, deadline: now.adding(nanoseconds: timings.connectTimeoutNanoseconds))
        {
            actions.append(.closeLink(dropped.child))
        }
        armDownstreamTimer(into: &actions)
    }

    mutating func armDownstreamTimer(into actions: inout [BroadcasterAction]) {
        if let due = firstViewerLinks.nextDeadline, downstreamTimer.needsTimer(for: due) {
            actions.append(.setTimer(.downstream, at: due))
        }
    }

    mutating func timerFired(_ timer: Timer, at now: Timestamp, into actions: inout [BroadcasterAction]) {
        switch timer {
        case .downstream:
            downstreamTimer.fired(at: now)
            let expired = firstViewerLinks.expire(at: now)
            if expired.isEmpty && firstViewerLinks.nextDeadline == nil {
                actions.append(.ignored(.staleTimer(timer)))
            }
            for entry in expired {
                if entry.state == .connecting { actions.append(.closeLink(entry.child)) }
                linkFailed(entry, reportedBy: tree.broadcaster, at: now, into: &actions)
            }
            armDownstreamTimer(into: &actions)
        case .restoreWindow:
            restoreTimer.fired(at: now)
            guard let due = restoreDeadline else { return actions.append(.ignored(.staleTimer(timer))) }
            guard due <= now else {
                if restoreTimer.needsTimer(for: due) { actions.append(.setTimer(.restoreWindow, at: due)) }
                return
            }
            endRestoreWindow(at: now, into: &actions)
        }
    }
}
