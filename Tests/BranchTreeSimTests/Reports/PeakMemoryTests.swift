import Testing

@testable import BranchTreeSim

@Suite struct PeakMemoryTests {
    @Test func readsTheHighWaterMarkOfAStatusText() {
        let status = "Name:\tbranchtree-sim\nVmPeak:\t  400000 kB\nVmHWM:\t   30650 kB\nVmRSS:\t   30000 kB\n"
        #expect(PeakMemory.highWaterMark(inStatus: status) == 30_650 * 1024)
    }

    @Test(arguments: ["VmRSS:\t 1 kB\n", "VmHWM:\t lots kB\n", "VmHWM:\t 12 MB\n", ""])
    func aStatusWithoutAReadableMarkGivesNothing(status: String) {
        #expect(PeakMemory.highWaterMark(inStatus: status) == nil)
    }

    @Test func thisProcessHoldsSomeMemory() {
        // At least the test runner's own code and data; less than the machine.
        let bytes = PeakMemory.residentBytes()
        #expect(bytes > 1 << 20)
        #expect(bytes < 1 << 40)
    }
}
