import AssayConfig
import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// docs/CI.md's recipes for sweeps too big for one job, run as written: the shared-store
/// commands, the workflow step of a matrix of workers (started in the wrong order, as a
/// matrix may start them), and the matrix of shards with its merge, report and gate. What
/// is swapped, and only that: the plan is a small one under the same name
/// (plans/nightly.yaml: evalsets/smoke-sentiment on v3.2 and v4-flash), the catalog's
/// `unified` endpoint points at `assay serve-test` answering every case right, the store is
/// the throwaway PostgreSQL, and the GitHub expressions get a matrix's values.
@Suite(.enabled(if: TestPostgres.url != nil, "needs the PostgreSQL that scripts/test starts"), .serialized)
struct CIRecipesTests {
    static func guide() throws -> String {
        try String(contentsOfFile: PackagePaths.root + "/docs/CI.md", encoding: .utf8)
    }

    /// The first fenced block of `language` after `marker` in docs/CI.md.
    static func block(after marker: String, language: String) throws -> String {
        let guide = try guide()
        guard let heading = guide.range(of: marker),
            let start = guide.range(of: "```\(language)\n", range: heading.upperBound..<guide.endIndex),
            let end = guide.range(of: "\n```", range: start.upperBound..<guide.endIndex)
        else { throw CommandError(description: "docs/CI.md has no ```\(language) block after '\(marker)'") }
        return String(guide[start.upperBound..<end.lowerBound])
    }

    /// A directory shaped like the repository for the recipes: the small plan, the catalog
    /// pointed at the server, the suite, the upgrade gate, and `assay` on the PATH.
    struct Workspace {
        let dir: TempDirectory
        let environment: [String: String]

        init(server: String) throws {
            dir = try TempDirectory("assay-recipes")
            let root = PackagePaths.root
            let catalog = try String(contentsOfFile: root + "/catalog/models.yaml", encoding: .utf8)
            try dir.write(
                "catalog/models.yaml",
                catalog.replacingOccurrences(of: "base_url: https://global-apis.com/v1", with: "base_url: \(server)"))
            for file in ["suite.yaml", "cases.jsonl"] {
                try dir.write(
                    "evalsets/smoke-sentiment/\(file)",
                    try String(contentsOfFile: root + "/evalsets/smoke-sentiment/\(file)", encoding: .utf8))
            }
            try dir.write(
                "gates/upgrade.yaml", try String(contentsOfFile: root + "/gates/upgrade.yaml", encoding: .utf8))
            try dir.write(
                "plans/nightly.yaml",
                "suites: [evalsets/smoke-sentiment]\nmodels: [v3.2, v4-flash]\ncatalog: catalog/models.yaml\nconcurrency: 4\n"
            )
            try FileManager.default.createDirectory(atPath: dir.path("bin"), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(
                atPath: dir.path("bin/assay"), withDestinationPath: PackagePaths.assayBinary)
            environment = [
                "PATH": dir.path("bin") + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
                "ASSAY_UNIFIED_API_KEY": "test",
                "STORE": try #require(TestPostgres.url),
            ]
        }

        /// `script` by bash in the workspace, `.build/release/assay` being the built one.
        func start(_ script: String) throws -> BackgroundProcess {
            let script = script.replacingOccurrences(of: ".build/release/assay", with: "assay")
            return try BackgroundProcess(
                "/bin/bash", ["-c", "set -eo pipefail\ncd '\(dir.path(""))'\n" + script], environment: environment)
        }

        func run(_ script: String) async throws -> (status: Int32?, output: String) {
            let process = try start(script)
            defer { process.stop() }
            let status = await process.waitForExit(seconds: 240)
            return (status, process.output)
        }
    }

    static let items = 16  // smoke-sentiment's 8 cases on two models

    func withWorkspace(_ body: (Workspace, any RunStore) async throws -> Void) async throws {
        let server = try await ServeTest(["--suite", PackagePaths.root + "/evalsets/smoke-sentiment"])
        defer { server.stop() }
        let workspace = try Workspace(server: server.baseURL)
        defer { workspace.dir.remove() }
        let store = try await StoreLocation.open(try #require(TestPostgres.url))
        defer { Task { await store.close() } }
        try await body(workspace, store)
    }

    @Test func theSharedStoreCommandsRunAsWritten() async throws {
        var script = try Self.block(after: "## Workers on a shared PostgreSQL", language: "sh")
        let runID = TestPostgres.uniqueRunID("sweep")
        let storeLine = try #require(script.split(separator: "\n").first { $0.hasPrefix("STORE=") })
        script = script.replacingOccurrences(of: String(storeLine), with: "# STORE comes from the environment")
            .replacingOccurrences(of: "sweep-42", with: runID)
        try await withWorkspace { workspace, store in
            let run = try await workspace.run(script)
            #expect(run.status == 0, "\(run.output)")
            #expect(try await store.resultCount(run: runID) == Self.items)
            #expect(try await store.run(runID)?.status == .completed)
            #expect(workspace.dir.exists("reports/\(runID)/index.html"), "assay report wrote the report")
            #expect(workspace.dir.exists("\(runID).sqlite"), "assay store copy made the archive")
            #expect(run.output.contains("gate passed: "), "the gate ran and passed: \(run.output)")
        }
    }

    @Test func theWorkflowsMatrixOfWorkersRunsAsWrittenWhicheverStartsFirst() async throws {
        let fragment = try Self.block(after: "In a workflow, the matrix above with", language: "yaml")
        let step = try #require(try YAMLFile.parse(fragment, path: "docs/CI.md").root?.elements?.first)
        let template = try #require(step["run"]?.scalarText)
        #expect(
            step["env"]?["STORE"]?.scalarText?.contains("secrets.") == true,
            "the store's URL (with its password) comes from a secret")
        let runID = "0\(UInt32.random(in: 1_000_000..<9_999_999))"
        func worker(_ number: Int) -> String {
            template.replacingOccurrences(of: "${{ matrix.worker }}", with: String(number)).replacingOccurrences(
                of: "${{ github.run_id }}", with: runID)
        }
        try await withWorkspace { workspace, store in
            // The joining worker first: it waits for the run (--join-timeout) instead of failing.
            let joiner = try workspace.start(worker(2))
            defer { joiner.stop() }
            try await Task.sleep(for: .seconds(1))
            let creator = try workspace.start(worker(1))
            defer { creator.stop() }
            let statuses = [await creator.waitForExit(seconds: 240), await joiner.waitForExit(seconds: 240)]
            #expect(statuses == [0, 0], "\(creator.output)\n\(joiner.output)")
            #expect(joiner.output.contains("waiting up to 600 s for run sweep-\(runID)"), "\(joiner.output)")
            #expect(try await store.resultCount(run: "sweep-\(runID)") == Self.items)
            #expect(try await store.run("sweep-\(runID)")?.status == .completed)
        }
    }

