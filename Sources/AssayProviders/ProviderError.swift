import Foundation
import AssayCore

/// A failed request, classified. Its text never contains the API key.
public struct ProviderError: Error, Sendable, Hashable, CustomStringConvertible {
    public var kind: ErrorKind
    /// The HTTP status, when the server sent one.
    public var status: Int?
    /// Seconds the server asked to wait (Retry-After), when it did.
    public var retryAfter: Double?
    /// What happened, in a line; scrubbed of secrets.
    public var message: String
    /// The base URL the failed attempt went to.
    public var servedBy: String?
    /// The rate-limit headers the refusal came with, for the endpoint's gate.
    public var rateLimits: RateLimitHeaders?

    public init(
        kind: ErrorKind, status: Int? = nil, retryAfter: Double? = nil, message: String, servedBy: String? = nil
    ) {
        self.kind = kind
        self.status = status
        self.retryAfter = retryAfter
        self.message = message
        self.servedBy = servedBy
    }

    /// Whether the failure says something about the URL (down, broken) rather than about
    /// the request or the key: what trips a URL's circuit breaker.
    var countsAgainstURL: Bool {
        switch kind {
        case .server, .connection, .timeout, .decode: true
        default: false
        }
    }

    func served(by url: String) -> ProviderError {
        var copy = self
        copy.servedBy = url
        return copy
    }

    public var description: String {
        var text = kind.rawValue
        if let status { text += " (HTTP \(status))" }
        return text + ": " + message
    }

    /// Replaces every occurrence of `secret` in the message (a server may echo a header back),
    /// then cuts the message to `limit` characters: in that order, so that a key echoed across
    /// the cut cannot leave its first characters behind.
    func redacting(_ secret: String?, limit: Int = ProviderError.messageLimit) -> ProviderError {
        var copy = self
        if let secret { copy.message = message.redacting(secret) }
        if copy.message.count > limit { copy.message = String(copy.message.prefix(limit)) + "..." }
        return copy
    }

    /// The longest message kept: enough to read a server's error, not a page of HTML.
    static let messageLimit = 300
}

extension String {
    /// Every occurrence of `secret` replaced by `[redacted]`, and a start of it (at least
    /// `shortest` characters) that ends the text: a text kept up to a size limit (an error
    /// body, an answer cut at max_tokens) may end inside an echoed key.
    func redacting(_ secret: String, shortest: Int = 4) -> String {
        guard !secret.isEmpty else { return self }
        var text = contains(secret) ? replacingAll(secret, with: "[redacted]") : self
        for length in stride(from: secret.count - 1, through: max(1, shortest), by: -1)
        where text.hasSuffix(secret.prefix(length)) {
            text = String(text.dropLast(length)) + "[redacted]"
            break
        }
        return text
    }

    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = self[...]
        while let range = rest.range(of: target) {
            out += rest[..<range.lowerBound]
            out += replacement
            rest = rest[range.upperBound...]
        }
        out += rest
        return out
    }
}
