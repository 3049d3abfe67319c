import BranchTreeTesting
import Testing

@testable import BranchTree

@Suite("ViewerStateMachine deadlines")
struct ViewerStateMachineDeadlinesTests {
    @Test("nextDeadline and dueTimer follow the join retry, the upstream and the children")
    func deadlines() {
        var viewer = ViewerStateMachine(id: "V", broadcaster: "root")
        #expect(viewer.nextDeadline == nil)
        _ = viewer.handle(.start, at: .zero)
        #expect(viewer.nextDeadline == .seconds(3))
        #expect(viewer.dueTimer(at: .seconds(2.9)) == nil)
        #expect(viewer.dueTimer(at: .seconds(3)) == .joinRetry)

        // Placed at 1 s: no join due; the upstream (16 s) and the child (16 s) are.
        let record = RelayMessage.BranchData(
            parent: "P", epoch: 5, depth: 1, children: [.init(id: "C", epoch: 6)], sequence: 6)
        _ = viewer.handle(.received(.branchData(record), from: "root"), at: .seconds(1))
        #expect(viewer.nextDeadline == .seconds(16))
        #expect(viewer.dueTimer(at: .seconds(3)) == nil)
        #expect(viewer.dueTimer(at: .seconds(16)) == .upstream)

        _ = viewer.handle(.upstreamConnected, at: .seconds(2))
        #expect(viewer.nextDeadline == .seconds(16))
        #expect(viewer.dueTimer(at: .seconds(16)) == .downstream)

        _ = viewer.handle(.received(.requestStream(.init(epoch: 6)), from: "C"), at: .seconds(3))
        _ = viewer.handle(.downstreamConnected("C"), at: .seconds(4))
        #expect(viewer.nextDeadline == nil)

        // The upstream breaks at 10 s: the repair is awaited until 50 s.
        _ = viewer.handle(.upstreamClosed, at: .seconds(10))
        #expect(viewer.nextDeadline == .seconds(50))
        #expect(viewer.dueTimer(at: .seconds(50)) == .upstream)
        _ = viewer.handle(.leave, at: .seconds(11))
        #expect(viewer.nextDeadline == nil)
    }

    /// The actions a driver saw, but its timers and ignored inputs, each with its time.
    typealias Trace = [(time: Timestamp, action: ViewerAction)]

    static func isTimerOrIgnored(_ action: ViewerAction) -> Bool {
        switch action {
        case .setTimer, .ignored: true
        default: false
        }
    }

    /// Feeds `inputs` (timer inputs left out) to a viewer that keeps every timer it asks
    /// for and fires each at its time, stale or not, as a simple caller would. Timers of
    /// one instant fire in the order `dueTimer` reports them (join retry, upstream,
    /// children): which goes first is the caller's choice, and the machine's answer
    /// depends on it.
    ///
    /// With a `lookahead`, before each input it drops the timers due within it that the
    /// machine says would find nothing to do (`dropTimerIfIdle`), as the simulator does
    /// when a bucket of its queue opens, and counts them.
    static func traceFollowingTimers(
        _ ops: [ProtocolFuzzTests.ViewerOp], droppingWithin lookahead: Duration? = nil
    ) -> (trace: Trace, dropped: Int) {
        var viewer = ViewerStateMachine(id: "V", broadcaster: "root")
        var timers: [(time: Timestamp, order: Int, timer: ViewerStateMachine.Timer)] = []
        let rank: [ViewerStateMachine.Timer: Int] = [.joinRetry: 0, .upstream: 1, .downstream: 2]
        var trace: Trace = []
        var dropped = 0
        func feed(_ input: ViewerStateMachine.Input, at time: Timestamp) {
            for action in viewer.handle(input, at: time) {
                if case .setTimer(let timer, let deadline) = action {
                    timers.append((deadline, rank[timer] ?? 0, timer))
                }
                if !isTimerOrIgnored(action) { trace.append((time, action)) }
            }
        }
        replay(ops) { input, now in
            while let first = timers.indices.min(by: {
                (timers[$0].time, timers[$0].order) < (timers[$1].time, timers[$1].order)
            }),
                timers[first].time <= now
            {
                let fired = timers.remove(at: first)
                feed(.timerFired(fired.timer), at: fired.time)
            }
            if let lookahead {
                timers.removeAll { pending in
                    guard pending.time <= now + lookahead, viewer.dropTimerIfIdle(pending.timer, due: pending.time)
                    else { return false }
                    dropped += 1
                    return true
                }
            }
            feed(input, at: now)
        }
        return (trace, dropped)
    }

    /// Fuzzed viewer inputs with waits three times as long, so that timers fall due
    /// between inputs.
    static func opsWithLongWaits(seed: UInt64) -> [ProtocolFuzzTests.ViewerOp] {
        ProtocolFuzzTests.viewerOps(seed: seed, count: 150).map { op in
            guard case .wait(let milliseconds) = op else { return op }
            return .wait(milliseconds: milliseconds * 3)
        }
    }

