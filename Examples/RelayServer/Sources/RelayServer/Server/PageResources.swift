import Foundation

/// The browser pages, read once from the package's resources at start.
struct PageResources: Sendable {
    struct File: Sendable {
        var bytes: [UInt8]
        var contentType: String
    }

    private var files: [String: File] = [:]

    /// Reads every file of `Pages/` in the module's bundle.
    static func bundled() throws -> PageResources {
        guard let folder = Bundle.module.url(forResource: "Pages", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try PageResources(folder: folder)
    }

    init(folder: URL) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where !name.hasPrefix(".") {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            files[name] = File(bytes: Array(data), contentType: Self.contentType(of: name))
        }
    }

    /// The file with this name, if there is one (names never contain a `/`).
    subscript(name: String) -> File? { files[name] }

    private static func contentType(of name: String) -> String {
        switch name.split(separator: ".").last {
        case "html": "text/html; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "svg": "image/svg+xml"
        case "json": "application/json"
        default: "application/octet-stream"
        }
    }
}
