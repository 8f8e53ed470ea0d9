import AssayConfig
import AssayCore
import AssayProviders
import AssayRunner
import AssayRuns
import AssayStore
import AssayTestServer
import AssayTestSupport
import Foundation
import NIOCore
import NIOPosix
import Testing

/// Endpoints that answer in ways meant to crash, stall or bloat a run, or to leak its key.
/// Each item must end with a classified error (or an answer), the run must end, and no key
/// may reach the store. Before: Int64.max usage trapped (exit 132), negative usage stored a
/// negative cost, a 200 MiB stream was accepted, one Retry-After of a day froze a run, a
/// wrong key was sent with every item, and an echoed key left 26 characters in the store.
@Suite struct HostileEndpointTests {
    static let key = "sk-hostile-0123456789abcdefghijklmnopqrstuvwxyz"
    static let cases = 6

    func run(
        _ reply: TestScript.Reply, faults: TestScript.FaultMix? = nil, cases: Int = Self.cases,
        settings: RunSettings = RunSettings(cache: .off),
        concurrency: Int = 2
    ) async throws -> (results: [ItemResult], requests: Int, seconds: Double) {
        let dir = try TempDirectory()
        defer { dir.remove() }
        // Threads of their own for the server and the client: megabytes of stream written and
        // parsed on the shared event loops would stall every other test's timeouts.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        do {
            let outcome = try await exchange(
                reply, faults: faults, cases: cases, settings: settings, concurrency: concurrency, dir: dir,
                group: group)
            try await group.shutdownGracefully()
            return outcome
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    func exchange(
        _ reply: TestScript.Reply, faults: TestScript.FaultMix?, cases: Int, settings: RunSettings, concurrency: Int,
        dir: TempDirectory,
        group: any EventLoopGroup
    ) async throws -> (results: [ItemResult], requests: Int, seconds: Double) {
        try await TestServer.withTestServer(script: TestScript(defaultReply: reply, faults: faults), group: group) {
            server in
            let fixture = Fixtures.sentimentSuite(count: cases)
            try dir.write("suite/suite.yaml", fixture.yaml)
            try dir.write("suite/cases.jsonl", fixture.cases)
            try dir.write(
                "catalog.yaml", Fixtures.catalog(baseURL: server.baseURL, models: ["m"], apiKeyEnv: "HOSTILE_KEY"))
            let plan = Plan(
                suites: [dir.path("suite")], models: ["m"], concurrency: concurrency, settings: settings,
                catalog: dir.path("catalog.yaml"),
                store: dir.path("assay.sqlite"), reports: dir.path("reports"))
            let clock = ContinuousClock()
            let start = clock.now
            let session = try await RunSession.prepare(plan, environment: ["HOSTILE_KEY": Self.key])
            let store = session.store
            let manifest = try await session.run(eventLoopGroup: group)
            let (seconds, attoseconds) = (clock.now - start).components
            return (
                try await store.results(run: manifest.id), server.requestCount,
                Double(seconds) + Double(attoseconds) / 1e18
            )
        }
    }

    @Test(arguments: [Int.max, -5])
    func absurdUsageIsADecodeErrorNotATrapOrANegativeCost(_ tokens: Int) async throws {
        let reply = TestScript.Reply(text: "positive", usage: .init(promptTokens: tokens, completionTokens: 3))
        var settings = RunSettings(cache: .off)
        settings.retry = RetryPolicy(maxAttempts: 1)
        let (results, _, _) = try await run(reply, settings: settings)
        #expect(results.count == Self.cases)
        for result in results {
            #expect(
                result.status == .error && result.errorKind == .decode,
                "\(result.caseID): \(result.status) \(result.errorMessage ?? "")")
            #expect(result.errorMessage?.contains("not a token count") == true)
            #expect(result.cost == nil)
        }
    }

    @Test func aStreamPastItsCapIsADecodeError() async throws {
        // 17 MiB of text in 64 KiB words: past the 16 MiB a response may hold.
        let word = String(repeating: "x", count: 64 * 1024 - 1)
        let reply = TestScript.Reply(text: Array(repeating: word, count: 17 * 16).joined(separator: " "))
        var settings = RunSettings(cache: .off)
        settings.retry = RetryPolicy(maxAttempts: 1)
        // A busy machine takes its time to write and read 17 MiB: this test is about the cap.
        settings.timeouts = RequestTimeouts(connect: 30, firstToken: 300, idle: 300, total: 600)
        let (results, _, _) = try await run(reply, cases: 1, settings: settings)
        #expect(results.count == 1)
        #expect(results.first?.errorKind == .decode, "\(String(describing: results.first?.errorMessage))")
        #expect(results.first?.errorMessage?.contains("exceeded 16 MiB") == true)
        #expect(results.first?.output == nil)
    }

