// swift-tools-version: 6.1
//
// Assay: an evaluation suite for LLM model families behind OpenAI-compatible endpoints.
// The module map and the direction of its arrows are described in docs/ARCHITECTURE.md.

import PackageDescription

let package = Package(
    name: "assay",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "assay", targets: ["assay"]),
        // The benchmarks, apart from the tool users run: `swift run -c release assay-bench sandbox`.
        .executable(name: "assay-bench", targets: ["assay-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // Files of other languages (the grader's Python, the report schema, the catalog) built
        // into a module as Swift strings, so that the binary needs nothing beside it.
        .executableTarget(name: "embed-files"),
        .plugin(name: "EmbedFiles", capability: .buildTool(), dependencies: ["embed-files"]),

        // Value types shared by every stage. Pure: no I/O, no dependencies.
        .target(name: "AssayCore"),

        // The YAML files users write (suites, catalog, plans), decoded with file:line diagnostics.
        .target(
            name: "AssayConfig",
            dependencies: [
                "AssayCore", .product(name: "Yams", package: "Yams"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            plugins: ["EmbedFiles"]  // catalog/models.yaml
        ),

        // Suites: suite.yaml + cases.jsonl, loading and validation.
        .target(
            name: "AssayEvalSets",
            dependencies: ["AssayCore", "AssayConfig", .product(name: "SystemPackage", package: "swift-system")],
            plugins: ["EmbedFiles"]  // Import/*-suite.yaml
        ),

        // The ChatProvider protocol and the OpenAI-compatible streaming provider.
        .target(
            name: "AssayProviders",
            dependencies: [
                "AssayCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),

        // Deterministic graders, and the sandbox that runs model-written code.
        .target(
            name: "AssayGraders",
            dependencies: [
                "AssayCore",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            plugins: ["EmbedFiles"]  // Code/Harness/*.py
        ),

        // The run store: SQLite through GRDB, or a PostgreSQL shared by many workers (postgres-nio).
        .target(
            name: "AssayStore",
            dependencies: [
                "AssayCore", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),

        // Plans, scheduling and execution: suites x models -> graded, stored results.
        .target(
            name: "AssayRunner",
            dependencies: [
                "AssayCore", "AssayConfig", "AssayEvalSets", "AssayProviders", "AssayGraders", "AssayStore",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),

        // Aggregation and statistics over results: pure, no store (usable on results from anywhere).
        .target(
            name: "AssayAnalysis",
            dependencies: [
                "AssayCore",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),

        // Runs read back from the store for analysis: where the statistics meet SQLite.
        .target(name: "AssayRuns", dependencies: ["AssayCore", "AssayAnalysis", "AssayStore"]),

        // libxml2 (Debian libxml2-dev): the XML writer and the schema validator of the reports.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),

        // Renderers for the files in reports/<run>/: HTML, XML (+ XSD), JUnit, JSON, Markdown.
        .target(
            name: "AssayReports",
            dependencies: [
                "AssayCore", "AssayAnalysis", "AssayRuns", "AssayStore", "CLibXML2",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            plugins: ["EmbedFiles"]  // schemas/assay-report-1.xsd
        ),

        // An OpenAI-compatible server on loopback with scripted answers, for tests and demos.
        .target(
            name: "AssayTestServer",
            dependencies: [
                "AssayCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),

        // Benchmarks behind `assay-bench`: each measures a reference in the same run and prints the ratio.
        .target(
            name: "AssayBench",
            dependencies: [
                "AssayCore", "AssayConfig", "AssayEvalSets", "AssayGraders", "AssayStore", "AssayAnalysis", "AssayRuns",
                "AssayReports", "AssayRunner",
                "AssayProviders", "AssayTestServer", .product(name: "SystemPackage", package: "swift-system"),
            ],
            plugins: ["EmbedFiles"]  // human-eval-reference.py
        ),

        // The command-line tool: parses, calls the modules, maps errors to exit codes.
        .executableTarget(
            name: "assay",
            dependencies: [
                "AssayCore", "AssayConfig", "AssayEvalSets", "AssayProviders", "AssayGraders", "AssayStore",
                "AssayRunner", "AssayAnalysis", "AssayRuns", "AssayReports", "AssayTestServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),

        // The benchmarks' command line (`assay-bench sandbox`, ...), a program of its own so that
        // the tool users run carries no benchmark.
        .executableTarget(
            name: "assay-bench",
            dependencies: [
                "AssayBench", "AssayCore", "AssayStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),

        // Helpers shared by the test targets: temporary directories, the built CLI, fixtures.
        .target(
            name: "AssayTestSupport",
            dependencies: ["AssayCore"],
            path: "Tests/AssayTestSupport"
        ),
        .testTarget(name: "AssayConfigTests", dependencies: ["AssayConfig", "AssayTestSupport"]),
        .testTarget(name: "AssayEvalSetsTests", dependencies: ["AssayEvalSets", "AssayTestSupport"]),
        .testTarget(
            name: "AssayProvidersTests",
            dependencies: [
                "AssayProviders", "AssayTestServer", "AssayTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "AssayGradersTests",
            dependencies: ["AssayGraders", "AssayEvalSets", "AssayProviders", "AssayTestServer", "AssayTestSupport"]
        ),
        .testTarget(name: "AssayAnalysisTests", dependencies: ["AssayAnalysis", "AssayTestSupport"]),
        .testTarget(name: "AssayStoreTests", dependencies: ["AssayStore", "AssayTestSupport"]),
        .testTarget(
            name: "AssayRunnerTests",
            dependencies: [
                "AssayRunner", "AssayAnalysis", "AssayConfig", "AssayRuns", "AssayReports", "AssayTestServer",
                "AssayTestSupport",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "AssayReportsTests",
            dependencies: ["AssayReports", "AssayAnalysis", "AssayRuns", "AssayStore", "AssayTestSupport"],
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "AssayCLITests",
            dependencies: [
                "AssayConfig", "AssayStore", "AssayTestServer", "AssayTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Runs plans/local.yaml against the real local model (scripts/test starts it).
        .testTarget(name: "AssayEndToEndTests", dependencies: ["AssayStore", "AssayTestSupport"]),
    ]
)

for target in package.targets where target.type != .system && target.type != .plugin {
    target.swiftSettings =
        (target.swiftSettings ?? []) + [
            .enableUpcomingFeature("ExistentialAny"),
            .enableUpcomingFeature("MemberImportVisibility"),
        ]
}
