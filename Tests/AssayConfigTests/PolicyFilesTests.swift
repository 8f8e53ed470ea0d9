import AssayConfig
import AssayCore
import AssayTestSupport
import Testing

@Suite struct PolicyFilesTests {
    @Test func theShippedRoutingExamplesReproduceOurUsersRouters() throws {
        let catalog = try CatalogFileTests.shipped()
        let cheap = try RoutingPolicyFile.load(PackagePaths.root + "/routing/cheap-first.yaml", catalog: catalog)
        #expect(cheap.name == "cheap-first")
        #expect(cheap.rules.map(\.model) == ["GLM-4-9B", "Qwen/Qwen3-8B", "deepseek-v4-flash"])
        #expect(cheap.rules[1].match.kinds == [.classification])
        #expect(cheap.rules[1].fallback == RoutingPolicy.Fallback(model: "deepseek-v4-flash", onError: true, onInvalid: true))
        #expect(cheap.rules[2].match == RoutingPolicy.Match(), "the last rule is the default")

        let kimi = try RoutingPolicyFile.load(PackagePaths.root + "/routing/reasoning-to-kimi.yaml", catalog: catalog)
        try #require(kimi.rules.count == 3)
        #expect(kimi.rules.prefix(2).allSatisfy { $0.model == "moonshot-k2.5" })
        #expect(kimi.rules[1].match.tags?.contains("sarcasm") == true)

        let failover = try RoutingPolicyFile.load(PackagePaths.root + "/routing/flash-with-failover.yaml", catalog: catalog)
        #expect(failover.rules.count == 1)
        #expect(failover.rules[0].model == "deepseek-v4-flash")
        #expect(failover.rules[0].fallback?.model == "Qwen/Qwen3-32B")
        #expect(failover.rules[0].fallback?.latencyOverMs == 8000)
    }

    @Test func theShippedGatesLoad() throws {
        let routing = try GatePolicyFile.load(PackagePaths.root + "/gates/routing.yaml")
        #expect(routing.alpha == 0.05)
        #expect(routing.requiredSuites.contains("zh-intent"))
        #expect(routing.minScore["*"] == 0.5)
        #expect(routing.regressionTolerance == 0.02)
        #expect(routing.maxErrorRate == 0.02)
        _ = try GatePolicyFile.load(PackagePaths.root + "/gates/upgrade.yaml")
    }

    @Test func aBadRoutingPolicyIsReportedWithFileLineForEveryProblem() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write(
            "bad.yaml",
            """
            name: bad
            rules:
              - name: first
                match: {kind: clasification, suites: [x]}
                model: qwen3-9b
                fallback: {model: v4-flash, on: [timeout]}
              - name: first
                model: v4-flash
            """)
        let error = #expect(throws: InputError.self) {
            try RoutingPolicyFile.load(dir.path("bad.yaml"), catalog: try CatalogFileTests.shipped())
        }
        let lines = error?.diagnostics.map(\.description) ?? []
        let file = dir.path("bad.yaml")
        #expect(lines.contains("\(file):4: unknown key 'suites' in match; expected one of: suite, kind, tags"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("\(file):4: unknown kind 'clasification'") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("\(file):5: unknown model 'qwen3-9b'; did you mean 'Qwen/Qwen3-8B'") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("\(file):6: unknown trigger 'timeout'") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("\(file):7: two rules are named 'first'") }, "\(lines)")
    }

    @Test func aBadGatePolicyIsReportedWithFileLine() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("gate.yaml", "alpha: 1.5\nmin_score: {a: 2}\nmax_p99: 100\nmax_error_rate: -1\n")
        let error = #expect(throws: InputError.self) { try GatePolicyFile.load(dir.path("gate.yaml")) }
        let lines = error?.diagnostics.map(\.description) ?? []
        let file = dir.path("gate.yaml")
        #expect(lines.contains("\(file):1: alpha must be between 0 and 1"), "\(lines)")
        #expect(lines.contains("\(file):2: min_score of 'a' must be from 0 to 1"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("\(file):3: unknown key 'max_p99' in a gate policy") }, "\(lines)")
        #expect(lines.contains("\(file):4: max_error_rate must be from 0 to 1"), "\(lines)")
        try dir.write("types.yaml", "alpha: often\n")
        let typeError = #expect(throws: InputError.self) { try GatePolicyFile.load(dir.path("types.yaml")) }
        #expect(typeError?.diagnostics.first?.description.hasPrefix("\(dir.path("types.yaml")):1:") == true, "\(String(describing: typeError))")
    }
}
