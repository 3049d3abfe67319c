import BranchTreeSim
import Foundation
import Testing

@Suite struct LineReaderTests {
    private func lines(_ reader: inout LineReader) throws -> [String] {
        var result: [String] = []
        while let line = try reader.nextLine() { result.append(String(decoding: line, as: UTF8.self)) }
        return result
    }

    @Test(arguments: [
        ("", [String]()), ("a", ["a"]), ("a\n", ["a"]), ("a\nb", ["a", "b"]), ("\n\n", ["", ""]),
        ("a\r\nb\r\n", ["a", "b"]), ("a\r", ["a"]), ("\r\n", [""]), ("a\rb\n", ["a\rb"]),
    ])
    func splitsLines(input: String, expected: [String]) throws {
        var reader = LineReader(bytes: Array(input.utf8))
        #expect(try lines(&reader) == expected)
        #expect(try reader.nextLine() == nil)
    }

    @Test func readsFilesAcrossChunkBoundaries() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let expected = (0..<3_000).map { index in String(repeating: "x", count: index % 200) + "\(index)" }
        let path = try directory.write("big.txt", expected.joined(separator: "\r\n"))
        var reader = try LineReader(path: path)
        #expect(try lines(&reader) == expected)
    }

    @Test func remainingBytesStopAtTheLimit() throws {
        var reader = LineReader(bytes: Array("a\nbc\r\n".utf8))
        #expect(try reader.nextLine() == Array("a".utf8))
        #expect(try reader.remainingBytes(atMost: 3) == nil)
        #expect(try reader.remainingBytes(atMost: 4) == Array("bc\r\n".utf8))
        #expect(try reader.nextLine() == nil)
    }

    @Test func missingFilesAndDirectoriesAreNoInput() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(throws: CommandError.noInput("cannot open '\(directory.path)/nope': No such file or directory")) {
            try LineReader(path: directory.path + "/nope")
        }
        #expect(throws: CommandError.noInput("cannot read '\(directory.path)': it is a directory")) {
            try LineReader(path: directory.path)
        }
    }

    @Test func failedReadsAreIOErrors() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let descriptor = open(directory.path, O_RDONLY)
        try #require(descriptor >= 0)
        var reader = LineReader(handle: FileHandle(fileDescriptor: descriptor, closeOnDealloc: true))
        #expect(throws: CommandError.ioError("cannot read the input: Is a directory")) { try reader.nextLine() }
    }

    @Test func linesArriveBeforeTheChunkIsFull() throws {
        let pipe = Pipe()
        var reader = LineReader(handle: pipe.fileHandleForReading)
        try pipe.fileHandleForWriting.write(contentsOf: Data("first\nsec".utf8))
        #expect(try reader.nextLine() == Array("first".utf8))
        try pipe.fileHandleForWriting.write(contentsOf: Data("ond\n".utf8))
        #expect(try reader.nextLine() == Array("second".utf8))
        try pipe.fileHandleForWriting.close()
        #expect(try reader.nextLine() == nil)
    }
}
