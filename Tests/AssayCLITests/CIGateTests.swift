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
        guard let start = guide.range(of: "```yaml\n"),
            let end = guide.range(of: "\n```", range: start.upperBound..<guide.endIndex)
        else {
            throw CommandError(description: "docs/CI.md has no ```yaml block")
        }
        let file = try YAMLFile.parse(String(guide[start.upperBound..<end.lowerBound]), path: "docs/CI.md")
        guard let root = file.root else { throw CommandError(description: "empty workflow") }
        return root
    }

    @Test func theGuidesWorkflowRestoresRunsGatesUploadsAndPostsInThatOrder() throws {
        let workflow = try Self.workflow()
        let paths = workflow["on"]?["pull_request"]?["paths"]?.elements?.compactMap(\.scalarText) ?? []
        // Everything scripts/ci-gate gates on must start the job (docs/CI.md, "What makes the script gate").
        for path in ["routing/**", "gates/routing.yaml", "plans/ci.yaml", "traffic/**", "catalog/models.yaml"] {
            #expect(paths.contains(path), "the workflow runs on changes to \(path): \(paths)")
        }
        let steps = try #require(workflow["jobs"]?["gate"]?["steps"]?.elements)
        func index(_ matches: (YAMLNode) -> Bool) -> Int? { steps.firstIndex(where: matches) }
        let restore = index {
            $0["uses"]?.scalarText?.hasPrefix("actions/cache/restore") == true
                && $0["with"]?["path"]?.scalarText == ".assay"
        }
        let build = index { $0["run"]?.scalarText?.contains("swift build -c release --product assay") == true }
        let gate = index { $0["run"]?.scalarText?.hasPrefix("scripts/ci-gate ") == true }
        let upload = index {
            $0["uses"]?.scalarText?.hasPrefix("actions/upload-artifact") == true
                && $0["with"]?["path"]?.scalarText == "reports/ci"
        }
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

        /// `catalogInRepo`: the plan reads a copy of the catalog committed in the scratch
        /// repository (catalog/models.yaml), so that a change to it is a change of the pull request.
        init(baseURL: String, catalogInRepo: Bool = false) async throws {
            dir = try TempDirectory("assay-ci")
            environment = [
                "ASSAY_BIN": PackagePaths.assayBinary,
                "ASSAY_UNIFIED_API_KEY": "test-key",
                "ASSAY_PLAN": "plans/ci.yaml",
                "ASSAY_GATE": "gates/routing.yaml",
                "ASSAY_RUN_FLAGS": "--base-url unified=\(baseURL)",
            ]
            let root = PackagePaths.root
            if catalogInRepo {
                try dir.write(
                    "catalog/models.yaml", String(contentsOfFile: root + "/catalog/models.yaml", encoding: .utf8))
            }
            let catalog = catalogInRepo ? "catalog/models.yaml" : root + "/catalog/models.yaml"
            try dir.write(
                "plans/ci.yaml",
                "suites: [\(root)/evalsets/smoke-sentiment]\nmodels: [v4-flash]\nconcurrency: 4\ncatalog: \(catalog)\n")
            try dir.write(
                "gates/routing.yaml",
                "required_suites: [smoke-sentiment]\nmin_score: {\"*\": 0.8}\nregression_tolerance: 0.02\nmax_cost_increase_percent: 25\n"
                    // As gates/routing.yaml: most routed models have no quoted input price.
                    + "assume_input_ratio: 0.6\nmax_error_rate: 0.02\n")
            try dir.write(
                "routing/production.yaml",
                "name: production\nrules:\n  - name: everything to V4 Flash\n    model: v4-flash\n")
            try dir.write(
                "traffic/production.yaml",
                "traffic:\n  - {name: classification, match: {kind: classification}, weight: 80}\n  - {name: math, match: {kind: math}, weight: 20}\n"
            )
            try await git(["init", "-q", "-b", "main"])
            try await commit("production routing")
        }

        /// Commits everything: the change is on main from here on.
        func commit(_ message: String) async throws {
            try await git(["add", "-A"])
            try await git(["-c", "user.email=ci@example.com", "-c", "user.name=CI", "commit", "-q", "-m", message])
        }

        /// Rewrites the line of `catalog/models.yaml` that holds model `id` (a scratch made with
        /// `catalogInRepo`), checking that it changed.
        func editCatalog(model id: String, _ change: (String) -> String) throws {
            let text = try dir.read("catalog/models.yaml")
            var lines = text.components(separatedBy: "\n")
            let index = try #require(
                lines.firstIndex { $0.contains("{id: \(id),") }, "catalog/models.yaml has no line for \(id)")
            let edited = change(lines[index])
            try #require(edited != lines[index], "the edit of \(id) changed nothing: \(lines[index])")
            lines[index] = edited
            try dir.write("catalog/models.yaml", lines.joined(separator: "\n"))
        }

        func git(_ arguments: [String]) async throws {
            let result = try await runProcess("/usr/bin/env", ["git"] + arguments, in: dir.path)
            guard result.status == 0 else { throw CommandError(description: "git \(arguments): \(result)") }
        }

        func gate() async throws -> CommandResult {
            try await runProcess(
                PackagePaths.root + "/scripts/ci-gate", ["main"], in: dir.path, environment: environment)
        }

        func summary() throws -> String {
            try String(contentsOfFile: dir.path("reports/ci/summary.md"), encoding: .utf8)
        }
    }

    @Test func theSequencePassesAGoodRoutingChangeAndFailsABadOne() async throws {
        let server = try await ServeTest([
            "--suite", "evalsets/smoke-sentiment", "--wrong-model", "GLM-4-9B", "--ttft-ms", "1", "--chunk-delay-ms",
            "0",
        ])
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
            "name: production\nrules:\n  - name: classification to Qwen3-8B\n    match: {kind: classification}\n    model: qwen3-8b\n    fallback: {model: v4-flash, on: [error, invalid]}\n  - model: v4-flash\n"
        )
        let pass = try await scratch.gate()
        #expect(pass.status == 0, "\(pass)")
        #expect(try scratch.summary().contains("## Assay gate passed"))
        #expect(FileManager.default.fileExists(atPath: scratch.dir.path("reports/ci/production/index.html")))
        #expect(FileManager.default.fileExists(atPath: scratch.dir.path("reports/ci/production/junit.xml")))

        // Classification to GLM-4-9B, which answers nothing right. Fails, with the reason.
        try scratch.dir.write(
            "routing/production.yaml",
            "name: production\nrules:\n  - match: {kind: classification}\n    model: glm4-9b\n  - model: v4-flash\n")
        let fail = try await scratch.gate()
        #expect(fail.status == 1, "\(fail)")
        let summary = try scratch.summary()
        #expect(summary.contains("## Assay gate failed"), "\(summary)")
        #expect(summary.contains("| no significant regression on smoke-sentiment | **FAIL** |"), "\(summary)")
        #expect(fail.stdout.contains("FAIL  min score smoke-sentiment"))

        // The missing evals only: the run for the failing change asked GLM-4-9B, and took
        // V4 Flash's answers from the store.
        let runs = try FileManager.default.contentsOfDirectory(atPath: scratch.dir.path("reports/ci/run")).filter {
            !$0.hasSuffix(".html")
        }
        let summaries = try runs.map { run in
            try JSONDecoder().decode(
                JSONValue.self,
                from: Data(contentsOf: URL(fileURLWithPath: scratch.dir.path("reports/ci/run/\(run)/summary.json"))))
        }
        #expect(summaries.count == 2)
        let models =
            summaries.first { ($0["run"]?["models"]?.arrayValue ?? []).contains("GLM-4-9B") }?["models"]?.arrayValue
            ?? []
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
    static func server() async throws -> ServeTest {
        try await ServeTest([
            "--suite", "evalsets/smoke-sentiment", "--wrong-model", "GLM-4-9B", "--ttft-ms", "1", "--chunk-delay-ms",
            "0",
        ])
    }

    /// A pull request that only changes the gate policy is gated: every routing policy, under
    /// both versions of the gate, with the diff of its rules in the summary. A loosening does
    /// not pass what the gate of the base branch fails.
    @Test func aChangedGatePolicyIsGatedUnderBothVersionsAndALooseningCannotPassItself() async throws {
        let server = try await Self.server()
        defer { server.stop() }
        let scratch = try await Scratch(baseURL: server.baseURL)
        defer { scratch.dir.remove() }
        try scratch.dir.write("routing/cheap.yaml", "name: cheap\nrules:\n  - model: qwen3-8b\n")
        try await scratch.commit("a second policy")

        // A looser cost limit: both policies are gated, under both gates, and pass both.
        let gate = try scratch.dir.read("gates/routing.yaml")
        try scratch.dir.write(
            "gates/routing.yaml",
            gate.replacingOccurrences(of: "max_cost_increase_percent: 25", with: "max_cost_increase_percent: 50"))
        let looser = try await scratch.gate()
        #expect(looser.status == 0, "\(looser)")
        #expect(!looser.stdout.contains("nothing to gate"), "\(looser)")
        var summary = try scratch.summary()
        #expect(summary.contains("The gate policy `gates/routing.yaml` differs from `main`"), "\(summary)")
        #expect(
            summary.contains("-max_cost_increase_percent: 25\n+max_cost_increase_percent: 50"),
            "the diff of its rules: \(summary)")
        for policy in ["routing/production.yaml", "routing/cheap.yaml"] {
            #expect(
                summary.contains("**`\(policy)`**\n\nGated because:\n- the gate policy `gates/routing.yaml` changed\n"),
                "\(policy): \(summary)")
        }
        #expect(
            summary.contains(
                "Under the gate policy of `main` (`reports/ci/base/gate/routing.yaml`, reports in `reports/ci/production/base-gate/`): **passed**."
            ), "\(summary)")
        let baseGate = try String(
            contentsOfFile: scratch.dir.path("reports/ci/cheap/base-gate/summary.md"), encoding: .utf8)
        #expect(baseGate.contains("against a limit of +25.0%"), "the gate of main judged it: \(baseGate)")

        // Production on GLM-4-9B, which fails the gate of main (min_score 0.8); a pull request
        // that lowers min_score to 0 passes its own gate, not the one of main: the job fails,
        // saying so, until the lowered gate has merged.
        try scratch.dir.write("gates/routing.yaml", gate)
        try scratch.dir.write("routing/production.yaml", "name: production\nrules:\n  - model: glm4-9b\n")
        try await scratch.commit("production on GLM-4-9B")
        try scratch.dir.write(
            "gates/routing.yaml",
            gate.replacingOccurrences(of: "min_score: {\"*\": 0.8}", with: "min_score: {\"*\": 0.0}"))
        let loosened = try await scratch.gate()
        #expect(loosened.status == 1, "\(loosened)")
        summary = try scratch.summary()
        #expect(summary.contains("-min_score: {\"*\": 0.8}\n+min_score: {\"*\": 0.0}"), "\(summary)")
        #expect(summary.contains("**The changed gate passes what the gate of `main` fails**"), "\(summary)")
        #expect(
            summary.contains("FAIL  min score smoke-sentiment: smoke-sentiment: 0.0% against a minimum of 80.0%"),
            "\(summary)")
        #expect(
            loosened.stderr.contains(
                "routing/production.yaml passes the changed gate gates/routing.yaml but fails its main version"),
            "\(loosened)")
        let loose = try String(contentsOfFile: scratch.dir.path("reports/ci/production/summary.md"), encoding: .utf8)
        #expect(loose.hasPrefix("## Assay gate passed"), "the lowered gate alone would pass it: \(loose)")

        // Merged, the lowered gate is the gate: nothing left to gate.
        try await scratch.commit("min_score 0")
        let merged = try await scratch.gate()
        #expect(merged.status == 0 && merged.stdout.contains("nothing to gate"), "\(merged)")
    }

    /// A pull request that only changes a traffic mix (traffic/*.yaml) gates every policy.
    @Test func aChangedTrafficMixIsGated() async throws {
        let server = try await Self.server()
        defer { server.stop() }
        let scratch = try await Scratch(baseURL: server.baseURL)
        defer { scratch.dir.remove() }
        let mix = try scratch.dir.read("traffic/production.yaml")
        try scratch.dir.write("traffic/production.yaml", mix.replacingOccurrences(of: "weight: 80", with: "weight: 60"))
        let result = try await scratch.gate()
        #expect(result.status == 0, "\(result)")
        #expect(!result.stdout.contains("nothing to gate"), "\(result)")
        let summary = try scratch.summary()
        #expect(
            summary.contains("The traffic mix `traffic/production.yaml` changed: every routing policy is gated."),
            "\(summary)")
        #expect(
            summary.contains(
                "**`routing/production.yaml`**\n\nGated because:\n- the traffic mix `traffic/production.yaml` changed\n"
            ), "\(summary)")
        #expect(summary.contains("## Assay gate passed"), "\(summary)")
    }

    /// A pull request that only changes the plan the workflow runs gates every policy.
    @Test func aChangedPlanIsGated() async throws {
        let server = try await Self.server()
        defer { server.stop() }
        let scratch = try await Scratch(baseURL: server.baseURL)
        defer { scratch.dir.remove() }
        let plan = try scratch.dir.read("plans/ci.yaml")
        try scratch.dir.write("plans/ci.yaml", plan.replacingOccurrences(of: "concurrency: 4", with: "concurrency: 2"))
        let result = try await scratch.gate()
        #expect(result.status == 0, "\(result)")
        #expect(!result.stdout.contains("nothing to gate"), "\(result)")
        let summary = try scratch.summary()
        #expect(
            summary.contains("The plan `plans/ci.yaml` differs from `main`: every routing policy is gated."),
            "\(summary)")
        #expect(
            summary.contains("**`routing/production.yaml`**\n\nGated because:\n- the plan `plans/ci.yaml` changed\n"),
            "\(summary)")
        #expect(summary.contains("## Assay gate passed"), "\(summary)")
    }

    /// A pull request that only changes how a routed model is asked, or what it costs, in the
    /// catalog gates the policies that route to it (and only those), naming model and field.
    @Test func aRoutedModelsCatalogChangeIsGated() async throws {
        let server = try await Self.server()
        defer { server.stop() }
        let scratch = try await Scratch(baseURL: server.baseURL, catalogInRepo: true)
        defer { scratch.dir.remove() }
        // Qwen3-8B is a fallback of one policy and the model of another.
        try scratch.dir.write("routing/cheap.yaml", "name: cheap\nrules:\n  - model: qwen3-8b   # was glm4-9b\n")
        try scratch.dir.write(
            "routing/flash-first.yaml",
            "name: flash-first\nrules:\n  - model: v4-flash\n    fallback: {model: qwen3-8b, on: [error]}\n")
        try await scratch.commit("two more policies")
        let catalog = try scratch.dir.read("catalog/models.yaml")
        func gated() throws -> [String] {
            let summary = try scratch.summary()
            return ["routing/production.yaml", "routing/cheap.yaml", "routing/flash-first.yaml"].filter {
                summary.contains("**`\($0)`**")
            }
        }

        // A price.
        try scratch.editCatalog(model: "Qwen/Qwen3-8B") {
            $0.replacingOccurrences(of: #"output: [0-9.]+"#, with: "output: 7.5", options: .regularExpression)
        }
        let price = try await scratch.gate()
        #expect(price.status == 0, "\(price)")
        #expect(!price.stdout.contains("nothing to gate"), "\(price)")
        #expect(try gated() == ["routing/cheap.yaml", "routing/flash-first.yaml"])
        var summary = try scratch.summary()
        #expect(
            summary.contains(
                "- routed model `qwen3-8b` (Qwen/Qwen3-8B) changed in the catalog `catalog/models.yaml`: price.output_per_million "
            ), "\(summary)")
        #expect(summary.contains(" → 7.5"), "\(summary)")

        // The id sent on the wire.
        try scratch.dir.write("catalog/models.yaml", catalog)
        try scratch.editCatalog(model: "deepseek-v4-flash") {
            $0.contains("api_id")
                ? $0
                : $0.replacingOccurrences(
                    of: "{id: deepseek-v4-flash, ", with: "{id: deepseek-v4-flash, api_id: deepseek-v4-flash-0601, ")
        }
        let apiID = try await scratch.gate()
        #expect(apiID.status == 0, "\(apiID)")
        #expect(try gated() == ["routing/production.yaml", "routing/flash-first.yaml"])
        summary = try scratch.summary()
        #expect(
            summary.contains(
                "- routed model `v4-flash` (deepseek-v4-flash) changed in the catalog `catalog/models.yaml`: api_id deepseek-v4-flash → deepseek-v4-flash-0601"
            ),
            "\(summary)")

        // The request body's extra fields.
        try scratch.dir.write("catalog/models.yaml", catalog)
        try scratch.editCatalog(model: "Qwen/Qwen3-8B") {
            $0.contains("request:")
                ? $0
                : $0.replacingOccurrences(of: "capabilities:", with: "request: {enable_thinking: false}, capabilities:")
        }
        let request = try await scratch.gate()
        #expect(request.status == 0, "\(request)")
        #expect(try gated() == ["routing/cheap.yaml", "routing/flash-first.yaml"])
        summary = try scratch.summary()
        #expect(
            summary.contains("changed in the catalog `catalog/models.yaml`: request {} → {\"enable_thinking\":false}"),
            "\(summary)")
    }

    /// A catalog change to a model no policy routes to (in either version; a comment naming
    /// it does not count), or to a price's date and source only, gates nothing.
    @Test func aCatalogChangeToAnUnroutedModelGatesNothing() async throws {
        let server = try await Self.server()
        defer { server.stop() }
        let scratch = try await Scratch(baseURL: server.baseURL, catalogInRepo: true)
        defer { scratch.dir.remove() }
        try scratch.dir.write("routing/cheap.yaml", "name: cheap\nrules:\n  - model: qwen3-8b   # model: r1 some day\n")
        try await scratch.commit("a second policy")
        try scratch.editCatalog(model: "deepseek-r1") {
            $0.replacingOccurrences(of: #"output: [0-9.]+"#, with: "output: 9.75", options: .regularExpression)
        }
        try scratch.editCatalog(model: "deepseek-v4-flash") {
            $0.replacingOccurrences(of: #"date: "[0-9-]+""#, with: #"date: "2031-01-01""#, options: .regularExpression)
        }
        let catalog = try scratch.dir.read("catalog/models.yaml")
        try scratch.dir.write("catalog/models.yaml", "# A comment.\n" + catalog)
        let result = try await scratch.gate()
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("nothing to gate"), "\(result)")
    }
}