    @Test func aDayLongRetryAfterDoesNotFreezeTheRun() async throws {
        let faults = TestScript.FaultMix(seed: 3, rateLimited: 1, retryAfterSeconds: 86_400)
        var settings = RunSettings(cache: .off)
        settings.retry = RetryPolicy(maxAttempts: 4, baseDelay: 0.01, maxDelay: 0.1, itemDeadline: 3)
        let (results, _, seconds) = try await run(.init(text: "positive"), faults: faults, settings: settings)
        #expect(results.count == Self.cases)
        #expect(
            results.allSatisfy { $0.status == .error && $0.errorKind == .rateLimited },
            "\(results.map { $0.errorMessage ?? "" })")
        #expect(seconds < 30, "the run ended in \(seconds) s, not after a day")
    }

    @Test func aRejectedKeyStopsTheEndpointAfterThreeTries() async throws {
        let reply = TestScript.Reply(text: "invalid api key", status: 401)
        let (results, requests, _) = try await run(reply, cases: 12, concurrency: 1)
        #expect(results.count == 12)
        #expect(requests == 3, "the key was sent \(requests) times")
        let rejected = results.filter { $0.errorKind == .http }
        let notSent = results.filter { $0.errorKind == .configuration }
        #expect(rejected.count == 3 && notSent.count == 9)
        #expect(
            notSent.allSatisfy {
                $0.errorMessage?.contains("rejected the key in $HOSTILE_KEY 3 times in a row") == true
            })
        #expect(notSent.allSatisfy { $0.attempts == 0 })
    }

    /// A limit of one request in 1e300 minutes (`1e-300` a minute) made a wait of 1e302
    /// seconds, which trapped when the item's error message turned it into an Int (exit 132).
    @Test func anAbsurdRateLimitHeaderIsIgnoredNotATrap() async throws {
        let reply = TestScript.Reply(
            text: "positive", headers: ["x-ratelimit-limit-requests": "1e-300", "x-ratelimit-remaining-requests": "0"])
        var settings = RunSettings(cache: .off)
        settings.retry = RetryPolicy(maxAttempts: 1, itemDeadline: 5)
        let (results, requests, seconds) = try await run(reply, settings: settings, concurrency: 1)
        #expect(results.count == Self.cases)
        #expect(results.allSatisfy { $0.status == .graded }, "\(results.map { $0.errorMessage ?? "" })")
        // Every item answered at once (a held endpoint would fail them past their 5 s deadline);
        // the bound only catches a hang, and is wide for a loaded machine (45 s seen in a full run).
        #expect(requests == Self.cases && seconds < 120, "\(requests) requests in \(seconds) s")
    }

    /// A model (or a proxy) that echoes the key in its answer: the answer is stored without it,
    /// and so is a start of the key that ends an answer cut short.
    @Test func aKeyEchoedInTheAnswerIsRedactedBeforeItIsStored() async throws {
        let reply = TestScript.Reply(
            text: "your key is " + Self.key + " and again " + Self.key.prefix(20),
            reasoning: "the header said " + Self.key)
        let (results, _, _) = try await run(reply, cases: 2)
        #expect(results.count == 2)
        for result in results {
            let output = try #require(result.output)
            let reasoning = try #require(result.reasoning)
            for text in [output, reasoning] {
                let leaked = (8...Self.key.count).last { text.contains(Self.key.prefix($0)) }
                #expect(leaked == nil, "\(leaked ?? 0) characters of the key leaked: \(text)")
            }
            #expect(output == "your key is [redacted] and again [redacted]", "\(output)")
        }
    }

    @Test func aKeyEchoedAcrossTheCutIsRedactedWhole() async throws {
        // The key straddles the 300th character of the message, where messages are cut: cut
        // first, 16 of its characters were left.
        let echo = String(repeating: "x", count: 260) + " you sent " + Self.key + " which is not valid"
        let reply = TestScript.Reply(text: echo, status: 401)
        let (results, _, _) = try await run(reply, cases: 1)
        let message = try #require(results.first?.errorMessage)
        let leaked = (8...Self.key.count).last { message.contains(Self.key.prefix($0)) }
        #expect(leaked == nil, "\(leaked ?? 0) characters of the key leaked: \(message)")
        #expect(message.contains("[redacted]"))
    }
}
