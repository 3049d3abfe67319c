import Benchmark
import BranchTree

// The inputs a `BroadcasterStateMachine` receives while its tree churns at a steady size,
// and a replay of them.
//
// The stream is made of *cycles*, one departure and one arrival each, so the tree keeps
// its size. One cycle, in this order:
//
// 1. The departure of a viewer drawn uniformly (`Xoshiro256StarStar`) from those present.
//    Its current parent reports it: `close_branch` with the link's current epoch — or,
//    for the first viewer, whose parent is the broadcaster itself, the input
//    `downstreamClosed`. Removes the viewer: changes the tree.
// 2. A stale `close_branch` from the old parent of every viewer the repair moved, quoting
//    the epoch of the link the viewer left (the child dropped the link before the
//    parent's new record arrived). Only old parents still in the tree: the leaver's own
//    links died with it. Ignored (`notParent` or `staleEpoch`).
// 3. A `join` from a fresh id (`v0`, `v1`, …, relayable at full fan-out). Places it:
//    changes the tree.
// 4. With probability 1/4, the same viewer's `join` again (its retry fired before the
//    answer came): answered with its record.
// 5. With probability 1/4, a `join` from a viewer drawn uniformly from those placed (its
//    repair timed out and it asks again): answered with its record.
//
// Whenever the first viewer (or its link epoch) changes, it sends `request_stream` with
// the new epoch and then the input `downstreamConnected` follows; a `timerFired` comes at
// each deadline the machine asked for. These are rare (the first viewer changes only
// when it leaves, about once per n departures).
//
// Shares of the replayed stream, counted over its first 10⁶ inputs (seed 0xB7A1C4EE;
// the stale reports depend on where the tree's size falls between full levels):
//
// | input                               | skyway 10⁴ | skyway 10⁶ | rejoin 10⁴ | rejoin 10⁶ |
// |-------------------------------------|-----------:|-----------:|-----------:|-----------:|
// | `close_branch`, departure (*)       |    28.68 % |    30.34 % |    39.98 % |    40.00 % |
// | `downstreamClosed`, departure (*)   |         27 |          0 |         29 |          1 |
// | `close_branch`, stale (ignored)     |    28.22 % |    24.14 % |        0 % |        0 % |
// | `join`, fresh id (*)                |    28.69 % |    30.34 % |    39.98 % |    40.00 % |
// | `join`, re-sent by the arrival      |     7.22 % |     7.61 % |    10.05 % |    10.03 % |
// | `join`, re-sent by a placed viewer  |     7.18 % |     7.56 % |     9.98 % |     9.97 % |
// | `request_stream`, new first viewer  |         27 |          0 |         29 |          1 |
// | `downstreamConnected`               |         27 |          0 |         29 |          1 |
// | `timerFired(.downstream)`           |         16 |          0 |         14 |          1 |
// | cycles                              |    286,865 |    303,437 |    399,794 |    399,985 |
// | stale `close_branch` per cycle      |       0.98 |       0.80 |          0 |          0 |
// | change the tree: the (*) rows       |     57.4 % |     60.7 % |     80.0 % |     80.0 % |
//
// (Bare numbers are counts, each under 0.01 %.) Under rejoin nobody but the leaver's own
// children moves, and their old parent is the leaver, so no stale report is sent; under
// skyway it is mostly the migrated tail's old parent. Every other input changes nothing
// in the tree: a stale report costs the checks that reject it, a re-sent `join` a record
// lookup and one `send`.
//
// Time advances 0.5 ms per input; every stale `close_branch` and every re-sent `join` is
// checked while generating to change nothing, every departure to remove its viewer.

/// A broadcaster holding `size` viewers in steady state, and the deterministic stream of
/// inputs (described above) it receives under churn, generated before the timed region.
///
/// Two copies of the machine advance in lockstep: the *shadow*, which generates each
/// batch by handling its inputs as it draws them (so every `close_branch` quotes the
/// parent and epoch that hold at that point of the stream), and the *replayed* one,
/// which handles the same batch afterwards, timed. The shadow is always ahead, so it is
/// the shadow that pays the copy-on-write when the two stop sharing storage, never the
/// timed loop.
///
/// A class because the benchmark's setup, measured closure and teardown share it; the
/// replayed machine is moved out of it for the timed loop.
final class ProtocolWorkload {
    /// What a batch is replayed into.
    enum Target {
        /// The broadcaster state machine: `handle(_:at:into:)` for every input.
        case machine
        /// A bare `BranchTree`: only the `join` or `leave` that an input causes (the
        /// other inputs cost nothing). Timed per input, like ``machine``, so the two
        /// times compare directly: their ratio is the tree operations' share.
        case treeOperations
    }

    /// One input, when it arrives, and the tree operation it causes, if any.
    struct Delivery {
        var input: BroadcasterStateMachine.Input
        var time: Timestamp
        var treeOperation: TreeOperation?
    }

