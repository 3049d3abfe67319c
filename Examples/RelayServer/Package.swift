// swift-tools-version: 6.2
import PackageDescription

// The reference signalling server. A nested package, so that the BranchTree library
// itself keeps no dependencies: only users of this example build Hummingbird.
let package = Package(
    name: "RelayServer",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "branchtree-relay", targets: ["branchtree-relay"]),
        .executable(name: "branchtree-relay-load", targets: ["branchtree-relay-load"]),
    ],
    dependencies: [
        .package(name: "BranchTree", path: "../.."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .target(
            name: "RelayServer",
            dependencies: [
                .product(name: "BranchTree", package: "BranchTree"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Pages")]
        ),
        .executableTarget(name: "branchtree-relay", dependencies: ["RelayServer"]),
        .executableTarget(
            name: "branchtree-relay-load",
            dependencies: [
                .product(name: "BranchTree", package: "BranchTree"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            ]
        ),
        .testTarget(
            name: "RelayServerTests",
            dependencies: [
                "RelayServer",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
