// swift-tools-version: 6.2
import PackageDescription

// Debug builds check every invariant after every mutation; release builds compile the
// checks out (the swift-collections / swift-system pattern).
let internalChecks: [SwiftSetting] = [
    .define("BRANCHTREE_INTERNAL_CHECKS", .when(configuration: .debug))
]

let package = Package(
    name: "BranchTree",
    products: [
        .library(name: "BranchTree", targets: ["BranchTree"]),
        .library(name: "BranchTreeSim", targets: ["BranchTreeSim"]),
        .executable(name: "branchtree-sim", targets: ["branchtree-sim"]),
    ],
    targets: [
        .target(name: "BranchTree", swiftSettings: internalChecks),
        .target(name: "BranchTreeSim", dependencies: ["BranchTree"], swiftSettings: internalChecks),
        .executableTarget(name: "branchtree-sim", dependencies: ["BranchTreeSim"]),
        .testTarget(name: "BranchTreeTests", dependencies: ["BranchTree"]),
        .testTarget(name: "BranchTreeSimTests", dependencies: ["BranchTreeSim", "BranchTree"]),
    ],
    swiftLanguageModes: [.v6]
)
