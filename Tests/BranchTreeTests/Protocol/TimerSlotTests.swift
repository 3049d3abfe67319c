import Testing

@testable import BranchTree

@Suite struct TimerSlotTests {
    /// The slot as first written, with an optional: the rules the packed slot must keep.
    struct Reference {
        var armed: Timestamp?

        mutating func needsTimer(for deadline: Timestamp) -> Bool {
            if let armed, armed <= deadline { return false }
            armed = deadline
            return true
        }

        mutating func fired(at now: Timestamp) {
            if let armed, armed <= now { self.armed = nil }
        }

        mutating func dropped(due: Timestamp) {
            if armed == due { armed = nil }
        }
    }

    /// Random asks, firings and drops, with times drawn close together so that ties, earlier
    /// and later deadlines all occur, answer as the reference does — but for a deadline
    /// at the earliest instant, which the slot never remembers (an extra timer, which a
    /// machine ignores).
    @Test(arguments: 0..<20)
    func answersAsTheOptionalSlotDid(seed: UInt64) {
        var random = Xoshiro256StarStar(seed: seed)
        var slot = TimerSlot()
        var reference = Reference()
        for step in 0..<2_000 {
            let time = Timestamp(nanoseconds: Int64(random.next() % 50))
            if random.next() % 2 == 0 {
                let needed = slot.needsTimer(for: time)
                let expected = reference.needsTimer(for: time)
                #expect(needed == expected, "seed \(seed), step \(step)")
            } else if random.next() % 4 == 0 {
                slot.dropped(due: time)
                reference.dropped(due: time)
            } else {
                slot.fired(at: time)
                reference.fired(at: time)
            }
        }
    }

    @Test func droppingForgetsOnlyTheTimerRemembered() {
        var slot = TimerSlot()
        _ = slot.needsTimer(for: .seconds(5))
        slot.dropped(due: .seconds(9))  // not the one remembered: 5 s still covers 6 s
        let afterOtherDrop = slot.needsTimer(for: .seconds(6))
        slot.dropped(due: .seconds(5))
        let afterDrop = slot.needsTimer(for: .seconds(6))
        #expect(!afterOtherDrop && afterDrop)
    }

    @Test func theEarliestInstantIsNeverRemembered() {
        var slot = TimerSlot()
        let answers = [
            slot.needsTimer(for: Timestamp(nanoseconds: .min)), slot.needsTimer(for: Timestamp(nanoseconds: .min)),
            slot.needsTimer(for: .zero), slot.needsTimer(for: .seconds(1)),
        ]
        #expect(answers == [true, true, true, false])
    }

    /// The point of the packing: three slots side by side take 24 bytes, not 48.
    @Test func aSlotTakesEightBytes() {
        #expect(MemoryLayout<TimerSlot>.size == 8)
        #expect(MemoryLayout<(TimerSlot, TimerSlot, TimerSlot)>.size == 24)
    }
}
