import AssayCore
import AssayProviders
import AssayTestServer
import AssayTestSupport
import Foundation
import Testing

/// The test server degrades with load as its script says: past `capacity` chat requests in
/// flight, each arrival's first token comes later by so much per request over; past
/// `error_over`, it is refused with 503 and Retry-After. What a sweep needs a knee in.
@Suite struct ServerLoadTests {
    /// How one of the requests sent at once came back: its time to first token, or the
    /// status it was refused with.
    enum Outcome: Equatable {
        case answered(ttftMs: Double)
        case refused(status: Int?, retryAfter: Double?)
    }

    /// Sends `count` streamed requests at once (each its own prompt, "request k"), and returns
    /// how each came back, by prompt, with what the server saw (by the count in flight each
    /// arrived to).
    func sendAtOnce(_ count: Int, script: TestScript) async throws -> (
        outcomes: [String: Outcome], received: [TestServer.ReceivedRequest]
    ) {
        try await TestServer.withTestServer(script: script) { server in
            let endpoint = Endpoint(name: "test", baseURLs: [server.baseURL], apiKeyEnv: nil)
            let clients = try await EndpointClients.make(
                endpoints: [(endpoint, ["m"])], environment: [:], connectionsPerHost: count + 4)
            do {
                let provider = try #require(clients.providers["test"])
                let outcomes = try await withThrowingTaskGroup(of: (String, Outcome).self) { group in
                    for k in 1...count {
                        group.addTask {
                            let prompt = "request \(k)"
                            let request = ChatRequest(
                                model: "m", messages: [ChatMessage(role: .user, text: prompt)], maxTokens: 8,
                                stream: true)
                            do {
                                let completion = try await provider.complete(request)
                                return (prompt, .answered(ttftMs: try #require(completion.timing.ttftMs)))
                            } catch let error as ProviderError {
                                return (prompt, .refused(status: error.status, retryAfter: error.retryAfter))
                            }
                        }
                    }
                    return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
                }
                await clients.shutdown()
                // In the order the server counted them (two connections may record theirs in
                // the other order a moment later).
                let received = server.received.filter { $0.path.hasSuffix("chat/completions") }
                return (outcomes, received.sorted { ($0.load?.alreadyInFlight ?? 0) < ($1.load?.alreadyInFlight ?? 0) })
            } catch {
                await clients.shutdown()
                throw error
            }
        }
    }

    /// The prompt of a request the server received.
    func prompt(_ request: TestServer.ReceivedRequest) throws -> String {
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(request.body.utf8))
        return try #require(json["messages"]?.arrayValue?.last?["content"]?.stringValue)
    }

    /// A second to the first token at rest: the requests must all arrive while the first are
    /// still being answered, which a second leaves room for on a busy machine.
    static let baseTTFT = 1000.0

    /// Scheduling slack allowed above a scripted time to first token: a little on a quiet
    /// machine, more beside other tests on two cores.
    static var slack: Double { WallClock.isQuiet ? 300 : 3000 }
    /// And below it: the client's clock starts when its event loop sees the request written,
    /// which a preempted thread sees after the server has the request (by 9 ms, measured
    /// beside another suite) and the server's delay has begun.
    static var slackBelow: Double { WallClock.isQuiet ? 30 : 300 }

    /// Capacity 4, 40 ms per request over: eight at once arrive with 0 to 7 already in
    /// flight, and the fifth to eighth wait 40, 80, 120 and 160 ms more for their first
    /// token, by the server's count and by the client's clock alike.
    @Test func pastCapacityEachArrivalWaitsLongerForItsFirstToken() async throws {
        let script = TestScript(
            defaultReply: .init(text: "fine thanks", ttftMs: Self.baseTTFT),
            load: .init(capacity: 4, ttftMsPerRequestOver: 40))
        let (outcomes, received) = try await sendAtOnce(8, script: script)
        #expect(received.count == 8)
        #expect(received.compactMap { $0.load?.alreadyInFlight } == Array(0..<8), "each counted, none twice")
        #expect(received.compactMap { $0.load?.addedTTFTMs } == [0, 0, 0, 0, 40, 80, 120, 160])
        var ttfts: [(added: Double, ttft: Double)] = []
        for request in received {
            let added = try #require(request.load?.addedTTFTMs)
            guard case .answered(let ttft)? = outcomes[try prompt(request)] else {
                Issue.record("no answer to \(try prompt(request)): \(outcomes)")
                continue
            }
            #expect(
                ttft >= Self.baseTTFT + added - Self.slackBelow && ttft < Self.baseTTFT + added + Self.slack,
                "+\(added) ms: \(ttft)")
            ttfts.append((added, ttft))
        }
        // The growth as the client sees it: the last over capacity waits about 160 ms longer
        // than those within it (a step of slack on a quiet machine; the bounds above hold anywhere).
        let within = ttfts.filter { $0.added == 0 }.map(\.ttft).max() ?? 0
        let last = ttfts.filter { $0.added == 160 }.map(\.ttft).max() ?? 0
        if WallClock.isQuiet {
            #expect(last - within >= 120, "first token at \(within) ms within capacity, \(last) ms at 4 over")
        }
    }

