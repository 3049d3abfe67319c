import Foundation

/// The run's figures: a short table for people, JSON for tools.
struct Report {
    static let targetViewers = 2000
    static let targetJoinP99Milliseconds = 50.0

    let options: Options
    let url: String
    let serverPID: Int32?
    let spawned: Bool
    let outcome: Run.Outcome
    let stats: Stats.Counters
    let sampler: Sampler
    let elapsedSeconds: Double
    let runProblems: [String]

    var join: Distribution { Distribution(stats.joinLatencies) }
    var connect: Distribution { Distribution(stats.connectLatencies) }
    var connectFailures: Int { stats.connectFailures.values.reduce(0, +) }
    var drops: Int { stats.drops.values.reduce(0, +) }

    /// Every problem that fails the run: the tree check's, lost viewers, and the run's own.
    var problems: [String] {
        var list = runProblems
        if let check = outcome.check {
            list += check.problems
        } else if !outcome.aborted {
            list.append("the tree was not checked")
        }
        if drops > 0 {
            let hows = stats.drops.sorted { $0.value > $1.value }.prefix(3).map { "\($0.value)× \($0.key)" }.joined(
                separator: "; ")
            list.append("\(drops) viewers lost: the server ended their socket while the client held them (\(hows))")
        }
        if connectFailures > 0 {
            let whys = stats.connectFailures.sorted { $0.value > $1.value }.prefix(3).map { "\($0.value)× \($0.key)" }
                .joined(separator: "; ")
            list.append("\(connectFailures) WebSocket connections failed (\(whys))")
        }
        if outcome.unsettled > 0 {
            list.append(
                "\(outcome.unsettled) viewers were not placed with a confirmed upstream after \(options.settleSeconds) s"
            )
        }
        if let how = stats.broadcasterDrop, !outcome.aborted {
            list.append("the server ended the broadcaster's socket during the run (\(how))")
        }
        if stats.unreadable > 0 { list.append("\(stats.unreadable) inbound frames were not JSON objects with a type") }
        return list
    }

    var passed: Bool { problems.isEmpty }

    /// Remarks that fail nothing: the driver's, and other processes' CPU use.
    var notes: [String] {
        var list = outcome.notes
        if let cores = outcome.cores, cores.others > 0.25 {
            list.append(
                String(
                    format:
                        "other processes used %.2f of the %d cores during the run: the latencies include their doing",
                    cores.others, CPUTimes.cores))
        }
        return list
    }

    var memoryPerViewerKiB: Double? {
        guard let before = outcome.rssBeforeKiB, let full = outcome.rssAtFullKiB, outcome.viewersAtFull > 0 else {
            return nil
        }
        return Double(full - before) / Double(outcome.viewersAtFull)
    }

    var memoryPeakPerViewerKiB: Double? {
        guard let before = outcome.rssBeforeKiB, let peak = sampler.peakKiB, stats.peakConnected > 0 else { return nil }
        return Double(peak - before) / Double(stats.peakConnected)
    }

    var targetMet: Bool {
        stats.peakConnected >= Self.targetViewers && join.count > 0 && join.p99 < Self.targetJoinP99Milliseconds
    }

    func print(json: Bool) {
        let table = self.table()
        if json {
            printError(table)
            let data =
                (try? JSONSerialization.data(withJSONObject: jsonObject(), options: [.prettyPrinted, .sortedKeys]))
                ?? Data()
            Swift.print(String(decoding: data, as: UTF8.self))
        } else {
            Swift.print(table)
        }
    }

