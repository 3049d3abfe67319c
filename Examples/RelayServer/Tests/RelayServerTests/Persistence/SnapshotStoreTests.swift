import BranchTree
import Foundation
import Testing

@testable import RelayServer

@Suite("SnapshotStore")
struct SnapshotStoreTests {
    static func temporaryDirectory() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("relay-store-\(UUID().uuidString)")
            .path
        return path
    }

    @Test("A saved room loads back equal, and no temporary file is left")
    func roundTrip() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SnapshotStore(directory: directory)
        var (harness, _, _) = RoomStateMachineTests.playingRoom(viewers: 5)
        let record = harness.room.record()
        try store.save(record)
        harness.viewer()
        try store.save(harness.room.record())  // overwrites
        let (records, problems) = store.loadAll()
        #expect(problems.isEmpty)
        #expect(records == [harness.room.record()])
        #expect(records != [record])
        let files = try FileManager.default.contentsOfDirectory(atPath: directory + "/rooms")
        #expect(files == ["test.json"])
    }

    @Test("A corrupt or misnamed file is reported, not loaded, and the others still load")
    func corruptFiles() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SnapshotStore(directory: directory)
        let (harness, _, _) = RoomStateMachineTests.playingRoom(viewers: 2)
        try store.save(harness.room.record())
        try Data("{\"formatVersion\":1".utf8).write(to: URL(fileURLWithPath: directory + "/rooms/broken.json"))
        try FileManager.default.copyItem(
            atPath: directory + "/rooms/test.json", toPath: directory + "/rooms/other.json")
        let (records, problems) = store.loadAll()
        #expect(records.map(\.room.rawValue) == ["test"])
        #expect(problems.count == 2)
        #expect(problems.contains { $0.contains("broken.json") })
        #expect(problems.contains { $0.contains("other.json") && $0.contains("holds room test") })
    }

    @Test("A room saved by one server is restored by another on its first hello (shared storage)")
    func restoredOnDemand() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SnapshotStore(directory: directory)
        let (harness, _, _) = RoomStateMachineTests.playingRoom(viewers: 4)
        try store.save(harness.room.record())
        #expect(store.load(RoomName("test")!) == harness.room.record())
        #expect(store.load(RoomName("other")!) == nil)
        let settings = RelaySettings(configuration: try .init(fanout: 2))
        let registry = RoomRegistry(settings: settings, store: store, logger: .init(label: "test"))
        let room = try await registry.room(RoomName("test")!)
        #expect(await room.summary.viewers == 4)
    }
}
