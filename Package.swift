// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Firstline",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "firstline", targets: ["firstline"]),
        .library(name: "FirstlineNLU", targets: ["FirstlineNLU"]),
    ],
    targets: [
        .target(name: "FirstlineNLU"),
        .executableTarget(name: "firstline", dependencies: ["FirstlineNLU"]),
        .testTarget(name: "FirstlineNLUTests", dependencies: ["FirstlineNLU"]),
    ]
)