    func table() -> String {
        if outcome.aborted {
            let head = "branchtree-relay-load: \(url) room \(options.room): the run could not be carried out"
            return ([head] + problems.map { "  - \($0)" }).joined(separator: "\n")
        }
        func ms(_ x: Double) -> String { String(format: "%.1f ms", x) }
        func seconds(_ x: Double) -> String { String(format: "%.1f s", x) }
        func rate(_ n: Int, _ seconds: Double) -> String {
            seconds > 0 ? String(format: "%.0f/s", Double(n) / seconds) : "-"
        }
        func spread(_ d: Distribution) -> String {
            "p50 \(ms(d.p50))  p90 \(ms(d.p90))  p99 \(ms(d.p99))  max \(ms(d.max))  (n=\(d.count))"
        }
        var lines: [String] = []
        let server = serverPID.map { "server pid \($0)\(spawned ? " (spawned)" : "")" } ?? "server pid unknown"
        lines.append(
            "branchtree-relay-load: \(url) room \(options.room), \(options.viewers) viewers at \(options.rate)/s, "
                + "churn \(options.duration) s, seed \(options.seed), \(server)")
        let held = outcome.check?.clientConnected ?? stats.connected
        lines.append(
            "  viewers    opened \(stats.viewersOpened), left \(stats.viewersLeft), peak concurrent \(stats.peakConnected), "
                + "connected at the check \(held), failed \(connectFailures), dropped \(drops), "
                + "left before placed \(stats.goneBeforePlaced)")
        lines.append("  join       hello→placed \(spread(join))")
        for phase in ["ramp", "churn", "settle"] {
            guard let values = stats.joinLatenciesByPhase[phase], !values.isEmpty else { continue }
            lines.append(
                "    \(phase.padding(toLength: 8, withPad: " ", startingAt: 0))\(spread(Distribution(values)))")
        }
        let w = Distribution(stats.welcomeLatencies)
        lines.append("  welcome    hello→welcome p50 \(ms(w.p50))  p99 \(ms(w.p99))  max \(ms(w.max))")
        let c = connect
        lines.append("  connect    TCP+upgrade p50 \(ms(c.p50))  p99 \(ms(c.p99))  max \(ms(c.max))")
        let churn = outcome.churnSeconds
        lines.append(
            "  messages   sent \(stats.sent) (\(rate(stats.sent, elapsedSeconds))), "
                + "received \(stats.received) (\(rate(stats.received, elapsedSeconds))) over \(seconds(elapsedSeconds)); "
                + "churn: sent \(rate(outcome.messagesDuringChurn.sent, churn)), "
                + "received \(rate(outcome.messagesDuringChurn.received, churn))")
        let errors = stats.errorsByCode.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        if errors.isEmpty {
            lines.append("  errors     none")
        } else {
            lines.append(
                "  errors     \(errors.joined(separator: ", ")) (broadcaster \(stats.broadcasterErrors), "
                    + "most on one viewer \(stats.mostErrorsOnOneViewer))")
        }
        if let before = outcome.rssBeforeKiB, let full = outcome.rssAtFullKiB, let perViewer = memoryPerViewerKiB {
            let peak = sampler.peakKiB.map { ", peak \(mib($0))" } ?? ""
            let peakPer = memoryPeakPerViewerKiB.map { String(format: " (peak %.1f)", $0) } ?? ""
            lines.append(
                "  server RSS \(mib(before)) before, \(mib(full)) at \(outcome.viewersAtFull) viewers\(peak): "
                    + String(format: "%.1f", perViewer) + " KiB per viewer\(peakPer)")
        } else {
            lines.append("  server RSS not measured (give --spawn-server, or --server-pid)")
        }
        if let cores = outcome.cores {
            let server = cores.server.map { String(format: "%.2f", $0) } ?? "?"
            lines.append(
                "  CPU        cores in use (of \(CPUTimes.cores)), ramp to check: server \(server), "
                    + String(
                        format: "client %.2f, other processes %.2f, machine %.2f", cores.client, cores.others,
                        cores.machine))
        }
        if let check = outcome.check {
            let verdict =
                check.passed ? "every connected viewer present, parents exist, children ≤ fanout" : "CHECK FAILED"
            lines.append(
                "  tree       \(check.treeViewers) viewers, \(check.waiting) waiting, fanout \(check.fanout), "
                    + "height \(check.height), most children \(check.maxChildren): \(verdict)")
        }
        lines.append(
            "  phases     ramp \(seconds(outcome.rampSeconds)), churn \(seconds(churn)), "
                + "settle \(seconds(outcome.settleSeconds)), teardown \(seconds(outcome.teardownSeconds))")
        lines.append(
            "  target     \(Self.targetViewers) concurrent viewers, join p99 < \(Int(Self.targetJoinP99Milliseconds)) ms: "
                + (targetMet ? "met" : "not met"))
        for note in notes { lines.append("  note       \(note)") }
        let problems = self.problems
        if problems.isEmpty {
            lines.append("  result     PASS")
        } else {
            lines.append("  result     FAIL")
            for problem in problems { lines.append("    - \(problem)") }
        }
        return lines.joined(separator: "\n")
    }

