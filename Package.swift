// swift-tools-version:5.10
// Swift 5 language mode: the engine's C callbacks reach instance state through context pointers,
// which strict Swift 6 isolation checking cannot see through (TECHNICAL-NOTES.md).
import Foundation
import PackageDescription

let package = Package(
    name: "loadgen",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "loadgen", targets: ["LoadGen"]),
        .executable(name: "loadreport", targets: ["LoadReport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // Deque and Heap for the run controller's queues; already built as a dependency of SwiftNIO.
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", exact: "0.2.0"),
    ],
    targets: [
        // MARK: - Targets
        // libuv and libcurl found through pkg-config: their include and library paths reach CLibUV and
        // everything above it (Homebrew's on macOS; the system's on Linux). README.md, "Building on macOS".
        .systemLibrary(
            name: "CUV",
            pkgConfig: "libuv",
            providers: [.apt(["libuv1-dev"]), .brew(["libuv"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]
        ),
        .target(
            name: "CLibUV",
            dependencies: ["CUV", "CCurl"],
            // Also linked by name, should pkg-config be missing where the libraries are in default paths.
            linkerSettings: [.linkedLibrary("uv"), .linkedLibrary("curl")]
        ),
        .target(
            name: "LoadEngine",
            dependencies: [
                "CLibUV", "LoadCore",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
            ]
        ),
        .target(
            name: "LoadCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // The mock reads its behaviour, delays, faults, limits and dialects from LoadCore's types and
        // parses request bodies with LoadCore's JSON cursor: docs/mock.md, "One set of types".
        .target(
            name: "MockProvider",
            dependencies: [
                "LoadCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),

        // MARK: - Executables
        .executableTarget(
            name: "LoadGen",
            dependencies: [
                "LoadEngine", "LoadCore", "MockProvider",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .executableTarget(
            name: "LoadReport",
            dependencies: [
                "LoadCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Tests
        // nginx with a generated certificate in front of a test server (TLS and HTTP/2 tests).
        // (It re-exports HistogramDecoding, for the CLI tests that read histogram logs.)
        .target(name: "TestSupport", dependencies: ["HistogramDecoding"], path: "Tests/TestSupport"),
        // Reads HdrHistogram V2 encodings back (with a pure-Swift inflater): only the tests need it.
        .target(
            name: "HistogramDecoding",
            dependencies: ["LoadCore", .product(name: "Histogram", package: "hdrhistogram-swift")],
            path: "Tests/HistogramDecoding"
        ),
        // Golden/ holds the report's expected outputs, read by path.
        .testTarget(name: "LoadCoreTests", dependencies: ["LoadCore", "HistogramDecoding"], exclude: ["Golden"]),
        // The fuzz targets (Fuzz/Targets), run briefly and deterministically by FuzzTests, at length by
        // libFuzzer through scripts/fuzz.sh (docs/development.md, "Fuzzing").
        .target(name: "FuzzTargets", dependencies: ["LoadCore"], path: "Fuzz/Targets"),
        .testTarget(name: "FuzzTests", dependencies: ["FuzzTargets"]),
        .testTarget(name: "MockProviderTests", dependencies: ["MockProvider", "LoadCore", "TestSupport"]),
        .testTarget(name: "LoadEngineTests", dependencies: ["LoadEngine", "LoadCore", "MockProvider", "TestSupport"]),
        // Runs the built `loadgen` binary (swift test builds every product first).
        .testTarget(name: "LoadGenCLITests", dependencies: ["LoadCore", "TestSupport"]),
        // Drives the run session (and the command's other parts) in-process, without the binary.
        .testTarget(name: "LoadGenTests", dependencies: ["LoadGen", "LoadCore", "LoadEngine"]),
    ]
)

// libFuzzer's driver on the fuzz targets (Fuzz/Entry/main.swift), only for scripts/fuzz.sh.
if ProcessInfo.processInfo.environment["LOADGEN_FUZZ"] == "1" {
    package.targets.append(.executableTarget(name: "LoadGenFuzz", dependencies: ["FuzzTargets"], path: "Fuzz/Entry"))
    package.products.append(.executable(name: "loadgen-fuzz", targets: ["LoadGenFuzz"]))
}
