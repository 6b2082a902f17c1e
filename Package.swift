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
        // A prefetch hint for the trainer's and scorer's random row reads; a header, no code.
        .target(name: "CFirstlinePrefetch"),
        // The machines' scoring kernel in AVX2, chosen at run time where the CPU has it.
        .target(name: "CFirstlineKernels"),
        .target(name: "FirstlineNLU", dependencies: ["CFirstlinePrefetch", "CFirstlineKernels"]),
        .target(name: "FirstlineDialogue", dependencies: ["FirstlineNLU"]),
        .target(name: "FirstlineStore", dependencies: ["FirstlineDialogue"]),
        // epoll and eventfd, which Swift's Glibc module does not export; a header shim, no code.
        .target(name: "CFirstlineLinux"),
        .target(name: "FirstlineHTTP", dependencies: [.target(name: "CFirstlineLinux", condition: .when(platforms: [.linux]))]),
        .target(name: "FirstlineService", dependencies: ["FirstlineNLU", "FirstlineDialogue", "FirstlineStore", "FirstlineHTTP"],
                resources: [.copy("Web")]),
        .executableTarget(name: "firstline", dependencies: ["FirstlineNLU", "FirstlineDialogue", "FirstlineStore", "FirstlineHTTP", "FirstlineService"]),
        // Appends under load until it is killed; the crash test drives it. Not a product.
        .executableTarget(name: "firstline-journal-child", dependencies: ["FirstlineStore"]),
        // Serves a trivial handler for tests/bench/http_bench.sh (wrk). Not a product.
        .executableTarget(name: "firstline-http-echo", dependencies: ["FirstlineHTTP"]),
        .testTarget(name: "FirstlineNLUTests", dependencies: ["FirstlineNLU", "CFirstlineKernels"]),
        .testTarget(name: "FirstlineDialogueTests", dependencies: ["FirstlineDialogue", "FirstlineNLU"]),
        .testTarget(name: "FirstlineServiceTests", dependencies: ["FirstlineService", "FirstlineDialogue", "FirstlineNLU"]),
        .testTarget(name: "FirstlineHTTPTests", dependencies: ["FirstlineHTTP"]),
        .testTarget(name: "FirstlineStoreTests", dependencies: ["FirstlineStore", "FirstlineDialogue", "firstline-journal-child"]),
    ]
)