    func jsonObject() -> [String: Any] {
        var memory: [String: Any] = ["pid": serverPID.map { Int($0) } as Any? ?? NSNull()]
        memory["rssBeforeKiB"] = outcome.rssBeforeKiB ?? NSNull() as Any
        memory["rssAtFullKiB"] = outcome.rssAtFullKiB ?? NSNull() as Any
        memory["viewersAtFull"] = outcome.viewersAtFull
        memory["rssPeakKiB"] = sampler.peakKiB ?? NSNull() as Any
        memory["perViewerKiB"] = memoryPerViewerKiB.map(round3) ?? NSNull() as Any
        memory["peakPerViewerKiB"] = memoryPeakPerViewerKiB.map(round3) ?? NSNull() as Any
        var object: [String: Any] = [
            "passed": passed,
            "problems": problems,
            "notes": notes,
            "config": [
                "url": url, "room": options.room, "viewers": options.viewers, "rate": options.rate,
                "duration": options.duration, "seed": String(options.seed), "spawned": spawned,
                "fanout": outcome.check?.fanout ?? options.fanout, "settleSeconds": options.settleSeconds,
                "serverArguments": options.serverArguments,
                "churnDigest": String(outcome.churnDigest, radix: 16),
            ] as [String: Any],
            "viewers": [
                "opened": stats.viewersOpened, "left": stats.viewersLeft, "peakConcurrent": stats.peakConnected,
                "connectedAtCheck": outcome.check?.clientConnected ?? stats.connected,
                "connectFailures": connectFailures, "dropped": drops, "unsettled": outcome.unsettled,
                "leftBeforePlaced": stats.goneBeforePlaced,
            ] as [String: Any],
            "joinLatencyMs": join.json,
            "joinLatencyMsByPhase": stats.joinLatenciesByPhase.mapValues { Distribution($0).json },
            "cpuCores": outcome.cores.map { cores -> [String: Any] in
                [
                    "of": CPUTimes.cores, "machine": round3(cores.machine),
                    "server": cores.server.map(round3) ?? NSNull() as Any,
                    "client": round3(cores.client), "otherProcesses": round3(cores.others),
                ]
            } ?? NSNull() as Any,
            "connectLatencyMs": connect.json,
            "welcomeLatencyMs": Distribution(stats.welcomeLatencies).json,
            "messages": [
                "sent": stats.sent, "received": stats.received, "elapsedSeconds": round3(elapsedSeconds),
                "sentPerSecond": round3(Double(stats.sent) / max(elapsedSeconds, 0.001)),
                "receivedPerSecond": round3(Double(stats.received) / max(elapsedSeconds, 0.001)),
                "churnSentPerSecond": outcome.churnSeconds > 0
                    ? round3(Double(outcome.messagesDuringChurn.sent) / outcome.churnSeconds) : 0,
                "churnReceivedPerSecond": outcome.churnSeconds > 0
                    ? round3(Double(outcome.messagesDuringChurn.received) / outcome.churnSeconds) : 0,
                "sentByType": stats.sentByType, "receivedByType": stats.receivedByType,
            ] as [String: Any],
            "errorsByCode": stats.errorsByCode,
            "broadcasterErrors": stats.broadcasterErrors,
            "mostErrorsOnOneViewer": stats.mostErrorsOnOneViewer,
            "drops": stats.drops,
            "connectFailures": stats.connectFailures,
            "serverMemory": memory,
            "phasesSeconds": [
                "ramp": round3(outcome.rampSeconds), "churn": round3(outcome.churnSeconds),
                "settle": round3(outcome.settleSeconds), "teardown": round3(outcome.teardownSeconds),
            ],
            "target": [
                "viewers": Self.targetViewers, "joinP99Ms": Self.targetJoinP99Milliseconds, "met": targetMet,
            ] as [String: Any],
            "timeline": sampler.points.map { point -> [String: Any] in
                [
                    "t": round3(point.seconds), "phase": point.phase, "connected": point.connected, "sent": point.sent,
                    "received": point.received, "rssKiB": point.rssKiB ?? NSNull() as Any, "joins": point.joins,
                    "joinMaxMs": round3(point.joinMaxMilliseconds),
                    "serverCores": point.serverCores.map(round3) ?? NSNull() as Any,
                    "clientCores": point.clientCores.map(round3) ?? NSNull() as Any,
                    "otherCores": point.otherCores.map(round3) ?? NSNull() as Any,
                ]
            },
        ]
        object["tree"] = outcome.check?.json ?? NSNull() as Any
        object["serverStats"] = outcome.serverStats ?? NSNull() as Any
        return object
    }
}
