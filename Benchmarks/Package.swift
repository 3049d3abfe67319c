// swift-tools-version: 6.2
// The benchmarks live in their own package so that the library itself has no
// dependencies. Run with `swift package benchmark` from this folder (see README.md).
import PackageDescription

let package = Package(
    name: "BranchTreeBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "BranchTree", path: ".."),
        .package(
            url: "https://github.com/ordo-one/benchmark", from: "1.38.1",
            traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "BranchTreeBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "BranchTree", package: "BranchTree"),
                .product(name: "BranchTreeSim", package: "BranchTree"),
            ],
            path: "Benchmarks/BranchTreeBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
