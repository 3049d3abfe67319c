extension ViewerStateMachine {
    mutating func receive(
        _ message: consuming RelayMessage, from sender: ViewerID, at now: Timestamp, into actions: inout [ViewerAction]
    ) {
        switch consume message {
        case .branchData(let record):
            guard sender == broadcaster else { return ignore(.unexpectedSender(sender), into: &actions) }
            apply(record, at: now, into: &actions)
        case .requestStream(let request):
            requested(by: sender, epoch: request.epoch, at: now, into: &actions)
        case .reconnectRoot:
            guard sender == broadcaster else { return ignore(.unexpectedSender(sender), into: &actions) }
            // Confirm or rejoin, keeping every link: the broadcaster answers with a record.
            sendJoin(at: now, into: &actions)
        case .join(let join):
            ignore(.unexpectedMessage(RelayMessage.join(join).typeName), into: &actions)
        case .closeBranch(let report):
            ignore(.unexpectedMessage(RelayMessage.closeBranch(report).typeName), into: &actions)
        }
    }

    /// A child asks for the stream over the link with `epoch`: open it if the last
    /// record lists it, or provisionally if the record that lists it may still be on its
    /// way (``provisionalRefusal(of:epoch:at:)``).
    private mutating func requested(
        by child: ViewerID, epoch: UInt64, at now: Timestamp, into actions: inout [ViewerAction]
    ) {
        guard child != broadcaster, child != id else { return ignore(.impossibleChild(child), into: &actions) }
        let deadline = now.adding(nanoseconds: timings.connectTimeoutNanoseconds)
        let outcome: DownstreamLinks.RequestOutcome
        switch downstream.request(from: child, epoch: epoch, deadline: deadline) {
        case .duplicate:
            return ignore(.duplicateRequest(child), into: &actions)
        case .unknownLink:
            if let refusal = provisionalRefusal(of: child, epoch: epoch, at: now) {
                return ignore(refusal, into: &actions)
            }
            outcome = downstream.takeProvisional(from: child, epoch: epoch, deadline: deadline)
        case let listed:
            outcome = listed
        }
        if outcome == .replace { actions.append(.closeLink(child)) }
        if let link = upstream, link.parent == child { parentBecameChild(link, at: now, into: &actions) }
        actions.append(.openDownstream(child: child, epoch: epoch))
        armDownstreamTimer(into: &actions)
    }

    /// Why a request for a link that no applied record lists cannot be one the
    /// broadcaster announced in a record still on its way, or nil when it can:
    /// - an epoch up to the last record's `sequence` would be in that record: the link
    ///   is stale, or never existed;
    /// - the broadcaster numbers tree versions no faster than one per nanosecond of the
    ///   broadcast's clock (the restart relies on it), so an epoch above the time now
    ///   has not been issued yet;
    /// - the viewer relays to at most ``relayCapacity`` children, so it awaits no more
    ///   records than that.
    /// A link taken provisionally must be listed within ``ProtocolTimings/connectTimeout``
    /// or it is closed and reported.
    private func provisionalRefusal(of child: ViewerID, epoch: UInt64, at now: Timestamp) -> IgnoreReason? {
        if epoch <= appliedSequence ?? 0 { return .unknownLink(child: child, epoch: epoch) }
        if epoch > UInt64(clamping: now.nanoseconds) { return .futureEpoch(child: child, epoch: epoch) }
        if downstream.provisionalCount(excluding: child) >= relayCapacity { return .overCapacity(child: child) }
        return nil
    }

    /// Takes a new record: keep what it still lists, close what it does not, connect
    /// what is new.
    private mutating func apply(
        _ record: RelayMessage.BranchData, at now: Timestamp, into actions: inout [ViewerAction]
    ) {
        if let appliedSequence, record.sequence < appliedSequence {
            return ignore(.staleRecord(sequence: record.sequence), into: &actions)
        }
        appliedSequence = record.sequence
        depth = record.depth
        let current = upstream

        let keptUpstream: Bool
        if downstream.hasProvisionalLink(to: record.parent, newerThan: record.sequence) {
            // The record's parent has since become this viewer's child (its request came
            // first): the record is outdated about the upstream. Asking that child for the
            // stream would make two links between the same peers; wait for the next record.
            keptUpstream = current?.parent == record.parent && current?.epoch == record.epoch
            if let current, keptUpstream {
                state = .placed(current, nextJoin: nil)
            } else {
                if let old = current, !old.isLost { actions.append(.closeLink(old.parent)) }
                let lost = Upstream(
                    parent: record.parent, epoch: record.epoch,
                    state: .lost(deadline: now.adding(nanoseconds: timings.repairTimeoutNanoseconds)))
                setUpstream(lost, nextJoin: nil, into: &actions)
            }
        } else if let link = current, link.parent == record.parent, link.epoch == record.epoch {
            keptUpstream = true
            state = .placed(link, nextJoin: nil)
            // The same link; ask again if it is not up (it broke, or the request was lost).
            if link.state != .connected { requestStream(at: now, into: &actions) }
        } else {
            keptUpstream = false
            if let old = current, !old.isLost { actions.append(.closeLink(old.parent)) }
            let link = Upstream(
                parent: record.parent, epoch: record.epoch,
                state: .requested(deadline: now.adding(nanoseconds: timings.connectTimeoutNanoseconds)))
            state = .placed(link, nextJoin: nil)
            requestStream(at: now, into: &actions)
        }
        let deadline = now.adding(nanoseconds: timings.connectTimeoutNanoseconds)
        for dropped in downstream.adopt(record.children, issuedAt: record.sequence, deadline: deadline) {
            actions.append(.closeLink(dropped.child))
            // Not listed at all: the tree moved the child on (the report is then stale and
            // ignored) or does not know it (a restart from a stale save: the broadcaster
            // then tells it to join at once, instead of it waiting out a repair).
            if !record.children.contains(where: { $0.id == dropped.child }) { report(dropped, into: &actions) }
        }
        armDownstreamTimer(into: &actions)
        if reportsOutcomes {
            actions.append(.placed(parent: record.parent, depth: record.depth, keptUpstream: keptUpstream))
        }
    }

    /// The viewer's own parent asks it for the stream: by a record still on its way, the
    /// tree moved the viewer above it. The upstream is obsolete; close it before the link
    /// the other way opens (one connection per pair of peers) and wait for that record
    /// as for a repair.
    private mutating func parentBecameChild(
        _ link: Upstream, at now: Timestamp, into actions: inout [ViewerAction]
    ) {
        guard !link.isLost else { return }
        actions.append(.closeLink(link.parent))
        var lost = link
        lost.state = .lost(deadline: now.adding(nanoseconds: timings.repairTimeoutNanoseconds))
        setUpstream(lost, nextJoin: nextJoin, into: &actions)
    }

    private mutating func requestStream(at now: Timestamp, into actions: inout [ViewerAction]) {
        guard var link = upstream else { return }
        link.state = .requested(deadline: now.adding(nanoseconds: timings.connectTimeoutNanoseconds))
        actions.append(.send(.requestStream(.init(epoch: link.epoch)), to: link.parent))
        setUpstream(link, nextJoin: nextJoin, into: &actions)
    }

    mutating func upstreamClosed(at now: Timestamp, into actions: inout [ViewerAction]) {
        guard var link = upstream, !link.isLost else { return ignore(.unknownLinkEvent, into: &actions) }
        if case .requested = link.state {
            // It never came up: ask the broadcaster again now rather than wait.
            return rejoin(at: now, into: &actions)
        }
        // A working link broke: the tree is being repaired; wait for the new record.
        link.state = .lost(deadline: now.adding(nanoseconds: timings.repairTimeoutNanoseconds))
        setUpstream(link, nextJoin: nextJoin, into: &actions)
    }

    mutating func timerFired(_ timer: Timer, at now: Timestamp, into actions: inout [ViewerAction]) {
        switch timer {
        case .joinRetry:
            joinTimer.fired(at: now)
            guard let due = nextJoin else { return ignore(.staleTimer(timer), into: &actions) }
            if due <= now {
                sendJoin(at: now, into: &actions)
            } else if joinTimer.needsTimer(for: due) {
                actions.append(.setTimer(.joinRetry, at: due))
            }
        case .upstream:
            upstreamTimer.fired(at: now)
            guard let link = upstream, let due = link.deadline else {
                return ignore(.staleTimer(timer), into: &actions)
            }
            guard due <= now else { return armUpstreamTimer(for: due, into: &actions) }
            // Not up, or not repaired, in time: give the link up and join again.
            if !link.isLost { actions.append(.closeLink(link.parent)) }
            rejoin(at: now, into: &actions)
        case .downstream:
            downstreamTimer.fired(at: now)
            let expired = downstream.expire(at: now)
            if expired.isEmpty && downstream.nextDeadline == nil { ignore(.staleTimer(timer), into: &actions) }
            for entry in expired {
                if entry.state != .awaitingRequest { actions.append(.closeLink(entry.child)) }
                report(entry, into: &actions)
            }
            armDownstreamTimer(into: &actions)
        }
    }

    mutating func leave(into actions: inout [ViewerAction]) {
        if let link = upstream, !link.isLost { actions.append(.closeLink(link.parent)) }
        for entry in downstream.removeAll() where entry.state != .awaitingRequest {
            actions.append(.closeLink(entry.child))
        }
        state = .departed
    }

    /// Appends `.ignored(reason)`, unless ``reportsOutcomes`` is off: then `reason` is
    /// not even made.
    @inline(__always)
    func ignore(_ reason: @autoclosure () -> IgnoreReason, into actions: inout [ViewerAction]) {
        if reportsOutcomes { actions.append(.ignored(reason())) }
    }

    /// Tells the broadcaster that the link to a child is gone.
    mutating func report(_ entry: DownstreamLinks.Entry, into actions: inout [ViewerAction]) {
        actions.append(.send(.closeBranch(.init(child: entry.child, epoch: entry.epoch)), to: broadcaster))
    }

    /// Sends `join`, keeping the upstream if there is one (to confirm a place), and
    /// sends it again after ``ProtocolTimings/joinRetry`` until a record comes.
    mutating func sendJoin(at now: Timestamp, into actions: inout [ViewerAction]) {
        actions.append(.send(.join(joinRequest), to: broadcaster))
        let due = now.adding(nanoseconds: timings.joinRetryNanoseconds)
        if let link = upstream {
            state = .placed(link, nextJoin: due)
        } else {
            state = .joining(nextJoin: due)
        }
        if joinTimer.needsTimer(for: due) { actions.append(.setTimer(.joinRetry, at: due)) }
    }

    /// Gives the upstream up (its link already closed or never up) and joins again.
    private mutating func rejoin(at now: Timestamp, into actions: inout [ViewerAction]) {
        state = .joining(nextJoin: now)
        sendJoin(at: now, into: &actions)
    }

    /// Takes `link` as the upstream, with a timer for its deadline if it has one.
    private mutating func setUpstream(_ link: Upstream, nextJoin: Timestamp?, into actions: inout [ViewerAction]) {
        state = .placed(link, nextJoin: nextJoin)
        if let due = link.deadline { armUpstreamTimer(for: due, into: &actions) }
    }

    private mutating func armUpstreamTimer(for due: Timestamp, into actions: inout [ViewerAction]) {
        if upstreamTimer.needsTimer(for: due) { actions.append(.setTimer(.upstream, at: due)) }
    }

    private mutating func armDownstreamTimer(into actions: inout [ViewerAction]) {
        if let due = downstream.nextDeadline, downstreamTimer.needsTimer(for: due) {
            actions.append(.setTimer(.downstream, at: due))
        }
    }
}
