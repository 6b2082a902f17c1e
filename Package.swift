// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Firstline",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "firstline", targets: ["firstline"]),
        .library(name: "FirstlineNLU", targets: ["FirstlineNLU"]),
        .library(name: "FirstlineDialogue", targets: ["FirstlineDialogue"]),
    ],
    targets: [
        .target(name: "FirstlineNLU"),
        .target(name: "FirstlineDialogue", dependencies: ["FirstlineNLU"]),
        .executableTarget(name: "firstline", dependencies: ["FirstlineNLU", "FirstlineDialogue"]),
        .testTarget(name: "FirstlineNLUTests", dependencies: ["FirstlineNLU"]),
        .testTarget(name: "FirstlineDialogueTests", dependencies: ["FirstlineDialogue", "FirstlineNLU"]),
    ]
)
