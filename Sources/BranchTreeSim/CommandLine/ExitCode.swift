/// A process exit status, with the `sysexits.h` values the simulator uses.
///
///     return ExitCode.dataError.rawValue   // 65: a bad input line
///
/// Scripts tell a mistyped command line (64) from bad input data (65) and a missing
/// input file (66) without reading the message.
public struct ExitCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// 0: success.
    public static let success = ExitCode(rawValue: 0)
    /// 64 (`EX_USAGE`): the command line is wrong — an unknown option, a bad option value,
    /// a missing argument.
    public static let usage = ExitCode(rawValue: 64)
    /// 65 (`EX_DATAERR`): the input data is wrong — a malformed line, an operation the
    /// tree refuses.
    public static let dataError = ExitCode(rawValue: 65)
    /// 66 (`EX_NOINPUT`): an input file does not exist or cannot be opened.
    public static let noInput = ExitCode(rawValue: 66)
    /// 73 (`EX_CANTCREAT`): an output file cannot be created or written.
    public static let cannotCreate = ExitCode(rawValue: 73)
    /// 74 (`EX_IOERR`): reading the input failed part-way.
    public static let ioError = ExitCode(rawValue: 74)

    public var description: String { String(rawValue) }
}
