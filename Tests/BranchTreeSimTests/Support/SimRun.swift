import BranchTreeSim

/// One in-process run of `branchtree-sim`: its exit status and both streams.
struct SimRun: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Runs the tool with `arguments` (without the program name) and `stdin` bytes.
    init(_ arguments: [String], stdin: InputSource = .bytes([])) {
        var stdout = ""
        var stderr = ""
        status = BranchTreeSimCommand.main(arguments: arguments, stdin: stdin, stdout: &stdout, stderr: &stderr)
        self.stdout = stdout
        self.stderr = stderr
    }

    /// Runs the tool reading `text` from standard input.
    init(_ arguments: [String], stdinText text: String) {
        self.init(arguments, stdin: .text(text))
    }

    /// stdout split into lines, without the final empty one.
    var stdoutLines: [String] {
        var lines = stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}

/// Paths inside the package, found from this file's location.
enum PackagePaths {
    /// The package root: three folders above `Tests/BranchTreeSimTests/Support/`.
    static var root: String {
        var components = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        components.removeLast(4)
        return components.joined(separator: "/")
    }

    static func example(_ name: String) -> String {
        root + "/Examples/" + name
    }
}
