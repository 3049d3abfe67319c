import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a byte stream line by line, in bounded chunks, so that a log can be replayed
/// while it is still being written (`tail -f log | branchtree-sim replay --each -`).
///
///     var reader = try LineReader(path: "log.jsonl")
///     while let line = try reader.nextLine() { … }   // bytes, without the terminator
///
/// Lines end with `\n` or `\r\n`; the last line may lack a terminator. Bytes are returned
/// as they are, not decoded: the caller decides what invalid UTF-8 means.
package struct LineReader {
    /// The open file, or nil for fixed bytes. FileHandle only owns the descriptor (and
    /// closes it when released); reads go through read(2).
    private let handle: FileHandle?
    private var buffer: [UInt8]
    /// Where the unread part of `buffer` starts.
    private var start = 0
    /// How far past `start` is known to hold no newline.
    private var scanned = 0
    private var atEnd: Bool
    private static let chunkSize = 64 * 1024

    /// Reads fixed bytes.
    package init(bytes: [UInt8]) {
        self.handle = nil
        self.buffer = bytes
        self.atEnd = true
    }

    /// Reads an open file handle to its end.
    package init(handle: FileHandle) {
        self.handle = handle
        self.buffer = []
        self.atEnd = false
    }

    /// Reads an input source: fixed bytes, or the process's standard input.
    package init(source: InputSource) {
        switch source {
        case .standardInput: self.init(handle: .standardInput)
        case .bytes(let bytes): self.init(bytes: bytes)
        }
    }

    /// Opens a file for reading.
    /// - Throws: A ``CommandError/noInput(_:)`` error (exit 66) saying why, when the file
    ///   is missing, unreadable or a directory.
    package init(path: String) throws(CommandError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw .noInput("cannot open '\(path)': \(String(cString: strerror(errno)))")
        }
        var status = stat()
        if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw .noInput("cannot read '\(path)': it is a directory")
        }
        self.init(handle: FileHandle(fileDescriptor: descriptor, closeOnDealloc: true))
    }

    /// The next line without its terminator, or nil at the end of the input.
    /// - Throws: An ``CommandError/ioError(_:)`` error (exit 74) when a read fails.
    package mutating func nextLine() throws(CommandError) -> [UInt8]? {
        while true {
            if let newline = buffer[(start + scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = Array(buffer[start..<end])
                start = newline + 1
                scanned = 0
                return line
            }
            scanned = buffer.count - start
            if atEnd {
                guard start < buffer.count else { return nil }
                var end = buffer.count
                if buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = Array(buffer[start..<end])
                start = buffer.count
                scanned = 0
                return line
            }
            try readChunk()
        }
    }

    /// Everything not yet read, or nil when it is more than `limit` bytes. Reads at most
    /// one chunk past the limit, so that an endless or huge input is refused without
    /// being held.
    /// - Throws: An ``CommandError/ioError(_:)`` error (exit 74) when a read fails.
    package mutating func remainingBytes(atMost limit: Int) throws(CommandError) -> [UInt8]? {
        while !atEnd {
            guard buffer.count - start <= limit else { return nil }
            try readChunk()
        }
        guard buffer.count - start <= limit else { return nil }
        defer {
            start = buffer.count
            scanned = 0
        }
        return Array(buffer[start...])
    }

    private mutating func readChunk() throws(CommandError) {
        guard let handle else {
            atEnd = true
            return
        }
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        // read(2) returns what is available, so each line is handled as soon as it
        // arrives; FileHandle.read(upToCount:) would wait for a whole chunk.
        let oldCount = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: Self.chunkSize))
        var received: Int
        repeat {
            received = buffer.withUnsafeMutableBytes { raw in
                read(handle.fileDescriptor, raw.baseAddress! + oldCount, Self.chunkSize)
            }
        } while received < 0 && errno == EINTR
        let failure = errno
        buffer.removeLast(Self.chunkSize - max(received, 0))
        if received < 0 {
            throw .ioError("cannot read the input: \(String(cString: strerror(failure)))")
        }
        if received == 0 { atEnd = true }
    }
}
