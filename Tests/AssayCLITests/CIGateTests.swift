import AssayConfig
import AssayCore
import AssayTestSupport
import Foundation
import Testing

/// docs/CI.md's workflow, held to what it says: its steps are in the documented order and
/// call scripts/ci-gate, and scripts/ci-gate (the exact sequence: what changed, the
/// missing evals, the gate) passes a good routing change and fails a bad one, against
/// the scripted test server in a scratch repository.
@Suite struct CIGateTests {
    static func workflow() throws -> YAMLNode {
        let guide = try String(contentsOfFile: PackagePaths.root + "/docs/CI.md", encoding: .utf8)
        guard let start = guide.range(of: "```yaml\n"), let end = guide.range(of: "\n```", range: start.upperBound..<guide.endIndex) else {
            throw CommandError(description: "docs/CI.md has no ```yaml block")
        }
        let file = try YAMLFile.parse(String(guide[start.upperBound..<end.lowerBound]), path: "docs/CI.md")
        guard let root = file.root else { throw CommandError(description: "empty workflow") }
        return root
    }

    @Test func theGuidesWorkflowRestoresRunsGatesUploadsAndPostsInThatOrder() throws {
        let workflow = try Self.workflow()
        let paths = workflow["on"]?["pull_request"]?["paths"]?.elements?.compactMap(\.scalarText) ?? []
        #expect(paths.contains("routing/**"))
        let steps = try #require(workflow["jobs"]?["gate"]?["steps"]?.elements)
        func index(_ matches: (YAMLNode) -> Bool) -> Int? { steps.firstIndex(where: matches) }
        let restore = index { $0["uses"]?.scalarText?.hasPrefix("actions/cache/restore") == true && $0["with"]?["path"]?.scalarText == ".assay" }
        let build = index { $0["run"]?.scalarText?.contains("swift build -c release --product assay") == true }
        let gate = index { $0["run"]?.scalarText?.hasPrefix("scripts/ci-gate ") == true }
        let upload = index { $0["uses"]?.scalarText?.hasPrefix("actions/upload-artifact") == true && $0["with"]?["path"]?.scalarText == "reports/ci" }
        let post = index {
            let run = $0["run"]?.scalarText ?? ""
            return run.contains("reports/ci/summary.md >> \"$GITHUB_STEP_SUMMARY\"") && run.contains("gh pr comment")
        }
        let order = [build, restore, gate, upload, post]
        #expect(order.allSatisfy { $0 != nil }, "steps found: \(order)")
        let found = order.compactMap { $0 }
        #expect(found == found.sorted(), "build, restore, gate, upload, post: \(order)")
        if let upload, let post {
            #expect(steps[upload]["if"]?.scalarText == "always()", "the report is uploaded when the gate fails")
            #expect(steps[post]["if"]?.scalarText?.hasPrefix("always()") == true)
        }
        #expect(workflow["jobs"]?["gate"]?["env"]?["ASSAY_BIN"]?.scalarText == ".build/release/assay")
        let secrets = gate.flatMap { steps[$0]["env"]?["ASSAY_UNIFIED_API_KEY"]?.scalarText } ?? ""
        #expect(secrets.contains("secrets."), "the key comes from a secret, never from the file")
    }

    /// A scratch repository shaped like ours: a production policy on main, then a change.
    struct Scratch {
        let dir: TempDirectory
        let environment: [String: String]

        init(baseURL: String) async throws {
            dir = try TempDirectory("assay-ci")
            environment = [
                "ASSAY_BIN": PackagePaths.assayBinary,
                "ASSAY_UNIFIED_API_KEY": "test-key",
                "ASSAY_PLAN": "plans/ci.yaml",
                "ASSAY_GATE": "gates/routing.yaml",
                "ASSAY_RUN_FLAGS": "--base-url unified=\(baseURL)",
            ]
            let root = PackagePaths.root
            try dir.write(
                "plans/ci.yaml",
                "suites: [\(root)/evalsets/smoke-sentiment]\nmodels: [v4-flash]\nconcurrency: 4\ncatalog: \(root)/catalog/models.yaml\n")
            try dir.write(
                "gates/routing.yaml",
                "required_suites: [smoke-sentiment]\nmin_score: {\"*\": 0.8}\nregression_tolerance: 0.02\nmax_cost_increase_percent: 25\nmax_error_rate: 0.02\n")
            try dir.write("routing/production.yaml", "name: production\nrules:\n  - name: everything to V4 Flash\n    model: v4-flash\n")
            try await git(["init", "-q", "-b", "main"])
            try await git(["add", "-A"])
            try await git(["-c", "user.email=ci@example.com", "-c", "user.name=CI", "commit", "-q", "-m", "production routing"])
        }

        func git(_ arguments: [String]) async throws {
            let result = try await runProcess("/usr/bin/env", ["git"] + arguments, in: dir.path)
            guard result.status == 0 else { throw CommandError(description: "git \(arguments): \(result)") }
        }

        func gate() async throws -> CommandResult {
            try await runProcess(PackagePaths.root + "/scripts/ci-gate", ["main"], in: dir.path, environment: environment)
        }

