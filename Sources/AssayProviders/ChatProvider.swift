import AssayCore

/// Something that answers chat-completions requests.
public protocol ChatProvider: Sendable {
    /// Sends `request` and returns the whole answer with its timing and usage.
    ///
    /// Throws a `ProviderError` (classified, free of secrets) when the request fails, or
    /// `CancellationError` when the task was cancelled.
    func complete(_ request: ChatRequest) async throws -> Completion
}
