// swift-tools-version:6.1
import PackageDescription

/// The executables allocate with jemalloc: steps hand records between threads, and glibc's malloc
/// serializes those threads on its arena locks (the DSV parse step ran 1.5× slower on it).
let jemalloc: [LinkerSetting] = [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]

let package = Package(
    name: "dropsync",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "dropsync", targets: ["dropsync"]),
        .executable(name: "dropsync-bench", targets: ["dropsync-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "DropsyncCore"),
        .target(name: "Gzip", dependencies: ["CZlib", "DropsyncCore"]),
        .systemLibrary(name: "CRNP", pkgConfig: "librnp", providers: [.apt(["librnp-dev"])]),
        .target(name: "PGP", dependencies: ["CRNP", "DropsyncCore"]),
        .systemLibrary(name: "CSSH2", pkgConfig: "libssh2", providers: [.apt(["libssh2-1-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .target(name: "SFTP", dependencies: ["CSSH2", "CCrypto", "DropsyncCore"]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "Curl", dependencies: ["CCurl", "DropsyncCore"]),
        .target(
            name: "DropsyncStore",
            dependencies: ["DropsyncCore", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "DropsyncComponents", dependencies: ["DropsyncCore", "DropsyncStore", "Gzip", "PGP", "SFTP", "Curl"]),
        .target(name: "DropsyncEngine", dependencies: ["DropsyncCore"]),
        .target(
            name: "DropsyncDaemon",
            dependencies: [
                "DropsyncCore", "DropsyncEngine", "DropsyncStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]),
        .executableTarget(
            name: "dropsync",
            dependencies: [
                "DropsyncCore", "DropsyncDaemon", "DropsyncComponents", "DropsyncStore", "PGP", "SFTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            linkerSettings: jemalloc),
        .executableTarget(name: "dropsync-bench", dependencies: ["DropsyncCore", "DropsyncComponents"], linkerSettings: jemalloc),
        .target(
            name: "DropsyncTesting",
            dependencies: ["DropsyncCore", "DropsyncEngine", "DropsyncComponents", "DropsyncStore"],
            path: "Tests/DropsyncTesting",
            exclude: ["ftp_server.py"]),
        .testTarget(name: "DropsyncCoreTests", dependencies: ["DropsyncCore"]),
        .testTarget(name: "GzipTests", dependencies: ["Gzip", "DropsyncCore"]),
        .testTarget(name: "DropsyncStoreTests", dependencies: ["DropsyncStore", "DropsyncTesting"]),
        .testTarget(name: "DropsyncComponentsTests", dependencies: ["DropsyncComponents", "DropsyncTesting"]),
        .testTarget(name: "DropsyncEngineTests", dependencies: ["DropsyncEngine", "DropsyncTesting"]),
        .testTarget(name: "DropsyncDaemonTests", dependencies: ["DropsyncDaemon", "DropsyncComponents", "DropsyncTesting"]),
        .testTarget(name: "DropsyncCLITests", dependencies: ["DropsyncTesting", "DropsyncComponents", "Gzip"]),
        .testTarget(name: "FTPTests", dependencies: ["Curl", "DropsyncCore", "DropsyncTesting"]),
        .testTarget(name: "PGPTests", dependencies: ["PGP", "DropsyncComponents", "DropsyncTesting", "DropsyncCore"]),
    ],
    swiftLanguageModes: [.v6]
)