    /// The kinds of input in the stream (see the top of the file), each checked to do
    /// what it should when the shadow handles it.
    enum Kind {
        case departure, firstViewerClosed, staleCloseBranch, arrival, duplicateJoin, placedJoin
        case requestStream, downstreamConnected, timerFired
    }

    let policy: Policy
    let size: Int
    let target: Target

    private static let duplicateJoinProbability = 0.25
    private static let placedJoinProbability = 0.25
    private static let inputSpacing: Int64 = 500_000  // ns

    /// The generator's copy, ahead of the replayed one by the inputs in `pending`.
    private var shadow: BroadcasterStateMachine
    /// The replayed copy (for ``Target/machine``) or tree (``Target/treeOperations``).
    private var machine: BroadcasterStateMachine?
    private var tree: BranchTree?
    /// Generated and not yet replayed, in order.
    private var pending: [Delivery] = []
    /// The current batch.
    private var batch: [Delivery] = []
    /// Reused by the timed loop.
    private var actions: [BroadcasterAction] = []
    private var recording = false

    /// The viewers in the tree, in an order only this workload decides.
    private var present: [ViewerID] = []
    /// Each viewer's link epoch as its latest record (`branch_data`) said: what a moved
    /// viewer's old parent still believes after the move.
    private var recordedEpochs: [ViewerID: UInt64] = [:]
    private var random: Xoshiro256StarStar
    private var idSource: ViewerIDSource
    private var clock = Timestamp.zero
    /// The downstream timers the machine asked for and that have not fired.
    private var timerDeadlines: [Timestamp] = []
    /// The first viewer and its link epoch, as last announced by `request_stream`.
    private var firstViewer: (id: ViewerID, epoch: UInt64)?
    /// Scratch for the shadow's actions, and what the last input led to.
    private var shadowActions: [BroadcasterAction] = []
    private var staleReports: [(parent: ViewerID, child: ViewerID, epoch: UInt64)] = []

    /// Builds the steady state: `size` arrivals through the machine, then `size / 2`
    /// cycles of churn (as many operations as ``ChurnWorkload`` churns), none recorded.
    init(policy: Policy, size: Int, target: Target, seed: UInt64 = 0xB7A1_C4EE) throws(BranchTreeError) {
        self.policy = policy
        self.size = size
        self.target = target
        self.random = Xoshiro256StarStar(seed: seed)
        self.idSource = ViewerIDSource(style: .short, seed: seed &+ 1)
        self.shadow = BroadcasterStateMachine(tree: try BranchTree(fanout: 3, policy: policy))
        present.reserveCapacity(size + 1)
        recordedEpochs.reserveCapacity(size + 1)
        for _ in 0..<size { arrive() }
        for _ in 0..<size / 2 { cycle() }
        switch target {
        case .machine: machine = shadow
        case .treeOperations: tree = shadow.tree
        }
        recording = true
        actions.reserveCapacity(64)
    }

    /// The viewers in the replayed machine or tree.
    var viewerCount: Int { machine?.tree.count ?? tree?.count ?? 0 }

    // MARK: Generating (untimed)

    /// Makes the next `count` inputs the current batch, generating whole cycles as needed.
    func prepare(_ count: Int) {
        while pending.count < count { cycle() }
        batch.removeAll(keepingCapacity: true)
        batch.append(contentsOf: pending[..<count])
        pending.removeFirst(count)
    }

    /// One departure and one arrival, with the inputs that come with them.
    private func cycle() {
        fireDueTimers()
        depart()
        fireDueTimers()
        arrive()
        if random.nextBool(probability: Self.duplicateJoinProbability) {
            deliver(.received(.join(.init()), from: present[present.count - 1]), as: .duplicateJoin)
        }
        if random.nextBool(probability: Self.placedJoinProbability) {
            deliver(.received(.join(.init()), from: present[random.next(below: present.count)]), as: .placedJoin)
        }
    }

    private func depart() {
        let index = random.next(below: present.count)
        present.swapAt(index, present.count - 1)
        let leaver = present.removeLast()
        // Read straight from the shadow: a local copy of its tree still alive when the
        // shadow changes would make every change copy the whole tree.
        guard let parent = try? shadow.tree.parent(of: leaver), let epoch = try? shadow.tree.linkEpoch(of: leaver)
        else { preconditionFailure("\(leaver) is present but not in the tree") }
        precondition(recordedEpochs[leaver] == epoch, "\(leaver)'s last record has another epoch")
        if parent == shadow.tree.broadcaster {
            deliver(.downstreamClosed(leaver), as: .firstViewerClosed)
        } else {
            deliver(.received(.closeBranch(.init(child: leaver, epoch: epoch)), from: parent), as: .departure)
        }
        recordedEpochs[leaver] = nil
        let reports = staleReports
        for report in reports where shadow.tree.contains(report.parent) {
            deliver(
                .received(.closeBranch(.init(child: report.child, epoch: report.epoch)), from: report.parent),
                as: .staleCloseBranch)
        }
        followFirstViewer()
    }

