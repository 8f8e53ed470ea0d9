import Foundation
import AssayCore

/// Folds streamed chunks into a `Completion`, timing them on a monotonic clock.
///
/// TTFT is the time to the first chunk with non-empty answer content (an empty role chunk
/// does not count); reasoning deltas are kept apart and timed on their own. Latency is the
/// time to the last content chunk. A stream that ends without `[DONE]` or without a
/// `finish_reason` was cut: that is an error, never a short answer. So is an answer whose
/// text is empty while usage counts completion tokens, or shorter than the deltas that
/// streamed in: no grade is given to text that lost its beginning.
struct CompletionBuilder {
    let servedBy: String
    /// One decoder for all the chunks of a stream.
    private let decoder = JSONDecoder()
    private var text = ""
    private var reasoning = ""
    private var finishReason: String?
    private var usage: Usage?
    private var firstContent: ContinuousClock.Instant?
    private var firstReasoning: ContinuousClock.Instant?
    private var lastContent: ContinuousClock.Instant?
    private(set) var sawDone = false
    /// Characters (and bytes) of answer and reasoning deltas, counted as they arrive.
    private var streamedCharacters = 0
    private var streamedBytes = 0

    /// Whether an answer or reasoning token has arrived.
    var hasFirstToken: Bool { firstContent != nil || firstReasoning != nil }

    init(servedBy: String) {
        self.servedBy = servedBy
    }

    mutating func consume(_ event: SSEEvent, at now: ContinuousClock.Instant) throws(ProviderError) {
        if event.data == "[DONE]" {
            sawDone = true
            return
        }
        let payload = try ChatWireFormat.decode(event.data.utf8, with: decoder)
        try apply(payload, at: now)
    }

    mutating func apply(_ payload: ChatWireFormat.Payload, at now: ContinuousClock.Instant) throws(ProviderError) {
        if let error = payload.error {
            throw ProviderError(kind: .server, message: "the server reported an error: \(error.message ?? error.type ?? "no message")")
        }
        if let usage = try payload.usage?.usage() { self.usage = usage }
        for choice in payload.choices ?? [] {
            let message = choice.delta ?? choice.message
            if let thinking = message?.thinking, !thinking.isEmpty {
                reasoning += thinking
                streamedCharacters += thinking.count
                streamedBytes += thinking.utf8.count
                if firstReasoning == nil { firstReasoning = now }
            }
            if let content = message?.content, !content.isEmpty {
                text += content
                streamedCharacters += content.count
                streamedBytes += content.utf8.count
                if firstContent == nil { firstContent = now }
                lastContent = now
            }
            if let reason = choice.finishReason { finishReason = reason }
        }
        if streamedBytes > Self.maxTextBytes {
            throw ProviderError(kind: .decode, message: "the answer exceeded \(Self.maxTextBytes / (1024 * 1024)) MiB of text")
        }
    }

    /// The most answer and reasoning text kept from one response, like a whole body's cap.
    static let maxTextBytes = 16 * 1024 * 1024

    /// The completion of a stream written at `start` that ended at `end`.
    func finishStream(start: ContinuousClock.Instant, end: ContinuousClock.Instant) throws(ProviderError) -> Completion {
        guard sawDone else {
            throw ProviderError(kind: .decode, message: "the stream ended before [DONE] (after \(text.count) characters): truncated")
        }
        guard finishReason != nil else {
            throw ProviderError(kind: .decode, message: "the stream ended without a finish_reason: truncated")
        }
        try checkWhole()
        return completion(start: start, ttft: firstContent, latencyEnd: lastContent ?? end)
    }

    /// The completion of a whole (not streamed) response sent at `start` that ended at `end`.
    func finishWhole(start: ContinuousClock.Instant, end: ContinuousClock.Instant) throws(ProviderError) -> Completion {
        guard finishReason != nil || !text.isEmpty else {
            throw ProviderError(kind: .decode, message: "the response has no choices")
        }
        try checkWhole()
        return completion(start: start, ttft: nil, latencyEnd: end)
    }

    /// The cheap invariant: what is assembled is all that arrived, and usage that counts
    /// completion tokens has text (or reasoning) to show for them.
    private func checkWhole() throws(ProviderError) {
        let assembled = text.count + reasoning.count
        if assembled < streamedCharacters {
            throw ProviderError(
                kind: .decode, message: "the answer lost part of what streamed in (\(assembled) of \(streamedCharacters) characters kept)")
        }
        if assembled == 0, let tokens = usage?.completionTokens, tokens > 1 {
            throw ProviderError(kind: .decode, message: "usage counts \(tokens) completion tokens, but no text arrived")
        }
    }

    private func completion(start: ContinuousClock.Instant, ttft: ContinuousClock.Instant?, latencyEnd: ContinuousClock.Instant) -> Completion {
        Completion(
            text: text, reasoning: reasoning.isEmpty ? nil : reasoning, finishReason: finishReason, usage: usage,
            timing: Timing(
                ttftMs: ttft.map { milliseconds(start, $0) }, firstReasoningMs: firstReasoning.map { milliseconds(start, $0) },
                latencyMs: milliseconds(start, latencyEnd)),
            servedBy: servedBy)
    }

    private func milliseconds(_ from: ContinuousClock.Instant, _ to: ContinuousClock.Instant) -> Double {
        (to - from).inMilliseconds
    }
}
