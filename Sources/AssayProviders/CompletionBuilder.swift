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
///
/// Function calls (`tool_calls`) are joined by `ToolCallAssembler`; their fragments time
/// the answer as content does (TTFT is then the time to the first call's first fragment).
///
/// With a think tag, inline reasoning blocks in the content (`<think>...</think>`) go to
/// `reasoning` as they stream (`ThinkSplitter`), timed as reasoning: the answer's first token
/// is the first one after the block, and the answer loses the blank lines that follow it.
struct CompletionBuilder {
    let servedBy: String
    private var splitter: ThinkSplitter?
    /// Blank characters trimmed off the start of an answer that followed a think block.
    private var trimmed = 0
    private var text = ""
    private var reasoning = ""
    private var toolCalls = ToolCallAssembler()
    private let toolNames: ToolNames
    private var finishReason: String?
    private var usage: Usage?
    private var firstContent: ContinuousClock.Instant?
    private var firstReasoning: ContinuousClock.Instant?
    private var lastContent: ContinuousClock.Instant?
    /// Answer chunks (SSE events that carried answer text or a call), and the longest gap
    /// between two.
    private var answerChunks = 0
    private var maxStall: Duration = .zero
    private(set) var sawDone = false
    /// Characters (and bytes) of answer and reasoning deltas, counted as they arrive.
    private var streamedCharacters = 0
    private var streamedBytes = 0

    /// Whether an answer or reasoning token has arrived.
    var hasFirstToken: Bool { firstContent != nil || firstReasoning != nil }

    init(servedBy: String, thinkTag: String? = nil, toolNames: ToolNames = ToolNames([])) {
        self.servedBy = servedBy
        self.toolNames = toolNames
        self.splitter = thinkTag.map(ThinkSplitter.init(tag:))
    }

    mutating func consume(_ event: SSEEvent, at now: ContinuousClock.Instant) throws(ProviderError) {
        if event.data == "[DONE]" {
            sawDone = true
            return
        }
        let payload = try ChatWireFormat.decode(event.data.utf8)
        try apply(payload, at: now)
    }