    @Test func withinCapacityNothingSlowsDown() async throws {
        let script = TestScript(
            defaultReply: .init(text: "fine", ttftMs: Self.baseTTFT), load: .init(capacity: 4, ttftMsPerRequestOver: 40)
        )
        for count in 1...4 {
            let (outcomes, received) = try await sendAtOnce(count, script: script)
            #expect(
                received.compactMap { $0.load?.addedTTFTMs } == Array(repeating: 0, count: count), "\(count) at once")
            for outcome in outcomes.values {
                guard case .answered(let ttft) = outcome else {
                    Issue.record("\(count) at once: \(outcome)")
                    continue
                }
                #expect(
                    ttft >= Self.baseTTFT - Self.slackBelow && ttft < Self.baseTTFT + Self.slack,
                    "\(count) at once: \(ttft) ms")
            }
        }
    }

    /// `error_over: 6`: ten at once, and the four that would make a seventh or more in
    /// flight are refused with 503 and Retry-After; six at once, none is.
    @Test func pastErrorOverRequestsAreRefusedWith503() async throws {
        let script = TestScript(
            defaultReply: .init(text: "fine", ttftMs: Self.baseTTFT),
            load: .init(errorOver: 6, retryAfterSeconds: 2))
        let (outcomes, received) = try await sendAtOnce(10, script: script)
        let refused = outcomes.values.filter { $0 == .refused(status: 503, retryAfter: 2) }
        #expect(refused.count == 4, "\(outcomes)")
        #expect(outcomes.values.count { if case .answered = $0 { true } else { false } } == 6)
        // Six in flight, then four refused (each refused one is gone at once, so a later one
        // may find six again: still one too many).
        #expect(
            received.compactMap { $0.load?.refused }
                == Array(repeating: false, count: 6) + Array(repeating: true, count: 4))
        let (fewer, _) = try await sendAtOnce(6, script: script)
        #expect(fewer.values.allSatisfy { if case .answered = $0 { true } else { false } }, "\(fewer)")
    }

    /// The script's `load` section, as `assay serve-test --script` reads it.
    @Test func theLoadSectionDecodesAndIsChecked() throws {
        let json = #"""
            {"load": {"capacity": 16, "ttft_ms_per_request_over": 40, "chunk_delay_ms_per_request_over": 2,
                      "error_over": 64, "error_status": 503}}
            """#
        let script = try JSONDecoder().decode(TestScript.self, from: Data(json.utf8))
        let load = try #require(script.load)
        #expect(
            load
                == TestScript.Load(capacity: 16, ttftMsPerRequestOver: 40, chunkDelayMsPerRequestOver: 2, errorOver: 64)
        )
        #expect(
            load.effect(alreadyInFlight: 15)
                == .init(alreadyInFlight: 15, addedTTFTMs: 0, addedChunkDelayMs: 0, refused: false))
        #expect(
            load.effect(alreadyInFlight: 18)
                == .init(alreadyInFlight: 18, addedTTFTMs: 120, addedChunkDelayMs: 6, refused: false))
        #expect(load.effect(alreadyInFlight: 64).refused && !load.effect(alreadyInFlight: 63).refused)
        for bad in [
            #"{"load": {"ttft_ms_per_request_over": 40}}"#, #"{"load": {"capacity": -1}}"#,
            #"{"load": {"error_over": 4, "error_status": 200}}"#,
        ] {
            #expect(throws: DecodingError.self, "\(bad)") {
                try JSONDecoder().decode(TestScript.self, from: Data(bad.utf8))
            }
        }
    }
}
