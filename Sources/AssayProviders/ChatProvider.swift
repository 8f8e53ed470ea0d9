import AssayCore

/// Something that answers chat-completions requests.
public protocol ChatProvider: Sendable {
    /// Sends the prepared request (its body as prepared, never encoded again) and returns the
    /// whole answer with its timing and usage.
    ///
    /// Throws a `ProviderError` (classified, free of secrets) when the request fails, or
    /// `CancellationError` when the task was cancelled.
    func complete(_ request: PreparedRequest) async throws -> Completion
}

extension ChatProvider {
    /// Prepares `request` and sends it: for one-off requests (tests, benchmarks).
    public func complete(_ request: ChatRequest) async throws -> Completion {
        try await complete(PreparedRequest(request))
    }
}
