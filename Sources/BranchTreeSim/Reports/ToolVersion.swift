/// The simulator's version: `--version` prints it, and every report, shard file and plan
/// records it so that outputs of different versions are not mixed.
package enum ToolVersion {
    package static let current = "0.1.0"
}
