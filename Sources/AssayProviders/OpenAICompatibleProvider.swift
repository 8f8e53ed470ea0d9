import AssayCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A chat provider for any OpenAI-compatible endpoint, over AsyncHTTPClient.
///
/// It sends `POST {base_url}/chat/completions`, streamed by default (`stream: true` with
/// `stream_options.include_usage`), and folds the server-sent events into a `Completion`.
/// A server that answers a streamed request with plain JSON is read as a whole response.
/// Errors are `ProviderError`s with their kind; none of them contains the API key.
public struct OpenAICompatibleProvider: ChatProvider {
    public let endpoint: Endpoint
    private let apiKey: String?
    private let client: HTTPClient
    public var timeouts: Timeouts

    /// Time limits of one request. Connect and idle (between chunks) limits are the HTTP
    /// client's; the total is a deadline on the whole exchange.
    public struct Timeouts: Sendable, Hashable {
        public var connect: Duration
        public var idle: Duration
        public var total: Duration

        public init(connect: Duration = .seconds(10), idle: Duration = .seconds(60), total: Duration = .seconds(600)) {
            self.connect = connect
            self.idle = idle
            self.total = total
        }
    }

    /// The largest body read from an error response or a whole (not streamed) response.
    static let maxBodyBytes = 16 * 1024 * 1024

    public init(endpoint: Endpoint, apiKey: String?, client: HTTPClient, timeouts: Timeouts = Timeouts()) {
        self.endpoint = endpoint
        self.apiKey = apiKey
        self.client = client
        self.timeouts = timeouts
    }

    public func complete(_ request: ChatRequest) async throws -> Completion {
        guard let baseURL = endpoint.baseURLs.first else {
            throw ProviderError(kind: .configuration, message: "endpoint '\(endpoint.name)' has no base URL")
        }
        do {
            let total = timeouts.total
            return try await Self.within(total) { try await send(request, to: baseURL) }
        } catch let error as ProviderError {
            throw error.redacting(apiKey)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw Self.classify(error).redacting(apiKey)
        }
    }

    private func send(_ request: ChatRequest, to baseURL: String) async throws -> Completion {
        var http = HTTPClientRequest(url: baseURL + "/chat/completions")
        http.method = .POST
        http.headers.add(name: "Content-Type", value: "application/json")
        http.headers.add(name: "Accept", value: request.stream ? "text/event-stream" : "application/json")
        http.headers.add(name: "User-Agent", value: "assay/\(AssayVersion.current)")
        if let apiKey { http.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        http.body = .bytes(ByteBuffer(string: ChatWireFormat.body(request).compactJSON))

        let clock = ContinuousClock()
        let start = clock.now
        let response = try await client.execute(http, deadline: .now() + TimeAmount(timeouts.total))
        guard response.status == .ok else {
            let body = try? await response.body.collect(upTo: 64 * 1024)
            throw Self.statusError(response, body: body)
        }
        var builder = CompletionBuilder(start: start, servedBy: baseURL)
        let contentType = response.headers.first(name: "content-type")?.lowercased() ?? ""
        if request.stream && !contentType.hasPrefix("application/json") {
            var parser = SSEParser()
            for try await buffer in response.body {
                let now = clock.now
                for event in parser.feed(buffer.readableBytesView) {
                    try builder.consume(event, at: now)
                }
            }
            for event in parser.finish() {
                try builder.consume(event, at: clock.now)
            }
            return try builder.finishStream(at: clock.now)
        }
        let body = try await response.body.collect(upTo: Self.maxBodyBytes)
        let end = clock.now
        try builder.apply(ChatWireFormat.decode(body.readableBytesView), at: end)
        return try builder.finishWhole(at: end)
    }

    /// Runs `body`, or throws a timeout when it has not returned within `limit`; the body is
    /// cancelled then, which cancels its HTTP request. (The HTTP client's own deadline covers
    /// the response head, not a body that keeps streaming.)
    static func within<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw ProviderError(kind: .timeout, message: "no complete answer within \(limit)")
            }
            return value
        }
    }

    static func statusError(_ response: HTTPClientResponse, body: ByteBuffer?) -> ProviderError {
        let status = Int(response.status.code)
        let retryAfter = RetryAfter.seconds(from: response.headers.first(name: "retry-after"))
        var detail = body.map { String(buffer: $0) } ?? ""
        if let data = detail.data(using: .utf8), let payload = try? JSONDecoder().decode(ChatWireFormat.Payload.self, from: data),
            let message = payload.error?.message
        {
            detail = message
        }
        detail = String(detail.prefix(300)).trimmingCharacters(in: .whitespacesAndNewlines)
        let reason = response.status.reasonPhrase + (detail.isEmpty ? "" : ": \(detail)")
        switch status {
        case 429: return ProviderError(kind: .rateLimited, status: status, retryAfter: retryAfter, message: reason)
        case 500...599: return ProviderError(kind: .server, status: status, retryAfter: retryAfter, message: reason)
        default: return ProviderError(kind: .http, status: status, retryAfter: retryAfter, message: reason)
        }
    }

    static func classify(_ error: any Error) -> ProviderError {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .readTimeout, .writeTimeout, .deadlineExceeded, .getConnectionFromPoolTimeout,
                .tlsHandshakeTimeout:
                return ProviderError(kind: .timeout, message: error.description)
            case .bodyLengthMismatch:
                return ProviderError(kind: .decode, message: "the response body exceeded \(maxBodyBytes) bytes")
            default:
                return ProviderError(kind: .connection, message: error.description)
            }
        }
        if let error = error as? ChannelError, case .connectTimeout = error {
            return ProviderError(kind: .timeout, message: "connect timeout")
        }
        if error is NIOTooManyBytesError {
            return ProviderError(kind: .decode, message: "the response body exceeded \(maxBodyBytes) bytes")
        }
        return ProviderError(kind: .connection, message: String(describing: error))
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
