import Foundation
import AssayCore
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// An OpenAI-compatible chat-completions server on loopback, answering from a script.
///
/// It serves `POST /v1/chat/completions` (streamed as server-sent events, or whole) and
/// `GET /v1/models`, with scripted answers, time to first token, chunk pacing and usage.
/// Chunks are written at deadlines on the event loop, measured from the end of the
/// request, so scripted timings hold under load. For tests, benchmarks and `assay serve-test`.
public final class TestServer: Sendable {
    public let host: String
    public let port: Int
    private let channel: any Channel
    let state: State

    /// What the server saw, for tests to assert on.
    public struct ReceivedRequest: Sendable {
        public var method: String
        public var path: String
        public var headers: [(name: String, value: String)]
        public var body: String
        /// When it arrived, on the continuous clock (the one Assay's limiters keep time on).
        public var receivedAt: ContinuousClock.Instant
        /// The fault the server answered with, if any.
        public var fault: TestScript.Fault?
        /// For a chat request under a script with a `load`: how many were in flight when it
        /// arrived, and what that did to it.
        public var load: TestScript.LoadEffect?
    }

    final class State: Sendable {
        let script: Mutex<TestScript>
        let received = Mutex<[ReceivedRequest]>([])
        let requestCount = Atomic<Int>(0)
        let faultDraws = Mutex<SeededGenerator?>(nil)
        /// Chat requests being answered now, and the most there ever were at once.
        let inFlight = Mutex((now: 0, most: 0))
        /// The connections open now, closed with the server.
        let connections = Mutex<[ObjectIdentifier: any Channel]>([:])
        let keepRequests: Bool
        /// The script's rate limit in force, made at the first request that meets it.
        let limiter = Mutex<ServerRateLimiter?>(nil)
        /// Chat requests answered 429 by the rate limit.
        let rateLimited = Atomic<Int>(0)
        /// Chat requests the script's load refused (too many in flight).
        let overloaded = Atomic<Int>(0)
        /// Chat requests received per model ("" for all), for the script's episodes.
        let requestNumbers = Mutex<[String: Int]>([:])

        init(script: TestScript, keepRequests: Bool) {
            self.script = Mutex(script)
            self.keepRequests = keepRequests
        }

        /// Charges a request of `cost` tokens to the script's rate limit: nil when the script
        /// has none, else whether it may be answered and the headers to answer with.
        func admit(cost: Int) -> (allowed: Bool, headers: [(String, String)])? {
            guard let limit = script.withLock({ $0.rateLimit }) else { return nil }
            let now = ContinuousClock.now
            let decision = limiter.withLock { limiter -> (allowed: Bool, headers: [(String, String)]) in
                if limiter?.limit != limit { limiter = ServerRateLimiter(limit, now: now) }
                var current = limiter ?? ServerRateLimiter(limit, now: now)
                defer { limiter = current }
                return current.admit(cost: cost, now: now)
            }
            if !decision.allowed { rateLimited.add(1, ordering: .relaxed) }
            return decision
        }

        /// The script's reply for a request, and the fault drawn for it.
        func reply(for request: ParsedChatRequest) -> (TestScript.Reply, TestScript.Fault?) {
            var (reply, mix, episodes) = script.withLock {
                (
                    $0.reply(
                        model: request.model, prompt: request.prompt, images: request.images, body: request.body,
                        promptTokens: request.estimatedTokens, promptChars: request.promptChars, step: request.step),
                    $0.faults, $0.episodes
                )
            }
            if !episodes.isEmpty {
                let (mine, all) = requestNumbers.withLock { counts -> (Int, Int) in
                    counts[request.model, default: 0] += 1
                    counts["", default: 0] += 1
                    return (counts[request.model] ?? 0, counts[""] ?? 0)
                }
                _ = episodes.first { $0.apply(to: &reply, model: request.model, number: $0.model == nil ? all : mine) }
            }
            guard let mix else { return (reply, reply.fault) }
            let draw = faultDraws.withLock { state -> Double in
                // Seeded: the same faults, in the same order, run to run.
                var generator = state ?? SeededGenerator(seed: mix.seed)
                defer { state = generator }
                return generator.nextUnit()
            }
            return (reply, mix.pick(draw) ?? reply.fault)
        }
    }

    private init(host: String, port: Int, channel: any Channel, state: State) {
        self.host = host
        self.port = port
        self.channel = channel
        self.state = state
    }

    /// Starts a server; port 0 picks a free one.
    /// - Parameter keepRequests: keep every request for `received` (off for benchmarks).
    public static func start(
        host: String = "127.0.0.1", port: Int = 0, script: TestScript, keepRequests: Bool = true,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> TestServer {
        let state = State(script: script, keepRequests: keepRequests)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                let id = ObjectIdentifier(channel)
                state.connections.withLock { $0[id] = channel }
                channel.closeFuture.whenComplete { _ in state.connections.withLock { _ = $0.removeValue(forKey: id) } }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(ChatHandler(state: state))
                }
            }
            .bind(host: host, port: port)
            .get()
        guard let boundPort = channel.localAddress?.port else {
            try? await channel.close()
            throw TestServerError(message: "the server has no local port")
        }
        return TestServer(host: host, port: boundPort, channel: channel, state: state)
    }

    /// `http://127.0.0.1:PORT/v1`: what a catalog endpoint's base_url should be.
    public var baseURL: String { "http://\(host):\(port)/v1" }

    public var script: TestScript {
        get { state.script.withLock { $0 } }
    }

    public func setScript(_ script: TestScript) {
        state.script.withLock { $0 = script }
        state.faultDraws.withLock { $0 = nil }
        state.limiter.withLock { $0 = nil }
    }

    /// Chat-completions requests received so far.
    public var requestCount: Int { state.requestCount.load(ordering: .relaxed) }

    /// Chat requests the script's rate limit answered 429.
    public var rateLimitedCount: Int { state.rateLimited.load(ordering: .relaxed) }

    /// Chat requests the script's load refused, for too many in flight.
    public var overloadedCount: Int { state.overloaded.load(ordering: .relaxed) }

    /// The most chat requests the server was answering at once.
    public var maxConcurrentRequests: Int { state.inFlight.withLock { $0.most } }

    /// Every request received, when the server keeps them.
    public var received: [ReceivedRequest] { state.received.withLock { $0 } }

    /// Stops listening; open connections are closed. Ignores a failure to close: tests use
    /// `withTestServer`, which reports it (and `close()` throws it).
    public func shutdown() async {
        try? await close()
    }

    /// Stops listening, then closes the open connections. Throws what closing the listening
    /// socket threw (closing it twice is `ChannelError.alreadyClosed`); a connection the
    /// client closes at the same time is no failure.
    public func close() async throws {
        try await channel.close()
        for connection in state.connections.withLock({ Array($0.values) }) {
            try? await connection.close()
        }
    }
}

extension TestServer {
    /// Starts a server, runs `body` with it and stops the server before returning, whether
    /// `body` returns or throws.
    ///
    /// A failure to stop the server is thrown, unless `body` threw: then its error is the one
    /// thrown. The server must not be stopped inside `body`.
    public static func withTestServer<Result>(
        host: String = "127.0.0.1", port: Int = 0, script: TestScript, keepRequests: Bool = true,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (TestServer) async throws -> Result
    ) async throws -> Result {
        let server = try await start(host: host, port: port, script: script, keepRequests: keepRequests, group: group)
        let result: Result
        do {
            result = try await body(server)
        } catch {
            try? await server.close()
            throw error
        }
        try await server.close()
        return result
    }
}

public struct TestServerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
