// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ConsumerPackage",
    platforms: [.macOS(.v15)],
    dependencies: [
        // From your own package: the path of your clone, or .package(url: "<its git URL>", branch: "main").
        .package(name: "confluence-auth-mock", path: "../.."),
    ],
    targets: [
        .target(name: "WikiClient"),
        .testTarget(name: "WikiClientTests", dependencies: [
            "WikiClient",
            .product(name: "ConfluenceAuthMockTesting", package: "confluence-auth-mock"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
