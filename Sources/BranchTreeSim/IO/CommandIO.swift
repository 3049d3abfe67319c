/// A command's three standard streams, injectable so commands run in-process in tests.
///
///     var io = CommandIO(stdin: .text("{\"op\":\"join\",\"id\":\"A\"}\n"), stdout: "", stderr: "")
///     _ = tool.run(["replay", "-"], io: &io)
///     io.stdout   // the JSON
///
/// Results go to `stdout`; diagnostics to `stderr`.
package struct CommandIO<Output: TextOutputStream, ErrorOutput: TextOutputStream> {
    package var stdin: InputSource
    package var stdout: Output
    package var stderr: ErrorOutput

    package init(stdin: InputSource, stdout: Output, stderr: ErrorOutput) {
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
    }
}
