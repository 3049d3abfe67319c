import Testing

@testable import RelayServer

@Suite("ConnectionGuard")
struct ConnectionGuardTests {
    static let limits = ConnectionGuard.Limits(
        framesPerSecond: 10, frameBurst: 5, strikeBurst: 3, strikesForgivenPerSecond: 1)

    @Test("A burst is admitted, then frames are throttled at the rate, with one notice a second")
    func throttles() {
        var guardrail = ConnectionGuard(limits: Self.limits, now: 0)
        let verdicts = [0, 0, 0, 0, 0, 0, 0.01, 0.2].map { guardrail.admit(at: $0) }
        // 0.2 s refilled two frames.
        #expect(
            verdicts == Array(repeating: .admit, count: 5) + [
                .throttle(notify: true), .throttle(notify: false), .admit,
            ])
    }

    @Test("A flood that does not stop is closed")
    func floodCloses() {
        var guardrail = ConnectionGuard(limits: Self.limits, now: 0)
        var verdicts: [ConnectionGuard.Verdict] = []
        for _ in 0..<20 { verdicts.append(guardrail.admit(at: 0)) }
        #expect(verdicts.last == .close)
        #expect(verdicts.filter { $0 == .admit }.count == 5)
    }

    @Test("Refused frames are forgiven over time; too many at once close the connection")
    func strikes() {
        var guardrail = ConnectionGuard(limits: Self.limits, now: 0)
        let first = guardrail.strike(weight: 3, at: 0)
        let fourth = guardrail.strike(at: 0)
        #expect(!first && fourth)
        var patient = ConnectionGuard(limits: Self.limits, now: 0)
        let closes = (0..<30).map { patient.strike(at: Double($0)) }
        #expect(!closes.contains(true))
    }

    @Test("A frame for a link a repair just cut weighs a quarter: a race is not abuse, a stream of them is")
    func notLinkedWeighsLess() {
        let raced = ProtocolError(.notLinked, "gone")
        #expect(raced.strikeWeight == 0.25 && ProtocolError(.notYourID, "no").strikeWeight == 1)
        var guardrail = ConnectionGuard(limits: Self.limits, now: 0)
        let twelve = (0..<12).map { _ in guardrail.strike(weight: raced.strikeWeight, at: 0) }
        let thirteenth = guardrail.strike(weight: raced.strikeWeight, at: 0)
        #expect(!twelve.contains(true))  // 3 strikes' worth
        #expect(thirteenth)
    }
}