        func summary() throws -> String {
            try String(contentsOfFile: dir.path("reports/ci/summary.md"), encoding: .utf8)
        }
    }

    @Test func theSequencePassesAGoodRoutingChangeAndFailsABadOne() async throws {
        let server = try await ServeTest(["--suite", "evalsets/smoke-sentiment", "--wrong-model", "GLM-4-9B", "--ttft-ms", "1", "--chunk-delay-ms", "0"])
        defer { server.stop() }
        let scratch = try await Scratch(baseURL: server.baseURL)
        defer { scratch.dir.remove() }

        // Nothing changed: nothing to gate.
        let unchanged = try await scratch.gate()
        #expect(unchanged.status == 0, "\(unchanged)")
        #expect(unchanged.stdout.contains("nothing to gate"))

        // Classification to Qwen3-8B: as right as V4 Flash, and cheaper. Passes.
        try scratch.dir.write(
            "routing/production.yaml",
            "name: production\nrules:\n  - name: classification to Qwen3-8B\n    match: {kind: classification}\n    model: qwen3-8b\n    fallback: {model: v4-flash, on: [error, invalid]}\n  - model: v4-flash\n")
        let pass = try await scratch.gate()
        #expect(pass.status == 0, "\(pass)")
        #expect(try scratch.summary().contains("## Assay gate passed"))
        #expect(FileManager.default.fileExists(atPath: scratch.dir.path("reports/ci/production/index.html")))
        #expect(FileManager.default.fileExists(atPath: scratch.dir.path("reports/ci/production/junit.xml")))

        // Classification to GLM-4-9B, which answers nothing right. Fails, with the reason.
        try scratch.dir.write("routing/production.yaml", "name: production\nrules:\n  - match: {kind: classification}\n    model: glm4-9b\n  - model: v4-flash\n")
        let fail = try await scratch.gate()
        #expect(fail.status == 1, "\(fail)")
        let summary = try scratch.summary()
        #expect(summary.contains("## Assay gate failed"), "\(summary)")
        #expect(summary.contains("| no significant regression on smoke-sentiment | **FAIL** |"), "\(summary)")
        #expect(fail.stdout.contains("FAIL  min score smoke-sentiment"))

        // The missing evals only: the run for the failing change asked GLM-4-9B, and took
        // V4 Flash's answers from the store.
        let runs = try FileManager.default.contentsOfDirectory(atPath: scratch.dir.path("reports/ci/run")).filter { !$0.hasSuffix(".html") }
        let summaries = try runs.map { run in
            try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: scratch.dir.path("reports/ci/run/\(run)/summary.json"))))
        }
        #expect(summaries.count == 2)
        let models = summaries.first { ($0["run"]?["models"]?.arrayValue ?? []).contains("GLM-4-9B") }?["models"]?.arrayValue ?? []
        let flash = models.first { $0["model"] == "deepseek-v4-flash" }
        let glm = models.first { $0["model"] == "GLM-4-9B" }
        #expect(flash?["spend"]?["cached"] == 8, "V4 Flash's answers came from the cache: \(String(describing: flash))")
        #expect(glm?["spend"]?["cached"] == 0)

        // A policy that names an unknown model is bad input, not a failed gate.
        try scratch.dir.write("routing/production.yaml", "name: production\nrules:\n  - model: qwen3-9b\n")
        let bad = try await scratch.gate()
        #expect(bad.status == 2, "\(bad)")
        #expect(bad.stderr.contains("unknown model 'qwen3-9b'"))

        // A new policy, not even committed yet, is gated against itself: the rules that need
        // no baseline still judge it.
        try await scratch.git(["checkout", "--", "routing/production.yaml"])
        try scratch.dir.write("routing/glm-only.yaml", "name: glm-only\nrules:\n  - model: glm4-9b\n")
        let new = try await scratch.gate()
        #expect(new.status == 1, "\(new)")
        #expect(new.stderr.contains("routing/glm-only.yaml is new"))
        #expect(try scratch.summary().contains("**`routing/glm-only.yaml`**"))

        // Two policies of the same file name in different folders are gated apart, each
        // against itself, with reports of their own.
        try FileManager.default.removeItem(atPath: scratch.dir.path("routing/glm-only.yaml"))
        try scratch.dir.write("routing/team-a/cheap.yaml", "name: team-a\nrules:\n  - model: qwen3-8b\n")
        try scratch.dir.write("routing/team-b/cheap.yaml", "name: team-b\nrules:\n  - model: glm4-9b\n")
        let teams = try await scratch.gate()
        #expect(teams.status == 1, "\(teams)")
        let teamA = try String(contentsOfFile: scratch.dir.path("reports/ci/team-a-cheap/summary.md"), encoding: .utf8)
        let teamB = try String(contentsOfFile: scratch.dir.path("reports/ci/team-b-cheap/summary.md"), encoding: .utf8)
        #expect(teamA.hasPrefix("## Assay gate passed"), "\(teamA)")
        #expect(teamB.hasPrefix("## Assay gate failed"), "\(teamB)")
    }
}
