import Foundation

/// Counters shared by every simulated page; one lock, taken for a few instructions per message.
final class Stats: @unchecked Sendable {
    struct Counters: Sendable {
        var sent = 0
        var received = 0
        var sentByType: [String: Int] = [:]
        var receivedByType: [String: Int] = [:]
        var errorsByCode: [String: Int] = [:]
        /// Milliseconds from sending `hello` to the first `placed`, one per viewer placed.
        var joinLatencies: [Double] = []
        /// The same, by the driver's phase when the viewer was placed (ramp, churn, ...).
        var joinLatenciesByPhase: [String: [Double]] = [:]
        /// Joins and the slowest join since the sampler last looked (for the timeline).
        var windowJoins = 0
        var windowJoinMax = 0.0
        /// The driver's phase.
        var phase = "start"
        /// Milliseconds from sending `hello` to `welcome`.
        var welcomeLatencies: [Double] = []
        /// Milliseconds from starting the connection to the open WebSocket (TCP + upgrade).
        var connectLatencies: [Double] = []
        var connectFailures: [String: Int] = [:]
        /// Viewers whose socket the server ended while the client held them, by how.
        var drops: [String: Int] = [:]
        /// `error` frames the broadcaster received, and the most any one viewer received.
        var broadcasterErrors = 0
        var mostErrorsOnOneViewer = 0
        /// How the broadcaster's socket ended while the client held it, if it did.
        var broadcasterDrop: String?
        /// Inbound frames that were not a JSON object with a string `type`.
        var unreadable = 0
        /// Viewers currently welcomed and not leaving.
        var connected = 0
        var peakConnected = 0
        /// Page tasks still running (connecting, open or closing).
        var runningTasks = 0
        var viewersOpened = 0
        var viewersLeft = 0
        /// Viewers that went (asked to, or dropped) before their first `placed`.
        var goneBeforePlaced = 0
    }

    private let lock = NSLock()
    private var counters = Counters()

    func snapshot() -> Counters { lock.withLock { counters } }

    func withCounters<T>(_ body: (inout Counters) -> T) -> T { lock.withLock { body(&counters) } }

    func sent(_ type: String) {
        lock.withLock {
            counters.sent += 1
            counters.sentByType[type, default: 0] += 1
        }
    }

    func received(_ type: String) {
        lock.withLock {
            counters.received += 1
            counters.receivedByType[type, default: 0] += 1
        }
    }

    func receivedUnreadable() {
        lock.withLock {
            counters.received += 1
            counters.unreadable += 1
        }
    }

    func error(_ code: String) { lock.withLock { counters.errorsByCode[code, default: 0] += 1 } }

    func joined(afterMilliseconds ms: Double) {
        lock.withLock {
            counters.joinLatencies.append(ms)
            counters.joinLatenciesByPhase[counters.phase, default: []].append(ms)
            counters.windowJoins += 1
            counters.windowJoinMax = max(counters.windowJoinMax, ms)
        }
    }

    /// The joins since the last call, and the slowest of them.
    func takeWindow() -> (joins: Int, maxMilliseconds: Double) {
        lock.withLock {
            defer {
                counters.windowJoins = 0
                counters.windowJoinMax = 0
            }
            return (counters.windowJoins, counters.windowJoinMax)
        }
    }

    var phase: String {
        get { lock.withLock { counters.phase } }
        set { lock.withLock { counters.phase = newValue } }
    }

    func welcomed(afterMilliseconds ms: Double) { lock.withLock { counters.welcomeLatencies.append(ms) } }

    func connected(afterMilliseconds ms: Double) { lock.withLock { counters.connectLatencies.append(ms) } }

    func connectFailed(_ reason: String) { lock.withLock { counters.connectFailures[reason, default: 0] += 1 } }

    func dropped(_ how: String) { lock.withLock { counters.drops[how, default: 0] += 1 } }

    func viewerWelcomed() {
        lock.withLock {
            counters.connected += 1
            counters.peakConnected = max(counters.peakConnected, counters.connected)
        }
    }

    func viewerGone() { lock.withLock { counters.connected -= 1 } }

    func taskStarted() { lock.withLock { counters.runningTasks += 1 } }

    func taskEnded() { lock.withLock { counters.runningTasks -= 1 } }
}

/// Nearest-rank percentiles of a sample in milliseconds.
struct Distribution: Sendable {
    var count = 0
    var mean = 0.0
    var p50 = 0.0
    var p90 = 0.0
    var p99 = 0.0
    var max = 0.0

    init(_ values: [Double]) {
        guard !values.isEmpty else { return }
        let sorted = values.sorted()
        count = sorted.count
        mean = sorted.reduce(0, +) / Double(sorted.count)
        func rank(_ p: Double) -> Double {
            let index = Int((p * Double(sorted.count)).rounded(.up)) - 1
            return sorted[Swift.max(0, Swift.min(sorted.count - 1, index))]
        }
        p50 = rank(0.50)
        p90 = rank(0.90)
        p99 = rank(0.99)
        max = sorted[sorted.count - 1]
    }

    var json: [String: Any] {
        [
            "count": count, "mean": round3(mean), "p50": round3(p50), "p90": round3(p90), "p99": round3(p99),
            "max": round3(max),
        ]
    }
}

func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