    /// The first action at which two traces differ (in time or action), or nil when they
    /// are the same.
    static func parting(_ first: Trace, _ second: Trace) -> Int? {
        let shorter = min(first.count, second.count)
        let index = (0..<shorter).first { first[$0].time != second[$0].time || first[$0].action != second[$0].action }
        return index ?? (first.count == second.count ? nil : shorter)
    }

    @Test(
        "Dropping the timers with no deadline of their kind, ahead of time, changes nothing the viewer does",
        // The simulator's fine bucket (inputs come about every few milliseconds here, so
        // few timers fall within it), and a look far ahead.
        arguments: [(Duration.milliseconds(67), 50), (.seconds(5), 1_000)])
    func droppingIdleTimersActsLikeFiringThem(lookahead: Duration, expectedDrops: Int) {
        var dropped = 0
        for seed in 0..<UInt64(500) {
            let ops = Self.opsWithLongWaits(seed: seed)
            let (dropping, droppedHere) = Self.traceFollowingTimers(ops, droppingWithin: lookahead)
            dropped += droppedHere
            if let index = Self.parting(Self.traceFollowingTimers(ops).trace, dropping) {
                Issue.record("seed \(seed): the traces part at action \(index)")
                return
            }
        }
        #expect(dropped > expectedDrops, "timers dropped \(dropped) times")
    }

    @Test("A dropped timer is asked for again when a deadline of its kind comes back")
    func droppedTimerIsAskedForAgain() {
        var viewer = ViewerStateMachine(id: "V", broadcaster: "root")
        _ = viewer.handle(.start, at: .zero)  // join retry at 3 s
        let record = RelayMessage.BranchData(parent: "P", epoch: 5, depth: 1, children: [], sequence: 6)
        _ = viewer.handle(.received(.branchData(record), from: "root"), at: .seconds(1))
        #expect(viewer.deadline(for: .joinRetry) == nil)
        #expect(viewer.deadline(for: .upstream) == .seconds(16))
        #expect(viewer.deadline(for: .downstream) == nil)

        // The link comes up: the upstream timer at 16 s has nothing left to do.
        _ = viewer.handle(.upstreamConnected, at: .seconds(2))
        #expect(viewer.deadline(for: .upstream) == nil)
        // Kept, it would cover the repair deadline below (50 s is after 16 s): no new timer.
        var kept = viewer
        #expect(!kept.handle(.upstreamClosed, at: .seconds(10)).contains(.setTimer(.upstream, at: .seconds(50))))
        // Dropped, the machine asks again. A timer with a deadline of its kind is kept.
        let keptDropped = kept.dropTimerIfIdle(.upstream, due: .seconds(16))
        #expect(!keptDropped)
        let dropped = viewer.dropTimerIfIdle(.upstream, due: .seconds(16))
        #expect(dropped)
        #expect(viewer.handle(.upstreamClosed, at: .seconds(10)) == [.setTimer(.upstream, at: .seconds(50))])
        #expect(viewer.deadline(for: .upstream) == .seconds(50))
    }

    /// The same inputs to a viewer whose timers fire only when `dueTimer` says so, at
    /// `nextDeadline`.
    static func traceByDeadlines(_ ops: [ProtocolFuzzTests.ViewerOp]) -> (trace: Trace, fired: Int) {
        var viewer = ViewerStateMachine(id: "V", broadcaster: "root")
        var trace: Trace = []
        var fired = 0
        func feed(_ input: ViewerStateMachine.Input, at time: Timestamp) {
            for action in viewer.handle(input, at: time) where !isTimerOrIgnored(action) {
                trace.append((time, action))
            }
        }
        replay(ops) { input, now in
            while let deadline = viewer.nextDeadline, deadline <= now {
                guard let timer = viewer.dueTimer(at: deadline) else {
                    Issue.record("nothing due at the next deadline \(deadline)")
                    return
                }
                feed(.timerFired(timer), at: deadline)
                fired += 1
            }
            feed(input, at: now)
        }
        return (trace, fired)
    }

    /// Calls `feed` with each input that is not a timer's, and its time: 1 ms after the
    /// one before, plus the waits.
    static func replay(
        _ ops: [ProtocolFuzzTests.ViewerOp], feed: (ViewerStateMachine.Input, Timestamp) -> Void
    ) {
        var now = Timestamp.zero
        for op in ops {
            now = now + .milliseconds(1)
            switch op {
            case .wait(let milliseconds): now = now + .milliseconds(milliseconds)
            case .input(.timerFired): break
            case .input(let input): feed(input, now)
            }
        }
    }

    @Test(
        "Timers fired only at the machine's deadlines act as every timer it asked for",
        arguments: 0..<4 as Range<UInt64>)
    func deadlinesActLikeTimers(batch: UInt64) {
        var fired = 0
        for seed in (batch * 250)..<((batch + 1) * 250) {
            let ops = Self.opsWithLongWaits(seed: seed)
            let (byDeadlines, firedHere) = Self.traceByDeadlines(ops)
            fired += firedHere
            if let index = Self.parting(Self.traceFollowingTimers(ops).trace, byDeadlines) {
                Issue.record("seed \(seed): the traces part at action \(index)")
                return
            }
        }
        #expect(fired > 1_000, "deadlines fell due \(fired) times")
    }
}