    @Test func theMatrixOfShardsMergesReportsAndGatesAsWritten() async throws {
        let workflow = try #require(
            try YAMLFile.parse(
                try Self.block(after: "## Sweeps too big for one job", language: "yaml"), path: "docs/CI.md"
            ).root)
        let shardSteps = try #require(workflow["jobs"]?["shard"]?["steps"]?.elements)
        let shardRun = try #require(
            shardSteps.first { $0["name"]?.scalarText == "Run one eighth of the sweep" }?["run"]?.scalarText)
        let shardNodes = try #require(workflow["jobs"]?["shard"]?["strategy"]?["matrix"]?["shard"]?.elements)
        let shards = shardNodes.compactMap { $0.scalarText }
        let mergeSteps = try #require(workflow["jobs"]?["merge-and-gate"]?["steps"]?.elements)
        // The merge job's own commands, in order (building and installing are the machine's).
        let commands = mergeSteps.compactMap { $0["run"]?.scalarText }.filter { $0.contains("assay ") }
        #expect(commands.count == 3, "merge, report, gate: \(commands)")
        let runID = "0\(UInt32.random(in: 1_000_000..<9_999_999))"
        func expand(_ text: String, shard: String = "") -> String {
            text.replacingOccurrences(of: "${{ matrix.shard }}", with: shard).replacingOccurrences(
                of: "${{ github.run_id }}", with: runID)
        }
        try await withWorkspace { workspace, _ in
            for shard in shards {
                // Each job of the matrix uploads its shard.sqlite as artifact shard-K; the merge job downloads them into shards/.
                let run = try await workspace.run(
                    expand(shardRun, shard: shard)
                        + "\nmkdir -p shards/shard-\(shard) && mv shard.sqlite shards/shard-\(shard)/")
                #expect(run.status == 0, "shard \(shard): \(run.output)")
            }
            let merged = try await workspace.run(commands.map { expand($0) }.joined(separator: "\n"))
            #expect(merged.status == 0, "\(merged.output)")
            let store = try Store(path: workspace.dir.path("merged.sqlite"))
            #expect(
                try await store.resultCount(run: "sweep-\(runID)") == Self.items, "the shards merged are the whole run")
            #expect(workspace.dir.exists("reports/sweep-\(runID)/index.html"))
            #expect(workspace.dir.exists("reports/gate/index.html"), "the gate wrote its report: \(merged.output)")
        }
    }

    /// The nightly site's workflow, its `assay` steps as written, on two nights: the second
    /// night's site holds both runs, labelled, with the gate's page beside them.
    @Test func theNightlySiteWorkflowRunsAndPublishesAsWrittenTwoNightsRunning() async throws {
        let workflow = try #require(
            try YAMLFile.parse(
                try Self.block(after: "## Publishing a site of every run", language: "yaml"), path: "docs/CI.md"
            ).root)
        let steps = try #require(workflow["jobs"]?["evaluate-and-publish"]?["steps"]?.elements)
        let commands = steps.compactMap { $0["run"]?.scalarText }.filter { $0.contains("assay ") }
        #expect(commands.count == 3, "run, gate, publish: \(commands)")
        try await withWorkspace { workspace, _ in
            for night in ["1", "2"] {
                let script = commands.joined(separator: "\n")
                    .replacingOccurrences(of: "${{ github.run_number }}", with: night)
                    .replacingOccurrences(of: "${{ github.sha }}", with: "abc123")
                let run = try await workspace.run(script)
                #expect(run.status == 0, "night \(night): \(run.output)")
            }
            let store = try Store(path: workspace.dir.path("history.sqlite"))
            let runs = try await store.runs()
            #expect(runs.compactMap(\.label?.text) == ["nightly 2", "nightly 1"])
            #expect(try await store.decisions().count == 2, "each night's gate is kept beside its run")
            let site = try String(contentsOfFile: workspace.dir.path("site/runs/index.html"), encoding: .utf8)
            #expect(site.contains("nightly 1") && site.contains("nightly 2") && site.contains("commit abc123"))
            #expect(workspace.dir.exists("site/index.html") && workspace.dir.exists("site/feed.xml"))
        }
    }
}
