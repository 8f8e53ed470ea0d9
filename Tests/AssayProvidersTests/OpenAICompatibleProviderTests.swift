import AssayCore
@testable import AssayProviders
import AssayTestServer
import Foundation
import NIOHTTP1
import Testing

@Suite struct OpenAICompatibleProviderTests {
    static let secret = "sk-test-SECRET-0123456789abcdef"

    /// Runs `body` with a server answering from `script` and a provider for it.
    func withProvider(
        _ script: TestScript, apiKeyEnv: String? = "TEST_KEY", environment: [String: String] = ["TEST_KEY": secret],
        timeouts: RequestTimeouts = RequestTimeouts(),
        _ body: (any ChatProvider, TestServer) async throws -> Void
    ) async throws {
        try await TestServer.withTestServer(script: script) { server in
            let endpoint = Endpoint(name: "test", baseURLs: [server.baseURL], apiKeyEnv: apiKeyEnv)
            let clients = try await EndpointClients.make(
                endpoints: [(endpoint, ["m"])], environment: environment, connectionsPerHost: 4, timeouts: timeouts)
            do {
                let provider = try #require(clients.providers["test"])
                try await body(provider, server)
            } catch {
                await clients.shutdown()
                throw error
            }
            await clients.shutdown()
        }
    }

    func request(_ prompt: String = "hello", stream: Bool = true) -> ChatRequest {
        ChatRequest(model: "m", messages: [ChatMessage(role: .user, text: prompt)], maxTokens: 16, stream: stream)
    }

