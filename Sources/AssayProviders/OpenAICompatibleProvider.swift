import AssayCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// A chat provider for any OpenAI-compatible endpoint, over AsyncHTTPClient.
///
/// It sends `POST {base_url}/chat/completions`, streamed by default (`stream: true` with
/// `stream_options.include_usage`), and folds the server-sent events into a `Completion`.
/// A server that answers a streamed request with plain JSON is read as a whole response.
/// One call is one attempt, to the base URL the endpoint's `BaseURLSelector` picks (its
/// circuit breakers move requests off a failing region). Errors are `ProviderError`s with
/// their kind; none of them contains the API key. Time limits: connect and idle (between
/// chunks) are the HTTP client's; first token and total are enforced here.
public struct OpenAICompatibleProvider: ChatProvider {
    public let endpoint: Endpoint
    private let apiKey: String?
    private let client: HTTPClient
    public let timeouts: RequestTimeouts
    public let selector: BaseURLSelector

    static let maxBodyBytes = StreamExchange.maxBodyBytes

    public init(endpoint: Endpoint, apiKey: String?, client: HTTPClient, timeouts: RequestTimeouts = RequestTimeouts())
    {
        self.endpoint = endpoint
        self.apiKey = apiKey
        self.client = client
        self.timeouts = timeouts
        self.selector = BaseURLSelector(urls: endpoint.baseURLs)
    }

    public func complete(_ request: PreparedRequest) async throws -> Completion {
        guard let baseURL = selector.next() else {
            throw ProviderError(kind: .configuration, message: "endpoint '\(endpoint.name)' has no base URL")
        }
        do {
            let completion = try await send(request, to: baseURL)
            selector.succeeded(baseURL)
            return Self.redacting(apiKey, in: completion)
        } catch let error as ProviderError {
            if error.countsAgainstURL { selector.failed(baseURL) }
            throw error.redacting(apiKey).served(by: baseURL)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            let classified = Self.classify(error)
            if classified.countsAgainstURL { selector.failed(baseURL) }
            throw classified.redacting(apiKey).served(by: baseURL)
        }
    }

    /// The answer and its reasoning without the key, as errors are (`ProviderError.redacting`):
    /// a model (or a proxy) may echo it, and answers are stored, cached and reported. A key
    /// shorter than 8 characters is left alone (it would cut ordinary words out of answers),
    /// and so is a start of it shorter than 8 at the end of a cut answer.
    static func redacting(_ apiKey: String?, in completion: Completion) -> Completion {
        guard let apiKey, apiKey.count >= 8 else { return completion }
        var copy = completion
        copy.text = completion.text.redacting(apiKey, shortest: 8)
        copy.reasoning = completion.reasoning.map { $0.redacting(apiKey, shortest: 8) }
        copy.toolCalls = completion.toolCalls?.map { call in
            ToolCall(
                id: call.id, name: call.name.redacting(apiKey, shortest: 8),
                argumentsText: call.argumentsText.redacting(apiKey, shortest: 8))
        }
        return copy
    }

    private func send(_ prepared: PreparedRequest, to baseURL: String) async throws -> Completion {
        let request = prepared.request
        var http = try HTTPClient.Request(url: baseURL + "/chat/completions", method: .POST)
        http.headers.add(name: "Content-Type", value: "application/json")
        http.headers.add(name: "Accept", value: request.stream ? "text/event-stream" : "application/json")
        http.headers.add(name: "User-Agent", value: "assay/\(AssayVersion.current)")
        if let apiKey { http.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        http.body = prepared.file == nil ? .string(prepared.body) : .streamed(prepared)
        let total = TimeAmount(.seconds(timeouts.total))
        let exchange = StreamExchange(
            stream: request.stream, baseURL: baseURL,
            firstTokenLimit: timeouts.firstToken < timeouts.total ? TimeAmount(.seconds(timeouts.firstToken)) : nil,
            thinkTag: request.thinkTag,
            toolNames: prepared.toolNames)
        let task = client.execute(request: http, delegate: exchange, deadline: .now() + total)
        return try await withTaskCancellationHandler {
            do {
                return try await task.futureResult.get()
            } catch let error as HTTPClientError where error == .deadlineExceeded {
                throw ProviderError(
                    kind: .timeout, message: "no complete answer within \(StreamExchange.seconds(total)) s")
            }
        } onCancel: {
            task.cancel()
        }
    }

    static func statusError(status response: HTTPResponseStatus, headers: HTTPHeaders, body: ByteBuffer?)
        -> ProviderError
    {
        let status = Int(response.code)
        let rateLimits = RateLimitHeaders { headers.first(name: $0) }
        // `retry-after-ms` (OpenAI, Azure) is the finer of the two when both are sent.
        let retryAfter =
            rateLimits?.retryAfterMs.map { $0 / 1000 } ?? RetryAfter.seconds(from: headers.first(name: "retry-after"))
        var detail = body.map { String(buffer: $0) } ?? ""
        if let message = (try? ChatWireFormat.decode(detail.utf8))?.error?.message { detail = message }
        // Cut only after the key is redacted (`complete` does both), never before.
        detail = detail.trimmingCharacters(in: .whitespacesAndNewlines)
        let reason = response.reasonPhrase + (detail.isEmpty ? "" : ": \(detail)")
        let kind: ErrorKind =
            switch status {
            case 429: .rateLimited
            case 500...599: .server
            default: .http
            }
        var error = ProviderError(kind: kind, status: status, retryAfter: retryAfter, message: reason)
        error.rateLimits = rateLimits
        return error
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
