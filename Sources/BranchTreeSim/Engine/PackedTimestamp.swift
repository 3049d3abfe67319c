import BranchTree

/// An optional instant in 8 bytes instead of an optional's 16: the earliest instant,
/// which no simulated event has, stands for none. A viewer record holds three, at a
/// million records and more.
@propertyWrapper
struct PackedTimestamp: Sendable {
    private var nanoseconds = Int64.min

    init(wrappedValue: Timestamp?) {
        self.wrappedValue = wrappedValue
    }

    var wrappedValue: Timestamp? {
        get { nanoseconds == .min ? nil : Timestamp(nanoseconds: nanoseconds) }
        set {
            precondition(newValue?.nanoseconds != .min, "the earliest instant stands for no time")
            nanoseconds = newValue?.nanoseconds ?? .min
        }
    }
}
