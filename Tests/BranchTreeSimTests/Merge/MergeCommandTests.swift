import Testing

@testable import BranchTreeSim

/// `sweep --shard I/N` then `merge`: the same bytes as the unsharded sweep.
@Suite struct MergeCommandTests {
    static let sweep = [
        "sweep", "--audience", "30", "--duration", "20", "--fanout", "2,3,4", "--policy", "skyway,rejoin",
        "--replicates", "2", "--jobs", "2",
    ]

    /// Writes each shard's file and returns their paths, in shard order.
    static func shards(_ count: Int, in directory: TemporaryDirectory, options: [String] = []) throws -> [String] {
        try (1...count).map { index in
            let run = SimRun(sweep + options + ["--shard", "\(index)/\(count)"])
            #expect(run.status == 0, "\(run.stderr)")
            return try directory.write("part-\(index).json", run.stdout)
        }
    }

    @Test(arguments: [(3, "table"), (3, "csv"), (3, "json"), (4, "csv"), (1, "table"), (7, "json")])
    func mergedShardsPrintWhatTheWholeSweepPrints(shards count: Int, format: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let paths = try Self.shards(count, in: directory)
        let whole = SimRun(Self.sweep + ["--format", format])
        // Any order of the files: rows come back in grid order. 7 shards of 6 points: one is empty.
        let merged = SimRun(["merge", "--format", format] + paths.reversed())
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout == whole.stdout)
    }

    @Test func timingFiguresCarryThrough() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let paths = try Self.shards(2, in: directory, options: ["--timing"])
        let merged = SimRun(["merge", "--format", "csv"] + paths)
        #expect(merged.status == 0)
        #expect(merged.stdoutLines[0].contains("run.wallSeconds"))
        #expect(merged.stdoutLines.count == 7)
    }

    @Test func shardsDealThePointsRoundRobin() {
        let shard = SweepShard(index: 2, count: 4)
        #expect((0..<12).filter(shard.contains(point:)) == [1, 5, 9])
        // Every point is in exactly one shard.
        for count in 1...5 {
            for point in 0..<20 {
                #expect((1...count).filter { SweepShard(index: $0, count: count).contains(point: point) }.count == 1)
            }
        }
        #expect(ValueParser.shard.parse("2/4") == shard)
        for bad in ["0/4", "5/4", "2", "2/", "/4", "a/b", "2/4/1", "1/100001"] {
            #expect(ValueParser.shard.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func filesThatAreNotEveryShardOfOneSweepExit65NamingTheProblem() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let paths = try Self.shards(3, in: directory)
        let missing = SimRun(["merge", paths[0], paths[2]])
        #expect(missing.status == 65)
        #expect(missing.stderr.contains("shard 2/3 missing"))
        let twice = SimRun(["merge", paths[0], paths[1], paths[1], paths[2]])
        #expect(twice.status == 65)
        #expect(twice.stderr.contains("shard 2/3 given twice"))
        let other = SimRun(Self.sweep + ["--shard", "1/2"])
        let otherPath = try directory.write("other.json", other.stdout)
        let mixed = SimRun(["merge", otherPath, paths[1], paths[2]])
        #expect(mixed.status == 65)
        #expect(mixed.stderr.contains("shard 1/2 of a 6-point sweep"))
        // The same grid with other figures: the headers differ.
        let seeds = SimRun(Self.sweep + ["--replicates", "1", "--shard", "2/3"])
        #expect(seeds.status == 0, "\(seeds.stderr)")
        let seedsPath = try directory.write("seeds.json", seeds.stdout)
        let different = SimRun(["merge", paths[0], seedsPath, paths[2]])
        #expect(different.status == 65)
        #expect(different.stderr.contains("shards of different sweeps"))
        let garbage = try directory.write("garbage.json", "{\"rows\": []}")
        let notAShard = SimRun(["merge", garbage])
        #expect(notAShard.status == 65)
        #expect(notAShard.stderr.contains("garbage.json: \"sweepShard\": is missing: not a sweep shard file"))
        let unreadable = SimRun(["merge", directory.path + "/none.json"])
        #expect(unreadable.status == 66)
        #expect(SimRun(["merge"]).status == 64)
    }

    /// A shard row that is not a report: exit 65, naming the file and the field.
    @Test(arguments: [
        (#""replicates": 2"#, #""replicates": "2""#, #""rows[1].replicates": must be an integer in 1..."#),
        (#""sweepPosition": {"point": 1"#, #""sweepPosition": {"point": -1"#, #""rows[1].sweepPosition.point""#),
        (
            #""sweepPosition": {"point": 1, "churn": {"decimal": 1, "places": 0}}"#, #""sweepPosition": null"#,
            #""rows[1].sweepPosition": must place the row, got null"#
        ),
        (
            #""departures": {"estimate": {"mean": "#, #""departures": {"estimate": {"mean": true, "x": "#,
            #""rows[1].perDeparture.departures.estimate.x": unknown key"#
        ),
        (
            #""count": 2}"#, #""count": 0}"#,
            #""rows[1].perDeparture.departures.estimate.count": must be an integer in 1..."#
        ),
        (#""reproducible": true"#, #""reproducible": 1"#, #""sweepShard.reproducible": must be true or false"#),
    ])
    func malformedRowsExit65NamingTheFileAndTheField(original: String, replacement: String, message: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let paths = try Self.shards(2, in: directory)
        let text = SimRun(Self.sweep + ["--shard", "2/2"]).stdout
        #expect(text.contains(original), "the shard file has \(original)")
        let broken = try directory.write("broken.json", text.replacingOccurrences(of: original, with: replacement))
        let run = SimRun(["merge", paths[0], broken])
        #expect(run.status == 65)
        #expect(run.stderr.contains("broken.json: " + message), "\(run.stderr)")
    }

    @Test func formatDoesNotApplyToAShard() {
        let run = SimRun(Self.sweep + ["--shard", "1/2", "--format", "csv"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("'--format' does not apply with '--shard'"))
        #expect(SimRun(Self.sweep + ["--shard", "3/2"]).status == 64)
    }
}
