import Testing

@testable import BranchTreeSim

@Suite struct PhysicalMemoryTests {
    @Test func memTotalIsReadInBytes() {
        let meminfo = "MemTotal:       24683568 kB\nMemFree:        20771476 kB\nMemAvailable:   23916344 kB\n"
        #expect(PhysicalMemory.memTotal(inMeminfo: meminfo) == 24_683_568 * 1024)
        #expect(PhysicalMemory.memTotal(inMeminfo: "MemFree: 1 kB\nMemTotal: 2048 kB") == 2048 * 1024)
    }

    @Test(arguments: [
        "", "MemFree: 1 kB\n", "MemTotal: 12 MB\n", "MemTotal: many kB\n", "MemTotal: 99999999999999999999 kB\n",
    ])
    func unreadableMemTotalIsNil(meminfo: String) {
        #expect(PhysicalMemory.memTotal(inMeminfo: meminfo) == nil)
    }

    #if os(Linux) || canImport(Darwin)
    @Test func theMachineSaysHowMuchItHas() throws {
        let bytes = try #require(PhysicalMemory.bytes)
        #expect(bytes > 64 << 20)
    }
    #endif

    @Test func anOverrideStandsInForTheMachine() {
        PhysicalMemory.$override.withValue(1_000) {
            #expect(PhysicalMemory.bytes == 1_000)
        }
    }
}
