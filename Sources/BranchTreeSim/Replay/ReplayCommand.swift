import BranchTree

/// `branchtree-sim replay`: replays a JSON Lines log of joins and leaves through a
/// ``BranchTree``, and broadcaster restarts through the protocol's
/// ``BroadcasterStateMachine``, and prints the tree as JSON — the final state, or with
/// `--each` one line per operation with what it changed.
///
///     branchtree-sim replay --fanout 2 Examples/seed-worked-example.jsonl
///     branchtree-sim replay --restart-strategy reconnect-all Examples/restart.jsonl
///     tail -f signalling.jsonl | branchtree-sim replay --each -
///
/// Exit status: 0 done; 64 usage error; 65 a bad line (malformed, or refused by the
/// tree), reported as `Error: line N: …`, after which nothing more is read; 66 the file
/// is missing or unreadable; 74 a read failed part-way.
package enum ReplayCommand: Subcommand {
    package static let fanout = TypedOption(
        name: "fanout", valueName: "n",
        help: "The most viewers each viewer relays to, in \(BranchTree.Configuration.fanoutRange).",
        parser: .integer(in: BranchTree.Configuration.fanoutRange), default: 3)
    package static let broadcasterFanout = TypedOption(
        name: "broadcaster-fanout", valueName: "n",
        help: "How many first viewers the broadcaster feeds, in \(BranchTree.Configuration.fanoutRange).",
        parser: .integer(in: BranchTree.Configuration.fanoutRange), default: 1)
    package static let policy = TypedOption(
        name: "policy", valueName: "name",
        help: "The repair when a viewer leaves: skyway (the tail takes its place), rejoin "
            + "(its children rejoin with their subtrees) or stable (its oldest child climbs, the "
            + "oldest leaf fills in).",
        parser: .choice(Policy.self), default: Policy.skyway)
    package static let rootID = TypedOption(
        name: "root-id", valueName: "id", help: "The broadcaster's id.", parser: .nonEmptyString,
        default: "root")
    package static let restartStrategy = TypedOption(
        name: "restart-strategy", valueName: "name",
        help: "How a restart line brings the audience back when it names no strategy: restore (keep "
            + "the tree) or reconnect-all (the seed's: everyone rejoins).",
        parser: .choice(RestartStrategy.self), default: RestartStrategy.restore)
    package static let each = Flag(
        name: "each", help: "Print one compact JSON line after every operation instead of the final state.")
    package static let file = ArgumentSpec(
        name: "file", help: "The JSON Lines log to replay, or '-' for standard input.")

    package static let spec = CommandSpec(
        name: "replay",
        abstract: "Replay a JSON Lines log of joins, leaves and restarts; print the tree.",
        discussion: """
            Each line of <file> is one operation; blank lines are skipped:
              {"op":"join","id":"B"}
              {"op":"join","id":"C","relayable":false}
              {"op":"join","id":"D","capacity":1}
              {"op":"leave","id":"B"}
              {"op":"restart","strategy":"restore","missing":["C"]}
            A restart runs the broadcaster's protocol machine from the current tree; every
            viewer but the missing ones answers it. Prints the final levels, nodes and a
            summary as one JSON object; with --each, one JSON line per operation with its
            step, op, id, what changed, and the tree.

            Exit status: 0 success, 64 usage error, 65 bad line (reported as
            'Error: line N: ...'; lines before it were applied), 66 file missing or
            unreadable, 74 read error.
            """,
        options: [fanout.spec, broadcasterFanout.spec, policy.spec, rootID.spec, restartStrategy.spec, each.spec],
        arguments: [file])

    package static func run<Output: TextOutputStream, ErrorOutput: TextOutputStream>(
        _ arguments: ParsedArguments, io: inout CommandIO<Output, ErrorOutput>
    ) throws(CommandError) {
        let fanout = try arguments.value(of: Self.fanout)
        let broadcasterFanout = try arguments.value(of: Self.broadcasterFanout)
        let policy = try arguments.value(of: Self.policy)
        let rootID = try arguments.value(of: Self.rootID)
        let restartStrategy = try arguments.value(of: Self.restartStrategy)
        let each = arguments.isSet(Self.each)
        let path = arguments.argument(Self.file) ?? "-"

        var session: ReplaySession
        do {
            let configuration = try BranchTree.Configuration(
                fanout: fanout, broadcasterFanout: broadcasterFanout, policy: policy)
            session = try ReplaySession(
                broadcaster: ViewerID(rootID), configuration: configuration, restartStrategy: restartStrategy)
        } catch {
            throw .usage(error.description)
        }
        var reader = path == "-" ? LineReader(source: io.stdin) : try LineReader(path: path)

        var lineNumber = 0
        while let line = try reader.nextLine() {
            lineNumber += 1
            do {
                guard let entry = try ReplayLineParser.parse(line, line: lineNumber) else { continue }
                let change = try session.apply(entry)
                guard each else { continue }
                let step: JSONValue
                switch change {
                case .tree(let change):
                    step = ReplayReport.step(session.step, entry: entry, change: change, tree: session.tree)
                case .restart(let outcome):
                    step = ReplayReport.restartStep(
                        session.step, line: entry.line, outcome: outcome, tree: session.tree)
                }
                io.stdout.write(JSONWriter.string(step, style: .compact) + "\n")
            } catch {
                throw .dataError(error.description)
            }
        }
        if !each {
            let final = ReplayReport.final(tree: session.tree, summary: session.summary)
            io.stdout.write(JSONWriter.string(final, style: .pretty) + "\n")
        }
    }
}
