/// How a request failed, in the classes that matter for retrying and for reports.
public enum ErrorKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// 429 Too Many Requests.
    case rateLimited = "rate_limited"
    /// Any 5xx status.
    case server = "server"
    /// Any other non-success status (400, 401, 404, ...).
    case http = "http"
    /// A connect, first-token, idle or total timeout.
    case timeout = "timeout"
    /// Connection refused, reset or closed early.
    case connection = "connection"
    /// A body that is not the chat-completions format, including a stream cut before `[DONE]`.
    case decode = "decode"
    /// A missing key, an unreadable input file: nothing was sent.
    case configuration = "configuration"
    /// The answer came, but the grader could not grade it (the code sandbox failed).
    case grader = "grader"
    /// Not sent: the run's spending cap (`--max-cost`) was reached.
    case budget = "budget"
}
