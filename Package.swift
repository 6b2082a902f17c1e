// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Firstline",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "firstline", targets: ["firstline"]),
        .library(name: "FirstlineNLU", targets: ["FirstlineNLU"]),
        .library(name: "FirstlineStore", targets: ["FirstlineStore"]),
    ],
    targets: [
        .target(name: "FirstlineNLU"),
        .target(name: "FirstlineStore"),
        .executableTarget(name: "firstline", dependencies: ["FirstlineNLU", "FirstlineStore"]),
        // Appends under load until it is killed; the crash test drives it. Not a product.
        .executableTarget(name: "firstline-journal-child", dependencies: ["FirstlineStore"]),
        .testTarget(name: "FirstlineNLUTests", dependencies: ["FirstlineNLU"]),
        .testTarget(name: "FirstlineStoreTests", dependencies: ["FirstlineStore", "firstline-journal-child"]),
    ]
)
