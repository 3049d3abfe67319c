#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Saves each room's ``RoomRecord`` as `rooms/<room>.json` under a directory, atomically:
/// written to a temporary file, flushed, then renamed over the old one, so that a crash
/// leaves either the old record or the new one, never half of one.
struct SnapshotStore: Sendable {
    let directory: URL

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A store in `directory`, created if missing.
    init(directory: String) throws(Failure) {
        self.directory = URL(fileURLWithPath: directory).appendingPathComponent("rooms", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "cannot create \(self.directory.path): \(error.localizedDescription)")
        }
    }

    private func file(for room: RoomName) -> URL {
        directory.appendingPathComponent("\(room.rawValue).json")
    }

    /// Writes the record atomically.
    /// - Complexity: O(size of the record)
    func save(_ record: RoomRecord) throws(Failure) {
        let data: Data
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            data = try encoder.encode(record)
        } catch {
            throw Failure(description: "cannot encode room \(record.room): \(error)")
        }
        let target = file(for: record.room)
        let temporary = directory.appendingPathComponent(".\(record.room.rawValue).json.tmp")
        let written = temporary.path.withCString { path -> Bool in
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard descriptor >= 0 else { return false }
            defer { close(descriptor) }
            let complete = data.withUnsafeBytes { bytes -> Bool in
                var offset = 0
                while offset < bytes.count {
                    let count = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    if count < 0 && errno == EINTR { continue }
                    guard count > 0 else { return false }
                    offset += count
                }
                return true
            }
            return complete && fsync(descriptor) == 0
        }
        guard written, rename(temporary.path, target.path) == 0 else {
            throw Failure(description: "cannot write \(target.path): \(String(cString: strerror(errno)))")
        }
    }

    /// The record saved for one room, if there is a valid one.
    func load(_ room: RoomName) -> RoomRecord? {
        guard let data = try? Data(contentsOf: file(for: room)),
            let record = try? JSONDecoder().decode(RoomRecord.self, from: data),
            record.formatVersion == RoomRecord.formatVersion, record.room == room
        else { return nil }
        return record
    }

    /// Removes a room's record.
    func remove(_ room: RoomName) {
        try? FileManager.default.removeItem(at: file(for: room))
    }

    /// Every record in the directory, sorted by room; files that are not a valid record
    /// are reported, not loaded.
    func loadAll() -> (records: [RoomRecord], problems: [String]) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var records: [RoomRecord] = []
        var problems: [String] = []
        for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let url = directory.appendingPathComponent(name)
            do {
                let record = try JSONDecoder().decode(RoomRecord.self, from: try Data(contentsOf: url))
                guard record.formatVersion == RoomRecord.formatVersion else {
                    problems.append(
                        "\(url.path): format version \(record.formatVersion) is not \(RoomRecord.formatVersion)")
                    continue
                }
                guard "\(record.room.rawValue).json" == name else {
                    problems.append("\(url.path): holds room \(record.room), not the file's")
                    continue
                }
                records.append(record)
            } catch {
                problems.append("\(url.path): \(error)")
            }
        }
        return (records, problems)
    }
}
