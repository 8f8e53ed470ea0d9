import Foundation

/// The rate-limit headers a vendor sends with an answer (OpenAI's names, which DeepSeek,
/// Moonshot, Qwen's compatible mode and most gateways copy):
///
/// - `x-ratelimit-limit-requests` / `-tokens`: the limit, per minute;
/// - `x-ratelimit-remaining-requests` / `-tokens`: what is left of it now;
/// - `x-ratelimit-reset-requests` / `-tokens`: when it is whole again, as a duration
///   (`1s`, `6m0s`, `20ms`, `1h2m3.5s`) or plain seconds;
/// - `retry-after-ms` (milliseconds) and `Retry-After` (seconds or an HTTP-date; read by the
///   provider, which knows the date), on a 429 or 503.
///
/// Values that do not read (negative, not numbers) or that no server means (outside
/// `requestLimits`, `tokenLimits`, `counts`) are left out, never guessed: a limit of
/// `1e-300` a minute made a wait of 1e302 seconds, which trapped the run when it was turned
/// into a whole number of seconds.
public struct RateLimitHeaders: Sendable, Hashable {
    /// Request limits taken, per minute: one request in 1,000 minutes to a billion a minute.
    public static let requestLimits: ClosedRange<Double> = 1e-3...1e9
    /// Token limits taken, per minute.
    public static let tokenLimits: ClosedRange<Double> = 1e-3...1e12
    /// Remaining counts and `retry-after-ms` taken.
    public static let counts: ClosedRange<Double> = 0...1e12

    public var limitRequests: Double?
    public var remainingRequests: Double?
    /// Seconds until the request allowance is whole again.
    public var resetRequests: Double?
    public var limitTokens: Double?
    public var remainingTokens: Double?
    public var resetTokens: Double?
    /// Seconds the server asked to wait before the next request (`retry-after-ms`).
    public var retryAfterMs: Double?

    public init(
        limitRequests: Double? = nil, remainingRequests: Double? = nil, resetRequests: Double? = nil,
        limitTokens: Double? = nil,
        remainingTokens: Double? = nil, resetTokens: Double? = nil, retryAfterMs: Double? = nil
    ) {
        self.limitRequests = limitRequests
        self.remainingRequests = remainingRequests
        self.resetRequests = resetRequests
        self.limitTokens = limitTokens
        self.remainingTokens = remainingTokens
        self.resetTokens = resetTokens
        self.retryAfterMs = retryAfterMs
    }

    /// Reads the headers through `value` (a case-insensitive lookup); nil when none is there.
    public init?(_ value: (String) -> String?) {
        func count(_ name: String, within range: ClosedRange<Double> = Self.counts) -> Double? {
            guard let text = value(name)?.trimmingCharacters(in: .whitespaces), text.count <= 40,
                let number = Double(text), number.isFinite,
                range.contains(number)
            else {
                return nil
            }
            return number
        }
        self.init(
            limitRequests: count("x-ratelimit-limit-requests", within: Self.requestLimits),
            remainingRequests: count("x-ratelimit-remaining-requests"),
            resetRequests: value("x-ratelimit-reset-requests").flatMap(Self.seconds),
            limitTokens: count("x-ratelimit-limit-tokens", within: Self.tokenLimits),
            remainingTokens: count("x-ratelimit-remaining-tokens"),
            resetTokens: value("x-ratelimit-reset-tokens").flatMap(Self.seconds),
            retryAfterMs: count("retry-after-ms"))
        if self == RateLimitHeaders() { return nil }
    }

    /// A reset duration in seconds: `1h2m3.5s`, `6m0s`, `20ms`, `0.5s`, or a plain number of
    /// seconds. Nil when it does not read or is not finite.
    public static func seconds(_ text: String) -> Double? {
        let text = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !text.isEmpty, text.count <= 40 else { return nil }
        if let plain = Double(text) { return plain.isFinite && plain >= 0 ? plain : nil }
        var total = 0.0
        var number = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character.isNumber || character == "." {
                number.append(character)
                index = text.index(after: index)
                continue
            }
            guard let value = Double(number), value.isFinite else { return nil }
            number = ""
            let rest = text[index...]
            let (unit, length): (Double, Int) =
                rest.hasPrefix("ms")
                ? (0.001, 2)
                : rest.hasPrefix("h")
                    ? (3600, 1) : rest.hasPrefix("m") ? (60, 1) : rest.hasPrefix("s") ? (1, 1) : (0, 0)
            guard length > 0 else { return nil }
            total += value * unit
            index = text.index(index, offsetBy: length)
        }
        return number.isEmpty && total.isFinite ? total : nil
    }
}
