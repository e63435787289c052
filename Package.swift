// swift-tools-version:6.0
import PackageDescription

/// confluence-auth-mock: a fake of Confluence Cloud's authentication and authorization surface.
///
/// Layers (dependencies point one way, downwards; see docs/architecture.md):
///   COpenSSL → AuthMockCrypto, AuthMockHTTP → ConfluenceAuthMock → Testing helpers, CLI.
/// AuthMockFormats is a leaf both the crypto and the domain layers use. No package dependencies.
let package = Package(
    name: "confluence-auth-mock",
    // macOS 15 is the floor the Synchronization module's Mutex and Atomic set (the HTTP layer's
    // server lifecycle and connection registry); the other newer APIs used, Duration and
    // Collection.firstRange(of:), date from macOS 13. Linux has no floor.
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ConfluenceAuthMock", targets: ["ConfluenceAuthMock"]),
        .library(name: "ConfluenceAuthMockTesting", targets: ["ConfluenceAuthMockTesting"]),
        .executable(name: "confluence-auth-mock", targets: ["ConfluenceAuthMockCLI"]),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        // Linux's epoll, for parking idle connections (ConnectionParking.swift).
        .systemLibrary(name: "CEventPoll"),
        // glibc's mallopt, for the standalone server's malloc arenas (ServeCommand.swift).
        .systemLibrary(name: "CMalloc"),
        // Double rounding in the serializer needs libm, which Glibc does not link by default.
        .target(name: "AuthMockFormats", linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]),
        .target(name: "AuthMockCrypto", dependencies: ["COpenSSL", "AuthMockFormats"]),
        .target(name: "AuthMockHTTP", dependencies: ["COpenSSL", "AuthMockFormats", .target(name: "CEventPoll", condition: .when(platforms: [.linux]))]),
        .target(name: "ConfluenceAuthMock", dependencies: ["AuthMockCrypto", "AuthMockHTTP", "AuthMockFormats"]),
        .target(name: "ConfluenceAuthMockTesting", dependencies: ["ConfluenceAuthMock", "AuthMockHTTP"]),
        .executableTarget(name: "ConfluenceAuthMockCLI", dependencies: ["ConfluenceAuthMock", "AuthMockCrypto", "AuthMockHTTP", "AuthMockFormats",
                                                                   .target(name: "CMalloc", condition: .when(platforms: [.linux]))]),
        .executableTarget(name: "AuthMockBenchmarks", dependencies: ["AuthMockCrypto", "AuthMockHTTP", "AuthMockFormats", "ConfluenceAuthMock"],
                          path: "benchmarks/AuthMockBenchmarks"),
        .executableTarget(name: "HTTPBenchServer", dependencies: ["AuthMockHTTP"], path: "benchmarks/HTTPBenchServer"),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // The fuzz harness: replays corpora when built normally, fuzzes when scripts/fuzz.sh builds it.
        .executableTarget(name: "AuthMockFuzz", dependencies: ["AuthMockFormats", "AuthMockCrypto", "AuthMockHTTP", "ConfluenceAuthMock"],
                          path: "Tests/Fuzz/AuthMockFuzz"),
        // One test target per module, named after it; each declares every module it imports.
        .testTarget(name: "AuthMockFormatsTests", dependencies: ["AuthMockFormats"]),
        .testTarget(name: "AuthMockCryptoTests", dependencies: ["AuthMockCrypto", "AuthMockFormats", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "AuthMockHTTPTests", dependencies: ["AuthMockHTTP", "AuthMockCrypto", "AuthMockFormats", "TestSupport"]),
        .testTarget(name: "ConfluenceAuthMockTests", dependencies: ["ConfluenceAuthMock", "AuthMockCrypto", "AuthMockHTTP", "AuthMockFormats", "TestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "ConfluenceAuthMockTestingTests", dependencies: ["ConfluenceAuthMockTesting", "ConfluenceAuthMock", "TestSupport"]),
        .testTarget(name: "ConfluenceAuthMockCLITests", dependencies: ["ConfluenceAuthMockCLI", "AuthMockFormats", "TestSupport"]),
        // The README's Swift examples, compiled and run with only what a client package can use: the two library products.
        .testTarget(name: "ReadmeExampleTests", dependencies: ["ConfluenceAuthMock", "ConfluenceAuthMockTesting"]),
    ],
    swiftLanguageModes: [.v6]
)
