/// `branchtree-sim merge`: joins the shard files of a sweep run across machines
/// (`sweep --shard I/N`) into the output the whole sweep prints.
///
///     branchtree-sim merge part-1.json part-2.json part-3.json --format csv
///
/// The output is byte for byte what `sweep` with the same options and no `--shard` prints
/// in that format: the shard files hold every row's typed report whole, and the rows, put
/// back in grid order, go through the same formats as the sweep's.
package enum MergeCommand: Subcommand {
    package static let format = TypedOption(
        name: "format", valueName: "name", help: "table, csv or json, as for sweep.",
        parser: .choice(ReportFormat.self), default: ReportFormat.table)
    static let files = ArgumentSpec(
        name: "file", help: "The shard files, one per shard, in any order.", isRepeating: true)

    /// Shard files larger than this are refused (a row, time series included, is some 15 kB).
    package static let maximumBytes = 1 << 30

    package static let spec = CommandSpec(
        name: "merge",
        abstract: "Join the shard files of a sweep (sweep --shard I/N) into the sweep's output.",
        discussion: """
            Each shard of a sweep — run as one job of a cluster's job array, with
            sweep --shard I/N and otherwise the same options — writes a shard file. merge
            reads all N of them, checks that they are every shard of one sweep (same N,
            points and tool version; each shard once; every point once) and prints the
            rows in grid order, as the unsharded sweep would:
              branchtree-sim merge part-*.json --format csv > sweep.csv

            Exit status: 0 success, 64 usage error, 65 the files are not the shards of one
            sweep (naming the file and the problem) or a row is damaged (naming the file
            and the field), 66 a file missing or unreadable, 74 a read failed part-way.
            """,
        options: [format.spec], arguments: [files])

    package static func run<Output: TextOutputStream, ErrorOutput: TextOutputStream>(
        _ arguments: ParsedArguments, io: inout CommandIO<Output, ErrorOutput>
    ) throws(CommandError) {
        let format = try arguments.value(of: format)
        var shards: [(name: String, file: SweepShardFile)] = []
        for path in arguments.arguments(files) {
            var reader = try LineReader(path: path)
            guard let bytes = try reader.remainingBytes(atMost: maximumBytes) else {
                throw .dataError("\(path): larger than \(maximumBytes >> 20) MiB, not a shard file")
            }
            do {
                shards.append((path, try SweepShardFile(json: try Scenario.parse(bytes))))
            } catch {
                throw .dataError("\(path): \(error)")
            }
        }
        do {
            io.stdout.write(try SweepShardFile.merged(shards).text(format))
        } catch {
            throw .dataError(error.description)
        }
    }
}
