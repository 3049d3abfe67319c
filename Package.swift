// swift-tools-version: 6.2
import PackageDescription

// With the `InternalChecks` trait, the tree and the simulator check every invariant after
// every mutation (O(n) each). A trait rather than a debug-only define, because a target's
// settings also apply when it is built as a dependency: packages that depend on BranchTree
// opt in, and this package's own test run turns it on (`swift test --traits InternalChecks`).
let internalChecks: [SwiftSetting] = [
    .define("BRANCHTREE_INTERNAL_CHECKS", .when(traits: ["InternalChecks"]))
]

let package = Package(
    name: "BranchTree",
    products: [
        .library(name: "BranchTree", targets: ["BranchTree"]),
        .library(name: "BranchTreeSim", targets: ["BranchTreeSim"]),
        .library(name: "BranchTreeTesting", targets: ["BranchTreeTesting"]),
        .executable(name: "branchtree-sim", targets: ["branchtree-sim"]),
    ],
    traits: [
        .trait(
            name: "InternalChecks",
            description: "Check every invariant of the tree after every mutation: O(n) each, for tests."
        )
    ],
    targets: [
        // One static inline C function around `__builtin_prefetch`: Swift emits no prefetch
        // instruction. Only the simulator's tree model asks for prefetches (package hooks).
        .target(name: "_BranchTreePrefetch"),
        .target(name: "BranchTree", dependencies: ["_BranchTreePrefetch"], swiftSettings: internalChecks),
        .target(name: "BranchTreeSim", dependencies: ["BranchTree"], swiftSettings: internalChecks),
        // Only the library: users' test targets depend on it, whatever framework they use.
        .target(name: "BranchTreeTesting", dependencies: ["BranchTree"]),
        .executableTarget(name: "branchtree-sim", dependencies: ["BranchTreeSim"]),
        .testTarget(name: "BranchTreeTests", dependencies: ["BranchTree", "BranchTreeTesting"]),
        .testTarget(name: "BranchTreeTestingTests", dependencies: ["BranchTreeTesting", "BranchTree"]),
        .testTarget(name: "BranchTreeSimTests", dependencies: ["BranchTreeSim", "BranchTree", "BranchTreeTesting"]),
    ],
    swiftLanguageModes: [.v6]
)
