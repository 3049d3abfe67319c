import Foundation

/// A clock that moves only when a test moves it, readable from any thread.
///
///     let clock = ManualClock()
///     clock.advance(by: .seconds(5))
///     clock.now()   // 5 s after it was made
///
/// `@unchecked Sendable` is sound: `current` is only touched with `lock` held.
final class ManualClock: @unchecked Sendable {
    let start = ContinuousClock.now
    private let lock = NSLock()
    private var current: ContinuousClock.Instant

    init() {
        current = start
    }

    func now() -> ContinuousClock.Instant {
        lock.withLock { current }
    }

    func advance(by duration: Duration) {
        lock.withLock { current += duration }
    }
}
