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
    static func traceFollowingTimers(_ ops: [ProtocolFuzzTests.ViewerOp]) -> Trace {
        var viewer = ViewerStateMachine(id: "V", broadcaster: "root")
        var timers: [(time: Timestamp, order: Int, timer: ViewerStateMachine.Timer)] = []
        let rank: [ViewerStateMachine.Timer: Int] = [.joinRetry: 0, .upstream: 1, .downstream: 2]
        var trace: Trace = []
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
            feed(input, at: now)
        }
        return trace
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
            // Long waits, so that timers fall due between inputs.
            let ops = ProtocolFuzzTests.viewerOps(seed: seed, count: 150).map { op in
                if case .wait(let milliseconds) = op {
                    return ProtocolFuzzTests.ViewerOp.wait(milliseconds: milliseconds * 3)
                }
                return op
            }
            let following = Self.traceFollowingTimers(ops)
            let (byDeadlines, firedHere) = Self.traceByDeadlines(ops)
            fired += firedHere
            let parting = following.indices.first { index in
                index >= byDeadlines.count || following[index].time != byDeadlines[index].time
                    || following[index].action != byDeadlines[index].action
            }
            guard parting == nil, following.count == byDeadlines.count else {
                let index = parting ?? following.count
                Issue.record("seed \(seed): the traces part at action \(index) of \(following.count)")
                return
            }
        }
        #expect(fired > 1_000, "deadlines fell due \(fired) times")
    }
}
