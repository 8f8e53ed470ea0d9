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
        #expect(
            cheap.rules[1].fallback
                == RoutingPolicy.Fallback(model: "deepseek-v4-flash", onError: true, onInvalid: true))
        #expect(cheap.rules[2].match == RoutingPolicy.Match(), "the last rule is the default")

        let kimi = try RoutingPolicyFile.load(PackagePaths.root + "/routing/reasoning-to-kimi.yaml", catalog: catalog)
        try #require(kimi.rules.count == 3)
        #expect(kimi.rules.prefix(2).allSatisfy { $0.model == "moonshot-k2.5" })
        #expect(kimi.rules[1].match.tags?.contains("sarcasm") == true)

        let failover = try RoutingPolicyFile.load(
            PackagePaths.root + "/routing/flash-with-failover.yaml", catalog: catalog)
        #expect(failover.rules.count == 1)
        #expect(failover.rules[0].model == "deepseek-v4-flash")
        #expect(failover.rules[0].fallback?.model == "Qwen/Qwen3-32B")
        #expect(failover.rules[0].fallback?.latencyOverMs == 8000)

        // The seeds' three routers, verbatim.
        let keyword = try RoutingPolicyFile.load(PackagePaths.root + "/routing/keyword-to-kimi.yaml", catalog: catalog)
        #expect(keyword.rules.map(\.model) == ["moonshot-k2.5", "deepseek-v4-flash"])
        #expect(
            keyword.rules[0].match.promptContains == [
                "prove", "calculate", "step by step", "reason", "explain why", "mathematical", "proof",
            ])
        let windowed = try RoutingPolicyFile.load(
            PackagePaths.root + "/routing/flash-windowed-failover.yaml", catalog: catalog)
        #expect(
            windowed.rules[0].fallback?.window
                == FailoverWindow.Rule(errorRateOver: 0.005, p99OverMs: 800, window: 100, minRequests: 50))
        #expect(windowed.rules[0].fallback?.model == "Qwen/Qwen3-32B")
        let escalation = try RoutingPolicyFile.load(
            PackagePaths.root + "/routing/glm-escalation.yaml", catalog: catalog)
        var unsure = RoutingPolicy.Fallback(model: "GLM-5", onError: true, onInvalid: true)
        unsure.onAmbiguous = true
        unsure.onOffLabel = true
        #expect(escalation.rules[0].model == "GLM-4-9B" && escalation.rules[0].fallback == unsure)
    }

    @Test func promptConditionsMatchAsRoutersDo() {
        let keyword = RoutingPolicy.Match(promptContains: ["step by step", "Prove"])
        #expect(keyword.matches(suite: "s", kind: .math, tags: [], prompt: "Please PROVE that x > 1"))
        #expect(keyword.matches(suite: "s", kind: .math, tags: [], prompt: "go step by step"))
        #expect(!keyword.matches(suite: "s", kind: .math, tags: [], prompt: "what is 2 + 2"))
        #expect(
            !keyword.matches(suite: "s", kind: .math, tags: [], prompt: nil),
            "no stored prompt: a prompt rule cannot match")
        let chinese = RoutingPolicy.Match(script: .han)
        #expect(chinese.matches(suite: "s", kind: nil, tags: [], prompt: "这件衣服质量很好，123！"))
        #expect(!chinese.matches(suite: "s", kind: nil, tags: [], prompt: "这件 T-shirt 很好"), "mixed is not pure Chinese")
        #expect(RoutingPolicy.Match.Script.of("hello 世界") == .mixed && RoutingPolicy.Match.Script.of("42!") == nil)
        let regex = RoutingPolicy.Match(promptRegex: #"\bdef \w+\("#)
        #expect(regex.matches(suite: "s", kind: nil, tags: [], prompt: "fix: def parse(x):"))
        #expect(!regex.matches(suite: "s", kind: nil, tags: [], prompt: "define parse"))
        #expect(
            RoutingPolicy.Match(hasImage: true).matches(suite: "s", kind: nil, tags: [], prompt: "x", hasImage: true))
        #expect(
            !RoutingPolicy.Match(hasImage: false).matches(suite: "s", kind: nil, tags: [], prompt: "x", hasImage: true))
    }

    @Test func badPromptConditionsAndWindowsAreReportedWhereTheyAre() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write(
            "policy.yaml",
            """
            name: bad
            rules:
              - match: {prompt_regex: "([unclosed", script: klingon}
                model: v4-flash
                fallback: {model: qwen3-32b, error_rate_over: 5, window: 0}
              - model: v4-flash
                fallback: {model: qwen3-32b, window: 100}
            """)
        let error = #expect(throws: InputError.self) {
            try RoutingPolicyFile.load(dir.path("policy.yaml"), catalog: try CatalogFileTests.shipped())
        }
        let text = error?.description ?? ""
        #expect(text.contains("policy.yaml:3:") && text.contains("is not a regular expression"), "\(text)")
        #expect(text.contains("unknown script 'klingon'; expected one of: han, latin, mixed"))
        #expect(text.contains("policy.yaml:5:") && text.contains("error_rate_over must be a share from 0 to 1"))
        #expect(text.contains("window must be at least 1 request"))
        #expect(
            text.contains("policy.yaml:7:")
                && text.contains("window and min_requests need error_rate_over or p99_over_ms"))
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
        #expect(
            lines.contains {
                $0.hasPrefix("\(file):4: unknown key 'suites' in match; expected one of: suite, kind, tags")
            }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("\(file):4: unknown kind 'clasification'") }, "\(lines)")
        #expect(
            lines.contains { $0.hasPrefix("\(file):5: unknown model 'qwen3-9b'; did you mean 'Qwen/Qwen3-8B'") },
            "\(lines)")
        #expect(lines.contains { $0.hasPrefix("\(file):6: unknown trigger 'timeout'") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("\(file):7: two rules are named 'first'") }, "\(lines)")
    }

    /// Streaming SLAs in a gate file: inter-token latency and time per output token limits.
    @Test func aGateFileTakesInterTokenAndPerTokenLimits() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("gate.yaml", "max_itl_p99_ms: 60\nmax_itl_p50_ms: 30\nmax_tpot_p99_ms: 45\nmax_tpot_p50_ms: 0\n")
        let error = #expect(throws: InputError.self) { try GatePolicyFile.load(dir.path("gate.yaml")) }
        #expect(
            error?.diagnostics.map(\.description) == [
                "\(dir.path("gate.yaml")):4: max_tpot_p50_ms must be a number of milliseconds above 0"
            ])
        try dir.write("gate.yaml", "max_itl_p99_ms: 60\nmax_itl_p50_ms: 30\nmax_tpot_p99_ms: 45\n")
        let limits = try GatePolicyFile.load(dir.path("gate.yaml")).percentileLimits
        #expect(
            Set(limits) == [
                .init(measure: .interToken, percentile: 99, limitMs: 60),
                .init(measure: .interToken, percentile: 50, limitMs: 30),
                .init(measure: .timePerOutputToken, percentile: 99, limitMs: 45),
            ])
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
        #expect(
            typeError?.diagnostics.first?.description.hasPrefix("\(dir.path("types.yaml")):1:") == true,
            "\(String(describing: typeError))")
    }
}
