import BranchTree

extension SimulationReport {
    /// The `tree` section of a report: the tree's size, height, mean and 99th-percentile
    /// depth, fan-out use and the broadcaster's upload, as either model ends it.
    ///
    /// - Parameters:
    ///   - interiorChildren: The children of the viewers that have any.
    ///   - interiorCapacity: Those viewers' capacities (each at most the fan-out).
    /// - Returns: The section's figures and the viewers per depth.
    /// - Complexity: O(height)
    static func treeSection(
        of tree: BranchTree, interiorChildren: Int, interiorCapacity: Int
    ) -> (figures: [Figure], levelSizes: [Int]) {
        let levelSizes = tree.levelSizes
        let placedCount = levelSizes.reduce(0, +)
        var depthSum = 0
        for (depth, size) in levelSizes.enumerated() { depthSum += depth * size }
        var p99Depth = 0
        var seen = 0
        for (depth, size) in levelSizes.enumerated() {
            seen += size
            if Double(seen) >= 0.99 * Double(placedCount) {
                p99Depth = depth
                break
            }
        }
        let firstViewers = (try? tree.children(of: tree.broadcaster).count) ?? 0
        let figures: [Figure] = [
            .init(name: "viewers", value: .integer(tree.count)),
            .init(name: "height", value: .integer(tree.height)),
            .init(
                name: "meanDepth",
                value: .decimal(placedCount > 0 ? Double(depthSum) / Double(placedCount) : 0, places: 3)),
            .init(name: "p99Depth", value: .integer(p99Depth)),
            .init(
                name: "fanoutUse",
                value: .decimal(
                    interiorCapacity > 0 ? Double(interiorChildren) / Double(interiorCapacity) : 0, places: 4)),
            .init(name: "broadcasterUploadStreams", value: .integer(firstViewers)),
        ]
        return (figures, levelSizes)
    }

    /// The `run` section: events, simulated and wall time, speed, peak memory.
    static func runSection(events: Int, simulatedSeconds: Double, wallSeconds: Double) -> [Figure] {
        [
            .init(name: "events", value: .integer(events)),
            .init(name: "simulatedSeconds", value: .decimal(simulatedSeconds, places: 0)),
            .init(name: "wallSeconds", value: .decimal(wallSeconds, places: 3)),
            .init(
                name: "eventsPerSecond", value: .decimal(wallSeconds > 0 ? Double(events) / wallSeconds : 0, places: 0)),
            .init(name: "peakMemoryBytes", value: .integer(PeakMemory.residentBytes())),
        ]
    }
}
