import ArgumentParser
import AssayConfig
import AssayCore
import AssayEvalSets
import AssayTestServer
import Foundation

struct ServeTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve-test",
        abstract: "Start the scripted OpenAI-compatible test server on loopback, for demos and offline runs.",
        discussion: """
            The server answers POST /v1/chat/completions (streamed or whole) and GET /v1/models.
            With --suite, it answers each case of the suite with its expected answer (an oracle):
            its label or answer, an extraction case's expected fields (as JSON), or for code
            suites its reference solution. A case with an image is known by its prompt and its
            image, so the cases of an image suite, which share a prompt, each get their own.
            --wrong-every N makes every Nth case wrong (a code case's wrong solution when it has
            one), and --wrong-model M every case that model M asks. --answer-below-tokens N
            answers right only a request whose prompt (every message) comes to at most N tokens
            by Assay's estimate (a CJK character 1/1.5 token, any other 1/4), and "I do not
            know." to a longer one: a model whose context falls short at a known length, for
            long-context suites (`assay generate long-context`); --answer-below-chars N does the
            same by characters. With --script, it answers
            from a JSON script ({"rules": [{"model": ..., "prompt_contains": ..., "step": N, "reply":
            {"text": ..., "ttft_ms": ..., "chunk_delay_ms": ..., "tool_calls": [{"name": ...,
            "arguments": "{...}"}]}}], "default": {"text": ...},
            "rate_limit": {"requests_per_second": ..., "tokens_per_second": ...,
            "burst_seconds": 1, "headers": true}, "load": {"capacity": 16,
            "ttft_ms_per_request_over": 40, "chunk_delay_ms_per_request_over": 2,
            "error_over": 64, "error_status": 503}}). A rule's "step" matches the Nth request
            after the last user message (an agent's later steps, after its calls and their
            results, count up from 1), so that a multi-step conversation can be scripted.

            --requests-per-second and --tokens-per-second make it enforce a vendor's rate limit:
            token buckets holding a second's worth, 429 with Retry-After: 1 beyond them, and
            OpenAI's x-ratelimit-* headers on every answer (--no-rate-headers leaves them out).

            --capacity N makes it degrade with load, so that a sweep of rates or concurrencies
            has a knee to find: a request that makes more than N in flight (received, not yet
            answered to the last byte) waits --slowdown-ms-per-request longer for its first
            token for each one over N (the 18th in flight, at --capacity 16, twice that), and
            its chunks come --chunk-slowdown-ms-per-request slower for each; --error-over M
            answers 503 with Retry-After: 1 to a request that would make more than M in flight.

            Example, in two terminals:
              assay serve-test --port 8090 --suite evalsets/smoke-sentiment --wrong-every 4
              assay run --suite evalsets/smoke-sentiment --model gemma3-270m \\
                  --base-url local=http://127.0.0.1:8090/v1
              assay generate long-context --lengths 1k,4k,16k --out suites/lc
              assay serve-test --port 8090 --suite suites/lc --answer-below-tokens 6000
            """
    )

    @Option(help: "The port to listen on (0 picks a free one; the first line printed names it).")
    var port = 8090

    @Option(
        name: .customLong("suite"),
        help: ArgumentHelp("Answer each case of this suite with its expected answer (repeatable).", valueName: "dir"))
    var suites: [String] = []

    @Option(
        name: .customLong("answer-below-tokens"),
        help: ArgumentHelp(
            "With --suite, answer right only prompts of at most N estimated tokens; longer ones get 'I do not know.'",
            valueName: "n"))
    var answerBelowTokens: Int?

    @Option(
        name: .customLong("answer-below-chars"),
        help: ArgumentHelp(
            "With --suite, answer right only prompts of at most N characters (every message); longer ones get 'I do not know.'",
            valueName: "n"))
    var answerBelowChars: Int?

    @Option(name: .customLong("wrong-every"), help: "With --suite, answer every Nth case wrongly.")
    var wrongEvery: Int?

    @Option(
        name: .customLong("wrong-model"),
        help: ArgumentHelp(
            "With --suite, answer every case wrongly when this model (the id as sent) asks (repeatable).",
            valueName: "id"))
    var wrongModels: [String] = []

    @Option(help: ArgumentHelp("A JSON script of replies.", valueName: "file"))
    var script: String?

    @Option(name: .customLong("ttft-ms"), help: "Milliseconds to the first token of each answer.")
    var ttftMs: Double = 20

    @Option(name: .customLong("chunk-delay-ms"), help: "Milliseconds between answer chunks (one word each).")
    var chunkDelayMs: Double = 5

    @Option(name: .customLong("requests-per-second"), help: "Enforce this request rate with 429s.")
    var requestsPerSecond: Double?

    @Option(
        name: .customLong("tokens-per-second"),
        help: "Enforce this token rate (prompt and completion tokens) with 429s.")
    var tokensPerSecond: Double?

    @Flag(
        name: .customLong("no-rate-headers"),
        help: "With a rate enforced, send no x-ratelimit-* headers (clients must learn from 429s).")
    var noRateHeaders = false

    @Option(
        help: ArgumentHelp(
            "Answer this many requests in flight at full speed; past it, each arrival is slowed (a knee).",
            valueName: "n"))
    var capacity: Int?

    @Option(
        name: .customLong("slowdown-ms-per-request"),
        help: ArgumentHelp(
            "With --capacity: milliseconds added to the time to first token per request in flight over capacity.",
            valueName: "ms"))
    var slowdownMsPerRequest: Double?

    @Option(
        name: .customLong("chunk-slowdown-ms-per-request"),
        help: ArgumentHelp(
            "With --capacity: milliseconds added between chunks per request in flight over capacity.",
            valueName: "ms"))
    var chunkSlowdownMsPerRequest: Double?

    @Option(
        name: .customLong("error-over"),
        help: ArgumentHelp(
            "Answer 503 (Retry-After: 1) to a request that would make more than this many in flight.",
            valueName: "n"))
    var errorOver: Int?

    func run() async throws {
        try await withExitStatus {
            var script = try makeScript()
            for (name, value) in [
                ("--requests-per-second", requestsPerSecond), ("--tokens-per-second", tokensPerSecond),
            ] {
                if let value, !(value > 0 && value.isFinite) {
                    throw ValidationError("\(name) must be a positive number, not \(value)")
                }
            }
            if requestsPerSecond != nil || tokensPerSecond != nil {
                script.rateLimit = TestScript.RateLimit(
                    requestsPerSecond: requestsPerSecond, tokensPerSecond: tokensPerSecond, headers: !noRateHeaders)
            }
            if let load = try load() { script.load = load }
            let server = try await TestServer.start(port: port, script: script)
            print("serving \(server.baseURL) (\(script.rules.count) scripted answers); Ctrl-C stops")
            fflush(nil)  // whoever started it (a test, a script) reads the port from this line
            while true {
                try await Task.sleep(for: .seconds(3600))
            }
        }
    }

    /// `--capacity` and its companions as the script's load; nil when none is given (a
    /// script's own `load` then holds).
    func load() throws -> TestScript.Load? {
        let slowdowns = [
            ("--slowdown-ms-per-request", slowdownMsPerRequest),
            ("--chunk-slowdown-ms-per-request", chunkSlowdownMsPerRequest),
        ]
        guard capacity != nil || errorOver != nil || slowdowns.contains(where: { $0.1 != nil }) else { return nil }
        for (name, value) in [("--capacity", capacity), ("--error-over", errorOver)] {
            if let value, value < 0 { throw ValidationError("\(name) must be 0 or more, not \(value)") }
        }
        for case let (name, value?) in slowdowns {
            guard value >= 0 && value <= 3_600_000 else {
                throw ValidationError("\(name) must be 0 to 3600000 milliseconds, not \(value)")
            }
            guard capacity != nil else {
                throw ValidationError("\(name) slows the requests over a capacity: give --capacity too")
            }
        }
        if capacity != nil, slowdowns.allSatisfy({ $0.1 == nil }) {
            throw ValidationError(
                "--capacity needs a slowdown past it: give --slowdown-ms-per-request (or --chunk-slowdown-ms-per-request)"
            )
        }
        return TestScript.Load(
            capacity: capacity, ttftMsPerRequestOver: slowdownMsPerRequest ?? 0,
            chunkDelayMsPerRequestOver: chunkSlowdownMsPerRequest ?? 0, errorOver: errorOver)
    }

    func makeScript() throws(InputError) -> TestScript {
        if let script {
            let data = try TextFile.readData(script)
            do {
                return try JSONDecoder().decode(TestScript.self, from: data)
            } catch {
                throw InputError(file: script, "not a test script: \(error)")
            }
        }
        var testScript = TestScript(
            defaultReply: .init(text: "I do not know.", ttftMs: ttftMs, chunkDelayMs: chunkDelayMs))
        for suitePath in suites.flatMap(SuiteLoader.suitePaths(under:)) {
            let suite = try SuiteLoader.load(suitePath)
            try addOracle(for: suite, images: CaseImages.load(suite), to: &testScript)
        }
        return testScript
    }

    /// A rule per case that knows it by its prompt (a tools or chat case's own last user
    /// message) and, where the case has one, its first image (cases of an image suite share
    /// their prompt).
    func addOracle(for suite: Suite, images: [String: String] = [:], to testScript: inout TestScript)
        throws(InputError)
    {
        for (index, item) in suite.cases.enumerated() {
            let carried = suite.kind.carriesMessages ? CaseMessages.routedText(of: item) : nil
            // A prompt file's text in its slot: the oracle knows a case by its whole prompt.
            var prompt = carried ?? ""
            if carried == nil { prompt = suite.prompt.render(try CasePromptFiles.filled(item, of: suite)).user }
            let image = CaseImages.paths(of: item).first.flatMap { images[$0] }
            let wrong = wrongEvery.map { $0 > 0 && (index + 1) % $0 == 0 } ?? false
            let answer = wrong ? Self.wrongText(item.expected) : Self.expectedText(item.expected)
            for model in wrongModels {
                testScript.rules.append(
                    .init(
                        model: model, promptEquals: prompt, imageEquals: image,
                        reply: .init(text: Self.wrongText(item.expected), ttftMs: ttftMs, chunkDelayMs: chunkDelayMs)))
            }
            testScript.rules.append(
                .init(
                    promptEquals: prompt, imageEquals: image, maxPromptTokens: answerBelowTokens,
                    maxPromptChars: answerBelowChars,
                    reply: .init(text: answer, ttftMs: ttftMs, chunkDelayMs: chunkDelayMs)))
        }
    }

    static func expectedText(_ expected: JSONValue) -> String {
        if let code = expected["reference"]?.stringValue { return "```python\n\(code)\n```" }
        if let values = expected["values"]?.arrayValue {
            return values.compactMap(\.stringValue).joined(separator: ", ")
        }
        for key in ["label", "answer", "text", "fields"] {
            if let value = expected[key] { return value.templateText }
        }
        return expected.templateText
    }

    static func wrongText(_ expected: JSONValue) -> String {
        if let code = expected["wrong"]?.stringValue { return "```python\n\(code)\n```" }
        return "I do not know."
    }
}