    private func arrive() {
        let id = idSource.next()
        present.append(id)
        deliver(.received(.join(.init()), from: id), as: .arrival)
        followFirstViewer()
    }

    /// When the first viewer or its link changed: its `request_stream`, then the link up.
    private func followFirstViewer() {
        guard let first = try? shadow.tree.children(of: shadow.tree.broadcaster).first,
            let epoch = try? shadow.tree.linkEpoch(of: first)
        else { return }
        if let current = firstViewer, current.id == first, current.epoch == epoch { return }
        firstViewer = (first, epoch)
        deliver(.received(.requestStream(.init(epoch: epoch)), from: first), as: .requestStream)
        deliver(.downstreamConnected(first), as: .downstreamConnected)
    }

    private func fireDueTimers() {
        guard timerDeadlines.contains(where: { $0 <= clock }) else { return }
        timerDeadlines.removeAll { $0 <= clock }
        deliver(.timerFired(.downstream), as: .timerFired)
    }

    /// Hands `input` to the shadow, checks it did what its kind promises, notes what it
    /// tells the generator, and records it.
    private func deliver(_ input: BroadcasterStateMachine.Input, as kind: Kind) {
        shadowActions.removeAll(keepingCapacity: true)
        shadow.handle(input, at: clock, into: &shadowActions)
        staleReports.removeAll(keepingCapacity: true)
        var operation: TreeOperation?
        var ignored = false
        var removed = false
        for action in shadowActions {
            switch action {
            case .treeChanged(let change):
                switch change.outcome {
                case .joined: operation = .join(change.subject)
                case .left: operation = .leave(change.subject)
                case .alreadyPresent: break
                }
                // Read before the records below replace them.
                for move in change.moves {
                    guard let epoch = recordedEpochs[move.viewer] else {
                        preconditionFailure("moved viewer \(move.viewer) never had a record")
                    }
                    staleReports.append((move.fromParent, move.viewer, epoch))
                }
            case .send(.branchData(let record), let recipient):
                recordedEpochs[recipient] = record.epoch
            case .setTimer(.downstream, let due):
                timerDeadlines.append(due)
            case .viewerRemoved:
                removed = true
            case .ignored:
                ignored = true
            default:
                break
            }
        }
        switch kind {
        case .departure, .firstViewerClosed:
            precondition(removed && operation != nil, "a departure report did not remove its viewer")
        case .arrival:
            precondition(operation != nil, "a fresh join changed nothing")
        case .staleCloseBranch:
            precondition(ignored && operation == nil, "a stale close_branch was not ignored")
        case .duplicateJoin, .placedJoin:
            precondition(operation == nil && shadowActions.count == 1, "a re-sent join did more than answer")
        case .requestStream, .downstreamConnected:
            precondition(!ignored, "the new first viewer's \(kind) was ignored")
        case .timerFired:
            precondition(operation == nil, "a timer changed the tree")
        }
        if recording {
            pending.append(Delivery(input: input, time: clock, treeOperation: operation))
        }
        clock = Timestamp(nanoseconds: clock.nanoseconds + Self.inputSpacing)
    }

    // MARK: Replaying

    /// Replays the current batch; times exactly the replay when given a benchmark.
    func replay(measuring benchmark: Benchmark? = nil) {
        let batch = self.batch
        switch target {
        case .machine:
            var machine = self.machine.take()!
            var actions = self.actions
            self.actions = []
            defer {
                self.machine = machine
                self.actions = actions
            }
            benchmark?.startMeasurement()
            for delivery in batch {
                actions.removeAll(keepingCapacity: true)
                machine.handle(delivery.input, at: delivery.time, into: &actions)
            }
            benchmark?.stopMeasurement()
        case .treeOperations:
            var tree = self.tree.take()!
            defer { self.tree = tree }
            benchmark?.startMeasurement()
            for delivery in batch {
                guard let operation = delivery.treeOperation else { continue }
                do {
                    try tree.apply(operation)
                } catch {
                    preconditionFailure("replaying \(operation) failed: \(error)")
                }
            }
            benchmark?.stopMeasurement()
        }
    }

    /// Replays what is still pending (untimed) and checks that the replayed copy ended
    /// exactly where the shadow is.
    func finish() {
        if !pending.isEmpty {
            prepare(pending.count)
            replay()
        }
        let replayed = machine?.tree ?? tree!
        precondition(
            replayed.version == shadow.tree.version && replayed.count == shadow.tree.count
                && replayed.levels == shadow.tree.levels,
            "the replay diverged from the stream's generator")
    }
}
