import AssayCore

/// Writes a scripted reply in the chat-completions wire format: server-sent event chunks
/// (a role chunk, then one chunk per word: the reasoning's, as `reasoning_content` or inside
/// `<think>...</think>` in the content, then the answer's; the finish, usage, `[DONE]`) or
/// one whole JSON response.
struct ChunkWriter {
    let request: ParsedChatRequest
    let reply: TestScript.Reply
    /// The answer split into words, each with the whitespace that follows it.
    let pieces: [String]
    /// The reasoning split the same way.
    let reasoningPieces: [String]
    /// The calls' events (`toolCallEvents`), made once.
    private(set) var callEvents: [String] = []
    private let id = "chatcmpl-assay-test"

    init(request: ParsedChatRequest, reply: TestScript.Reply) {
        self.request = request
        self.reply = reply
        self.pieces = Self.split(reply.text)
        self.reasoningPieces = Self.split(reply.reasoning ?? "")
        self.callEvents = toolCallEvents()
    }

    /// Chunks paced one `chunkDelayMs` apart from `ttftMs`: reasoning words, answer words,
    /// then the calls' fragments.
    var pacedCount: Int { reasoningPieces.count + pieces.count + callEvents.count }

    /// Each call as a first fragment (index, id, name, empty arguments) and its arguments
    /// in pieces of 7 characters, one event each.
    func toolCallEvents() -> [String] {
        var events: [String] = []
        for (index, call) in reply.toolCalls.enumerated() {
            events.append(
                event(
                    #"{"tool_calls":[{"index":\#(index),"id":"call_\#(index)","type":"function","function":{"name":"\#(Self.escape(call.name))","arguments":""}}]}"#,
                    finish: nil))
            var rest = Substring(call.arguments)
            while !rest.isEmpty {
                let piece = rest.prefix(7)
                rest = rest.dropFirst(7)
                events.append(
                    event(
                        #"{"tool_calls":[{"index":\#(index),"function":{"arguments":"\#(Self.escape(String(piece)))"}}]}"#,
                        finish: nil))
            }
        }
        return events
    }

    /// The usage the answer reports: the scripted one, or words counted (reasoning words as
    /// reasoning tokens, and in the completion).
    var usage: TestScript.ScriptedUsage {
        reply.usage
            ?? TestScript.ScriptedUsage(
                promptTokens: request.promptWords, completionTokens: max(1, pacedCount),
                reasoningTokens: reasoningPieces.isEmpty ? nil : reasoningPieces.count)
    }

    var usageJSON: String {
        var json =
            #"{"prompt_tokens":\#(usage.promptTokens),"completion_tokens":\#(usage.completionTokens),"total_tokens":\#(usage.promptTokens &+ usage.completionTokens)"#
        if let reasoning = usage.reasoningTokens {
            json += #","completion_tokens_details":{"reasoning_tokens":\#(reasoning)}"#
        }
        if let cached = usage.cachedTokens {
            if usage.deepseekStyle == true {
                json +=
                    #","prompt_cache_hit_tokens":\#(cached),"prompt_cache_miss_tokens":\#(usage.promptTokens &- cached)"#
            } else {
                json += #","prompt_tokens_details":{"cached_tokens":\#(cached)}"#
            }
        }
        return json + "}"
    }

    func roleChunk() -> String {
        event(#"{"role":"assistant","content":""}"#, finish: nil)
    }

    /// One event per reasoning piece, then one per answer piece.
    func pacedEvents() -> [String] {
        var events: [String] = []
        for (index, piece) in reasoningPieces.enumerated() {
            if reply.inlineThink {
                let text =
                    (index == 0 ? "<think>" : "") + piece + (index == reasoningPieces.count - 1 ? "</think>\n\n" : "")
                events.append(event(#"{"content":"\#(Self.escape(text))"}"#, finish: nil))
            } else {
                events.append(event(#"{"reasoning_content":"\#(Self.escape(piece))"}"#, finish: nil))
            }
        }
        return events + pieces.map { event(#"{"content":"\#(Self.escape($0))"}"#, finish: nil) } + callEvents
    }

    func closingEvents() -> String {
        var out = event("{}", finish: reply.finishReason)
        if request.includeUsage && !reply.omitUsage {
            out +=
                #"data: {"id":"\#(id)","object":"chat.completion.chunk","model":"\#(Self.escape(request.model))","choices":[],"usage":\#(usageJSON)}"#
                + "\n\n"
        }
        return out + "data: [DONE]\n\n"
    }

    func wholeResponse() -> String {
        let inline = reply.inlineThink ? reply.reasoning.map { "<think>\($0)</think>\n\n" } ?? "" : ""
        var message = #"{"role":"assistant","content":"\#(Self.escape(inline + reply.text))""#
        if let reasoning = reply.reasoning, !reply.inlineThink {
            message += #","reasoning_content":"\#(Self.escape(reasoning))""#
        }
        if !reply.toolCalls.isEmpty {
            let calls = reply.toolCalls.enumerated().map { index, call in
                #"{"id":"call_\#(index)","type":"function","function":{"name":"\#(Self.escape(call.name))","arguments":"\#(Self.escape(call.arguments))"}}"#
            }
            message += #","tool_calls":[\#(calls.joined(separator: ","))]"#
        }
        message += "}"
        var json =
            #"{"id":"\#(id)","object":"chat.completion","model":"\#(Self.escape(request.model))","choices":[{"index":0,"message":\#(message),"finish_reason":"\#(reply.finishReason)"}]"#
        if !reply.omitUsage { json += #","usage":\#(usageJSON)"# }
        return json + "}"
    }

    private func event(_ delta: String, finish: String?) -> String {
        let finishJSON = finish.map { "\"\(Self.escape($0))\"" } ?? "null"
        return
            #"data: {"id":"\#(id)","object":"chat.completion.chunk","model":"\#(Self.escape(request.model))","choices":[{"index":0,"delta":\#(delta),"finish_reason":\#(finishJSON)}],"usage":null}"#
            + "\n\n"
    }

    /// The text in pieces, each word with the whitespace after it. By Unicode scalars, not
    /// Characters: a test's megabytes of answer are split in a moment, even in a debug build.
    static func split(_ text: String) -> [String] {
        var pieces: [String] = []
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var index = start
        var inSpace = false
        while index != scalars.endIndex {
            let isSpace = scalars[index].properties.isWhitespace
            if !isSpace && inSpace && index != start {
                pieces.append(String(scalars[start..<index]))
                start = index
            }
            inSpace = isSpace
            scalars.formIndex(after: &index)
        }
        if start != scalars.endIndex { pieces.append(String(scalars[start...])) }
        return pieces
    }

    /// `text` as the inside of a JSON string literal.
    static func escape(_ text: String) -> String {
        var literal = ""
        JSONValue.writeString(text, to: &literal)
        return String(literal.dropFirst().dropLast())
    }
}
