import BranchTree

extension SimulationReport {
    /// The tree's figures as either model ends the run: its size, height, mean and
    /// 99th-percentile depth, fan-out use and the broadcaster's upload.
    ///
    /// - Parameters:
    ///   - interiorChildren: The children of the viewers that have any.
    ///   - interiorCapacity: Those viewers' capacities (each at most the fan-out).
    /// - Returns: The figures and the viewers per depth.
    /// - Complexity: O(height)
    static func treeFigures(
        of tree: BranchTree, interiorChildren: Int, interiorCapacity: Int
    ) -> (figures: Tree, levelSizes: [Int]) {
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
        let figures = Tree(
            viewers: .count(tree.count), height: .count(tree.height),
            meanDepth: .decimal(placedCount > 0 ? Double(depthSum) / Double(placedCount) : 0, places: 3),
            p99Depth: .count(p99Depth),
            fanoutUse: .decimal(
                interiorCapacity > 0 ? Double(interiorChildren) / Double(interiorCapacity) : 0, places: 4),
            broadcasterUploadStreams: .count(firstViewers))
        return (figures, levelSizes)
    }

    /// The run's figures: events, simulated and wall time, speed, peak memory.
    static func runFigures(model: SimulationModel, events: Int, simulatedSeconds: Double, wallSeconds: Double) -> Run {
        Run(
            model: model, events: .count(events), simulatedSeconds: .decimal(simulatedSeconds, places: 0),
            wallSeconds: .decimal(wallSeconds, places: 3),
            eventsPerSecond: .decimal(wallSeconds > 0 ? Double(events) / wallSeconds : 0, places: 0),
            peakMemoryBytes: .count(PeakMemory.residentBytes()))
    }
}
