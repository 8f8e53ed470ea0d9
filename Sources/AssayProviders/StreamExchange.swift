import AssayCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One chat-completions exchange over AsyncHTTPClient's delegate API: the response is read,
/// parsed and timed on the connection's event loop, as its bytes arrive.
///
/// Timing: the clock starts when the request has been written, so that time to first token
/// and latency measure the server, not this client's connection setup or its wait for a free
/// connection; each body part is timed on the event loop when it arrives, before any hop to
/// another thread. The first-token limit is an event-loop timer that fails the exchange; the
/// total limit is the client's deadline.
///
/// "Written" is the first of: the body's last part written (`didSendRequestPart`), the
/// request reported sent (`didSendRequest`), and the response's head (a server can answer
/// once it has the body, before AsyncHTTPClient reports the body's stream finished: its end
/// is reported a hop later). Nothing read is ever set aside when the request is reported
/// sent late: one builder folds the whole response.
final class StreamExchange: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = Completion

    private let stream: Bool
    private let baseURL: String
    private let firstTokenLimit: TimeAmount?
    private let clock = ContinuousClock()
    /// When the request was written; nil until then.
    private var start: ContinuousClock.Instant?
    private var builder: CompletionBuilder
    private var parser = SSEParser()
    private var status: HTTPResponseStatus?
    private var headers = HTTPHeaders()
    private var whole = ByteBuffer()
    private var failure: ProviderError?
    private var isStreamed = false
    private var firstTokenTimer: Scheduled<Void>?

    /// The largest body kept from an error response or a whole (not streamed) response.
    static let maxBodyBytes = 16 * 1024 * 1024
    /// The most bytes a streamed response may take: its text (16 MiB at most) and the
    /// events' framing around it.
    static let maxStreamBytes = 64 * 1024 * 1024
    private var streamedBytes = 0

    init(
        stream: Bool, baseURL: String, firstTokenLimit: TimeAmount?, thinkTag: String? = nil,
        toolNames: ToolNames = ToolNames([])
    ) {
        self.stream = stream
        self.baseURL = baseURL
        self.firstTokenLimit = firstTokenLimit
        self.builder = CompletionBuilder(servedBy: baseURL, thinkTag: thinkTag, toolNames: toolNames)
    }

    func didSendRequestPart(task: HTTPClient.Task<Completion>, _ part: IOData) {
        written(task: task)
    }

    func didSendRequest(task: HTTPClient.Task<Completion>) {
        written(task: task)
    }

    /// Starts the clock (and the first-token timer) the first time the request is known written.
    private func written(task: HTTPClient.Task<Completion>) {
        guard start == nil else { return }
        start = clock.now
        guard stream, let limit = firstTokenLimit else { return }
        firstTokenTimer = task.eventLoop.scheduleTask(in: limit) { [self] in
            if !builder.hasFirstToken {
                task.fail(
                    reason: ProviderError(kind: .timeout, message: "no first token within \(Self.seconds(limit)) s"))
            }
        }
    }

    func didReceiveHead(task: HTTPClient.Task<Completion>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        written(task: task)
        status = head.status
        headers = head.headers
        let contentType = head.headers.first(name: "content-type")?.lowercased() ?? ""
        isStreamed = head.status == .ok && stream && !contentType.hasPrefix("application/json")
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Completion>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let now = clock.now
        guard failure == nil else { return task.eventLoop.makeSucceededVoidFuture() }
        if isStreamed {
            streamedBytes += buffer.readableBytes
            if streamedBytes > Self.maxStreamBytes {
                // The parser's buffers grow with what it has not dispatched: the stream's bytes
                // are capped too, not only the text it assembles.
                let error = ProviderError(
                    kind: .decode, message: "the stream exceeded \(Self.maxStreamBytes / (1024 * 1024)) MiB")
                failure = error
                task.fail(reason: error)
                return task.eventLoop.makeSucceededVoidFuture()
            }
            do {
                for event in parser.feed(buffer.readableBytesView) {
                    try builder.consume(event, at: now)
                }
            } catch {
                failure = error
                task.fail(reason: error)
            }
        } else {
            let limit = status == .ok ? Self.maxBodyBytes : 64 * 1024
            if whole.readableBytes + buffer.readableBytes <= limit {
                var copy = buffer
                whole.writeBuffer(&copy)
            } else if status == .ok {
                let error = ProviderError(
                    kind: .decode, message: "the response body exceeded \(Self.maxBodyBytes) bytes")
                failure = error
                task.fail(reason: error)
            }
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveError(task: HTTPClient.Task<Completion>, _ error: any Error) {
        firstTokenTimer?.cancel()
    }

    func didFinishRequest(task: HTTPClient.Task<Completion>) throws -> Completion {
        firstTokenTimer?.cancel()
        let end = clock.now
        if let failure { throw failure }
        guard let status, status == .ok else {
            throw OpenAICompatibleProvider.statusError(
                status: status ?? .internalServerError, headers: headers, body: whole)
        }
        let start = start ?? end
        if isStreamed {
            for event in parser.finish() {
                try builder.consume(event, at: end)
            }
            return withRateLimits(try builder.finishStream(start: start, end: end))
        }
        try builder.apply(ChatWireFormat.decode(whole.readableBytesView), at: end)
        return withRateLimits(try builder.finishWhole(start: start, end: end))
    }

    private func withRateLimits(_ completion: Completion) -> Completion {
        var completion = completion
        completion.rateLimits = RateLimitHeaders { headers.first(name: $0) }
        return completion
    }

    static func seconds(_ amount: TimeAmount) -> String {
        let value = Double(amount.nanoseconds) / 1e9
        return value == value.rounded() ? String(Int(value)) : String(value)
    }
}
