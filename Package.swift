// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Firstline",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "firstline", targets: ["firstline"]),
        .library(name: "FirstlineNLU", targets: ["FirstlineNLU"]),
        .library(name: "FirstlineDialogue", targets: ["FirstlineDialogue"]),
        .library(name: "FirstlineStore", targets: ["FirstlineStore"]),
        .library(name: "FirstlineHTTP", targets: ["FirstlineHTTP"]),
        .library(name: "FirstlineService", targets: ["FirstlineService"]),
    ],
    targets: [
        .target(name: "FirstlineNLU"),
        .target(name: "FirstlineDialogue", dependencies: ["FirstlineNLU"]),
        .target(name: "FirstlineStore", dependencies: ["FirstlineDialogue"]),
        .target(name: "FirstlineHTTP"),
        .target(name: "FirstlineService", dependencies: ["FirstlineNLU", "FirstlineDialogue", "FirstlineStore", "FirstlineHTTP"]),
        .executableTarget(name: "firstline", dependencies: ["FirstlineNLU", "FirstlineDialogue", "FirstlineStore", "FirstlineHTTP", "FirstlineService"]),
        // Appends under load until it is killed; the crash test drives it. Not a product.
        .executableTarget(name: "firstline-journal-child", dependencies: ["FirstlineStore"]),
        .testTarget(name: "FirstlineNLUTests", dependencies: ["FirstlineNLU"]),
        .testTarget(name: "FirstlineDialogueTests", dependencies: ["FirstlineDialogue", "FirstlineNLU"]),
        .testTarget(name: "FirstlineServiceTests", dependencies: ["FirstlineService", "FirstlineDialogue", "FirstlineNLU"]),
        .testTarget(name: "FirstlineStoreTests", dependencies: ["FirstlineStore", "FirstlineDialogue", "firstline-journal-child"]),
    ]
)