    mutating func apply(_ payload: ChatWireFormat.Payload, at now: ContinuousClock.Instant) throws(ProviderError) {
        if let error = payload.error {
            throw ProviderError(
                kind: .server, message: "the server reported an error: \(error.message ?? error.type ?? "no message")")
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
                streamedCharacters += content.count
                streamedBytes += content.utf8.count
                if var splitter {
                    let pieces = splitter.feed(content)
                    self.splitter = splitter
                    for piece in pieces { take(piece, at: now) }
                } else {
                    text += content
                    answered(at: now)
                }
            }
            if let fragments = message?.toolCalls, !fragments.isEmpty {
                // A call's fragments are answer tokens: they time the answer as content does.
                toolCalls.take(fragments, whole: choice.delta == nil)
                if toolCalls.count > ToolCallAssembler.maxCalls {
                    throw ProviderError(
                        kind: .decode, message: "the answer made more than \(ToolCallAssembler.maxCalls) function calls"
                    )
                }
                answered(at: now)
            }
            if let reason = choice.finishReason { finishReason = reason }
        }
        if streamedBytes + toolCalls.bytes > Self.maxTextBytes {
            throw ProviderError(
                kind: .decode, message: "the answer exceeded \(Self.maxTextBytes / (1024 * 1024)) MiB of text")
        }
    }

    /// Files a piece of split content as reasoning or answer, timing it as such.
    private mutating func take(_ piece: ThinkSplitter.Piece, at now: ContinuousClock.Instant) {
        switch piece {
        case .reasoning(let part):
            reasoning += part
            if firstReasoning == nil { firstReasoning = now }
        case .answer(let part):
            var part = part
            if text.isEmpty && splitter?.split == true {
                // The blank lines between the block and the answer are neither.
                let kept = part.drop { $0.isWhitespace }
                trimmed += part.count - kept.count
                part = String(kept)
            }
            guard !part.isEmpty else { return }
            text += part
            answered(at: now)
        case .closedWithoutOpening:
            // What streamed as answer was the end of a block opened in the prompt.
            reasoning = text + reasoning
            if let first = firstContent { firstReasoning = min(firstReasoning ?? first, first) }
            text = ""
            firstContent = nil
            lastContent = nil
            answerChunks = 0
            maxStall = .zero
        }
    }

    /// Times an answer chunk: the first, the last, and the gap since the one before. Every
    /// chunk counts, those read in one go too, so that a busy client that reads two chunks
    /// at once does not change the mean gap (the span over the chunks less one).
    private mutating func answered(at now: ContinuousClock.Instant) {
        if let last = lastContent {
            maxStall = max(maxStall, now - last)
        } else {
            firstContent = firstContent ?? now
        }
        answerChunks += 1
        lastContent = now
    }

    /// Sends what the splitter still holds (a partial tag at the very end).
    private mutating func flushSplitter(at now: ContinuousClock.Instant) {
        guard var splitter else { return }
        let pieces = splitter.finish()
        self.splitter = splitter
        for piece in pieces { take(piece, at: now) }
    }

    /// The most answer and reasoning text kept from one response, like a whole body's cap.
    static let maxTextBytes = 16 * 1024 * 1024

    /// The completion of a stream written at `start` that ended at `end`.
    mutating func finishStream(start: ContinuousClock.Instant, end: ContinuousClock.Instant) throws(ProviderError)
        -> Completion
    {
        flushSplitter(at: lastContent ?? end)
        guard sawDone else {
            throw ProviderError(
                kind: .decode, message: "the stream ended before [DONE] (after \(text.count) characters): truncated")
        }
        guard finishReason != nil else {
            throw ProviderError(kind: .decode, message: "the stream ended without a finish_reason: truncated")
        }
        try checkWhole()
        return completion(start: start, ttft: firstContent, latencyEnd: lastContent ?? end)
    }

    /// The completion of a whole (not streamed) response sent at `start` that ended at `end`.
    mutating func finishWhole(start: ContinuousClock.Instant, end: ContinuousClock.Instant) throws(ProviderError)
        -> Completion
    {
        flushSplitter(at: end)
        guard finishReason != nil || !text.isEmpty || !toolCalls.isEmpty else {
            throw ProviderError(kind: .decode, message: "the response has no choices")
        }
        try checkWhole()
        return completion(start: start, ttft: nil, latencyEnd: end)
    }

    /// The cheap invariant: what is assembled is all that arrived, and usage that counts
    /// completion tokens has text (or reasoning) to show for them.
    private func checkWhole() throws(ProviderError) {
        let assembled = text.count + reasoning.count + (splitter?.removedCharacters ?? 0) + trimmed
        if assembled < streamedCharacters {
            throw ProviderError(
                kind: .decode,
                message:
                    "the answer lost part of what streamed in (\(assembled) of \(streamedCharacters) characters kept)")
        }
        if assembled == 0, toolCalls.isEmpty, let tokens = usage?.completionTokens, tokens > 1 {
            throw ProviderError(kind: .decode, message: "usage counts \(tokens) completion tokens, but no text arrived")
        }
    }

    private func completion(
        start: ContinuousClock.Instant, ttft: ContinuousClock.Instant?, latencyEnd: ContinuousClock.Instant
    ) -> Completion {
        Completion(
            text: text, toolCalls: toolCalls.isEmpty ? nil : toolCalls.finish(names: toolNames),
            reasoning: reasoning.isEmpty ? nil : reasoning,
            finishReason: finishReason, usage: usage,
            timing: Timing(
                ttftMs: ttft.map { milliseconds(start, $0) },
                firstReasoningMs: firstReasoning.map { milliseconds(start, $0) },
                latencyMs: milliseconds(start, latencyEnd), answerChunks: ttft == nil ? nil : answerChunks,
                interTokenMs: interTokenMs(streamed: ttft != nil),
                maxStallMs: ttft != nil && answerChunks > 1 ? maxStall.inMilliseconds : nil),
            servedBy: servedBy)
    }

    /// The mean gap between answer chunks; nil unstreamed or with fewer than two.
    private func interTokenMs(streamed: Bool) -> Double? {
        guard streamed, answerChunks > 1, let first = firstContent, let last = lastContent else { return nil }
        return milliseconds(first, last) / Double(answerChunks - 1)
    }

    private func milliseconds(_ from: ContinuousClock.Instant, _ to: ContinuousClock.Instant) -> Double {
        (to - from).inMilliseconds
    }
}
