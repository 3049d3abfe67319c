import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain HTTP/1.1 GET over a blocking loopback socket: enough for the server's JSON API, with
/// no dependency on URLSession (FoundationNetworking) or an HTTP client package.
enum HTTP {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    struct Response {
        var status: Int
        var body: Data
    }

    static func get(host: String, port: Int, path: String, timeoutSeconds: Int = 10) throws -> Response {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw Failure(description: "bad host \(host)") }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure(description: "connect \(host):\(port): errno \(errno)") }
        let request =
            "GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nAccept: application/json\r\nConnection: close\r\n\r\n"
        var bytes = Array(request.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, 0) }
            guard written > 0 else { throw Failure(description: "send: errno \(errno)") }
            offset += written
        }
        bytes.removeAll()
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            guard count > 0 else { throw Failure(description: "recv: errno \(errno) (timeout \(timeoutSeconds) s?)") }
            received.append(contentsOf: buffer[0..<count])
            if let response = try parse(received, complete: false) { return response }
        }
        guard let response = try parse(received, complete: true) else {
            throw Failure(description: "connection closed before a whole response (\(received.count) bytes)")
        }
        return response
    }

    /// A response once it is whole (by content-length, chunked end, or the end of the stream).
    private static func parse(_ bytes: [UInt8], complete: Bool) throws -> Response? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let headerEnd = firstRange(of: separator, in: bytes, from: 0) else {
            if complete { throw Failure(description: "no HTTP header in \(bytes.count) bytes") }
            return nil
        }
        let head = String(decoding: bytes[0..<headerEnd], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let statusParts = statusLine.split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw Failure(description: "bad status line \(statusLine)")
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        let bodyStart = headerEnd + 4
        if let length = headers["content-length"].flatMap({ Int($0) }) {
            guard bytes.count - bodyStart >= length else { return nil }
            return Response(status: status, body: Data(bytes[bodyStart..<(bodyStart + length)]))
        }
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            var body = Data()
            var index = bodyStart
            while true {
                guard let lineEnd = firstRange(of: [13, 10], in: bytes, from: index) else { return nil }
                let sizeText =
                    String(decoding: bytes[index..<lineEnd], as: UTF8.self)
                    .split(separator: ";").first.map(String.init) ?? ""
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                    throw Failure(description: "bad chunk size \(sizeText)")
                }
                let dataStart = lineEnd + 2
                if size == 0 { return Response(status: status, body: body) }
                guard bytes.count >= dataStart + size + 2 else { return nil }
                body.append(contentsOf: bytes[dataStart..<(dataStart + size)])
                index = dataStart + size + 2
            }
        }
        guard complete else { return nil }
        return Response(status: status, body: Data(bytes[bodyStart...]))
    }

    private static func firstRange(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0], Array(haystack[index..<(index + needle.count)]) == needle { return index }
            index += 1
        }
        return nil
    }
}