    @Test func aStreamedAnswerIsCollectedWithUsageAndTiming() async throws {
        let reply = TestScript.Reply(
            text: "The answer is forty two", ttftMs: 80, chunkDelayMs: 10,
            usage: .init(promptTokens: 11, completionTokens: 6, reasoningTokens: 0))
        try await withProvider(TestScript(defaultReply: reply)) { provider, server in
            let completion = try await provider.complete(request())
            #expect(completion.text == "The answer is forty two")
            #expect(completion.finishReason == "stop")
            #expect(completion.usage == Usage(promptTokens: 11, completionTokens: 6, reasoningTokens: 0))
            #expect(completion.reasoning == nil)
            #expect(completion.servedBy == server.baseURL)
            let ttft = try #require(completion.timing.ttftMs)
            // The empty role chunk goes out at once; the first content 80 ms later. (5 ms of
            // slack below: the client's clock starts when its event loop sees the request
            // written, which a preempted thread can see a little after the server has it.)
            #expect(ttft >= 75 && ttft < 1000, "ttft \(ttft)")
            // Five words, 10 ms apart: the last leaves the server 120 ms after the request arrived.
            #expect(completion.timing.latencyMs >= 115 && completion.timing.latencyMs >= ttft)
            let sent = try #require(server.received.last)
            #expect(sent.path == "/v1/chat/completions")
            #expect(
                sent.headers.contains { $0.name.lowercased() == "authorization" && $0.value == "Bearer \(Self.secret)" }
            )
            #expect(sent.body.contains(#""include_usage":true"#))
        }
    }

    /// The test server enforcing a vendor's rate: answers carry the x-ratelimit headers, and
    /// the request past the burst is refused with Retry-After; the provider hands both on.
    @Test func rateLimitHeadersAreReadFromAnswersAndRefusals() async throws {
        // One a minute: the second request is refused however slowly a busy machine sends it.
        let limit = TestScript.RateLimit(requestsPerSecond: 1.0 / 60, burstSeconds: 60, retryAfterSeconds: 2)
        try await withProvider(TestScript(defaultReply: .init(text: "ok"), rateLimit: limit)) { provider, server in
            let answer = try await provider.complete(request())
            #expect(answer.rateLimits?.limitRequests == 1, "per minute")
            #expect(answer.rateLimits?.remainingRequests == 0)
            #expect((answer.rateLimits?.resetRequests ?? 0) > 50, "a minute to refill the one spent")
            do {
                _ = try await provider.complete(request())
                Issue.record("the second request within the burst's refill must be refused")
            } catch let error as ProviderError {
                #expect(error.kind == .rateLimited && error.status == 429)
                #expect(error.retryAfter == 2)
                #expect(error.rateLimits?.remainingRequests == 0)
            }
            #expect(server.rateLimitedCount == 1 && server.requestCount == 2)
        }
    }

    @Test func retryAfterMsIsPreferredToRetryAfter() {
        var headers = HTTPHeaders()
        headers.add(name: "Retry-After", value: "3")
        headers.add(name: "retry-after-ms", value: "250")
        let error = OpenAICompatibleProvider.statusError(status: .tooManyRequests, headers: headers, body: nil)
        #expect(error.retryAfter == 0.25)
    }

    @Test func reasoningIsKeptApartAndTimedOnItsOwn() async throws {
        let reply = TestScript.Reply(text: "42", reasoning: "six times seven", ttftMs: 50, chunkDelayMs: 30)
        try await withProvider(TestScript(defaultReply: reply)) { provider, _ in
            let completion = try await provider.complete(request())
            #expect(completion.text == "42")
            #expect(completion.reasoning == "six times seven")
            #expect(completion.usage?.reasoningTokens == 3 && completion.usage?.completionTokens == 4)
            let first = try #require(completion.timing.firstReasoningMs)
            let ttft = try #require(completion.timing.ttftMs)
            // Three reasoning words 30 ms apart from 50 ms, then the answer 30 ms after the last
            // (at 140 ms: never earlier; a busy machine may fire any of the timers late).
            #expect(first >= 45 && ttft >= 135 && ttft > first, "first reasoning \(first) ms, first answer \(ttft) ms")
        }
    }

    /// Inline `<think>` blocks, as R1 distills write them: out of the answer, timed as
    /// reasoning, whatever chunk boundaries split the tags; and off for a model without a tag.
    @Test func inlineThinkBlocksAreTakenOutOfTheAnswer() async throws {
        let reply = TestScript.Reply(
            text: "The answer is 42.", reasoning: "six times seven is forty two", inlineThink: true, ttftMs: 10,
            chunkDelayMs: 10)
        for stream in [true, false] {
            try await withProvider(TestScript(defaultReply: reply)) { provider, _ in
                var asked = request(stream: stream)
                asked.thinkTag = "think"
                let completion = try await provider.complete(asked)
                #expect(completion.text == "The answer is 42.", "\(completion.text.debugDescription)")
                #expect(completion.reasoning == "six times seven is forty two")
                if stream {
                    let first = try #require(completion.timing.firstReasoningMs)
                    let ttft = try #require(completion.timing.ttftMs)
                    #expect(
                        ttft >= 65 && ttft > first,
                        "six reasoning words (10 ms apart from 10 ms) before the answer: \(first) -> \(ttft)")
                }
                var plain = request(stream: stream)
                plain.thinkTag = nil
                let untouched = try await provider.complete(plain)
                #expect(
                    untouched.text.hasPrefix("<think>six times") && untouched.reasoning == nil,
                    "no tag: the content as sent")
            }
        }
    }

    @Test func aStreamWithoutUsageMarksUsageUnknown() async throws {
        try await withProvider(TestScript(defaultReply: .init(text: "ok", omitUsage: true))) { provider, _ in
            let completion = try await provider.complete(request())
            #expect(completion.text == "ok")
            #expect(completion.usage == nil)
        }
    }

    @Test func aWholeResponseIsReadWithoutTTFT() async throws {
        let reply = TestScript.Reply(
            text: "whole answer", ttftMs: 30, usage: .init(promptTokens: 3, completionTokens: 2))
        try await withProvider(TestScript(defaultReply: reply)) { provider, server in
            let completion = try await provider.complete(request(stream: false))
            #expect(completion.text == "whole answer")
            #expect(completion.usage == Usage(promptTokens: 3, completionTokens: 2))
            #expect(completion.timing.ttftMs == nil)
            #expect(completion.timing.latencyMs >= 25, "the server waits 30 ms; 5 ms of slack as above")
            #expect(server.received.last?.body.contains(#""stream":false"#) == true)
        }
    }

    @Test func noKeyMeansNoAuthorizationHeader() async throws {
        try await withProvider(TestScript(), apiKeyEnv: nil, environment: [:]) { provider, server in
            _ = try await provider.complete(request())
            #expect(server.received.last?.headers.contains { $0.name.lowercased() == "authorization" } == false)
        }
    }

    func expectFailure(_ reply: TestScript.Reply, timeouts: RequestTimeouts = RequestTimeouts()) async throws
        -> ProviderError?
    {
        var caught: ProviderError?
        try await withProvider(TestScript(defaultReply: reply), timeouts: timeouts) { provider, _ in
            caught = await #expect(throws: ProviderError.self) { try await provider.complete(request()) }
        }
        return caught
    }

    @Test func httpErrorsAreClassified() async throws {
        let limited = try await expectFailure(.init(text: "slow down", status: 429))
        #expect(limited?.kind == .rateLimited)
        #expect(limited?.status == 429)
        #expect(limited?.message.contains("slow down") == true)
        #expect(try await expectFailure(.init(text: "boom", status: 503))?.kind == .server)
        #expect(try await expectFailure(.init(text: "boom", status: 500))?.kind == .server)
        let unauthorized = try await expectFailure(.init(text: "bad key", status: 401))
        #expect(unauthorized?.kind == .http)
        #expect(unauthorized?.status == 401)
    }

    @Test func aCutStreamIsAnErrorNotAShortAnswer() async throws {
        let error = try await expectFailure(.init(text: "partial answer", fault: .cutStream))
        #expect(error?.kind == .decode)
        #expect(error?.message.contains("truncated") == true)
    }

    @Test func aMalformedChunkIsADecodeError() async throws {
        #expect(try await expectFailure(.init(text: "x", fault: .malformedChunk))?.kind == .decode)
    }

    @Test func aSlowServerTimesOut() async throws {
        let error = try await expectFailure(.init(text: "late", ttftMs: 3000), timeouts: RequestTimeouts(total: 0.3))
        #expect(error?.kind == .timeout)
        #expect(error?.message.contains("no complete answer within 0.3 s") == true)
    }

    @Test func aClosedPortIsAConnectionError() async throws {
        let url = try await TestServer.withTestServer(script: TestScript()) { server in server.baseURL }
        let clients = try await EndpointClients.make(
            endpoints: [(Endpoint(name: "gone", baseURLs: [url]), ["m"])], environment: [:], connectionsPerHost: 1)
        if let provider = clients.providers["gone"] {
            let error = await #expect(throws: ProviderError.self) { try await provider.complete(request()) }
            #expect(error?.kind == .connection)
        } else {
            Issue.record("no provider for the endpoint")
        }
        await clients.shutdown()
    }

    @Test func theKeyNeverAppearsInAnError() async throws {
        let error = try await expectFailure(.init(text: "", fault: .echoAuthorization))
        let text = try #require(error?.description)
        #expect(text.contains("[redacted]"), "the server did echo the header back: \(text)")
        #expect(!text.contains(Self.secret))
        #expect(!text.contains("SECRET"))
    }

    @Test func aMissingKeyStopsBeforeAnyRequest() async throws {
        let endpoint = Endpoint(
            name: "unified", baseURLs: ["http://127.0.0.1:9/v1"], apiKeyEnv: "ASSAY_UNIFIED_API_KEY")
        let error = await #expect(throws: InputError.self) {
            try await EndpointAccess.check(
                endpoints: [(endpoint, ["deepseek-v4-flash", "GLM-5"])], environment: ["ASSAY_UNIFIED_API_KEY": "  "])
        }
        #expect(
            error?.description
                == "environment: set ASSAY_UNIFIED_API_KEY to the API key of endpoint 'unified' (used by deepseek-v4-flash, GLM-5)"
        )
    }

    @Test func noFirstTokenInTimeIsATimeoutEvenWhenTheTotalAllowsMore() async throws {
        let error = try await expectFailure(
            .init(text: "late", ttftMs: 3000), timeouts: RequestTimeouts(firstToken: 0.3, total: 10))
        #expect(error?.kind == .timeout)
        #expect(error?.message.contains("no first token within 0.3 s") == true, "\(String(describing: error))")
    }

    @Test func aSlowButSteadyStreamIsNotCutByTheFirstTokenLimit() async throws {
        let reply = TestScript.Reply(text: "one two three four five six", ttftMs: 50, chunkDelayMs: 500)
        try await withProvider(TestScript(defaultReply: reply), timeouts: RequestTimeouts(firstToken: 1.5, total: 20)) {
            provider, _ in
            let completion = try await provider.complete(request())
            #expect(completion.text == "one two three four five six", "2.5 s in all, past the 1.5 s first-token limit")
        }
    }

    @Test func aServerThatNeverAnswersIsCutAtTheFirstTokenLimit() async throws {
        let script = TestScript(defaultReply: .init(text: "x"), faults: .init(hang: 1))
        var caught: ProviderError?
        try await withProvider(script, timeouts: RequestTimeouts(firstToken: 0.3, total: 5)) { provider, _ in
            caught = await #expect(throws: ProviderError.self) { try await provider.complete(request()) }
        }
        #expect(caught?.kind == .timeout)
    }

    @Test func aResetConnectionIsAConnectionError() async throws {
        let script = TestScript(defaultReply: .init(text: "x"), faults: .init(reset: 1))
        var caught: ProviderError?
        try await withProvider(script) { provider, _ in
            caught = await #expect(throws: ProviderError.self) { try await provider.complete(request()) }
        }
        #expect(caught?.kind == .connection, "\(String(describing: caught))")
    }
}
