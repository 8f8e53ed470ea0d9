import AssayCore

extension ChatWireFormat {
    /// A streamed chunk or a whole response; only the fields Assay reads. Pulled from the bytes
    /// (`JSONParser.read`): the members Assay reads are read, the rest skipped, nothing built
    /// for them (a tree of dictionaries was a third of reading a stream). A field that is
    /// missing or null is nil; a field of another type than the format's is a decode error
    /// (never read as something else), and so is JSON `JSONParser.parse` refuses.
    struct Payload: Equatable {
        var choices: [Choice]?
        var usage: UsagePayload?
        var error: ErrorPayload?

        init(_ json: inout JSONParser) throws(JSONParser.Failure) {
            try json.members("the payload") { json, key throws(JSONParser.Failure) in
                if key == "choices" {
                    choices =
                        try json.null()
                        ? nil
                        : json.list("'choices'") { json throws(JSONParser.Failure) in
                            try Choice(&json)
                        }
                } else if key == "usage" {
                    usage = try json.null() ? nil : UsagePayload(&json)
                } else if key == "error" {
                    error = try json.null() ? nil : ErrorPayload(&json)
                }
            }
        }
    }

    struct Choice: Equatable {
        var delta: Message?
        var message: Message?
        var finishReason: String?

        init(_ json: inout JSONParser) throws(JSONParser.Failure) {
            try json.members("a choice") { json, key throws(JSONParser.Failure) in
                if key == "delta" {
                    delta = try json.null() ? nil : Message(&json, "'delta'")
                } else if key == "message" {
                    message = try json.null() ? nil : Message(&json, "'message'")
                } else if key == "finish_reason" {
                    finishReason = try json.optionalString("'finish_reason'")
                }
            }
        }
    }

    struct Message: Equatable {
        var content: String?
        /// DeepSeek R1 style.
        var reasoningContent: String?
        /// Newer vLLM style.
        var reasoning: String?

        /// Function calls: whole ones (`message.tool_calls`) or fragments (`delta.tool_calls`).
        var toolCalls: [ToolCallFragment]?

        init(_ json: inout JSONParser, _ what: String) throws(JSONParser.Failure) {
            try json.members(what) { json, key throws(JSONParser.Failure) in
                if key == "content" {
                    content = try json.optionalString("'content'")
                } else if key == "reasoning_content" {
                    reasoningContent = try json.optionalString("'reasoning_content'")
                } else if key == "reasoning" {
                    reasoning = try json.optionalString("'reasoning'")
                } else if key == "tool_calls" {
                    toolCalls =
                        try json.null()
                        ? nil
                        : json.list("'tool_calls'") { json throws(JSONParser.Failure) in
                            try ToolCallFragment(&json)
                        }
                }
            }
        }

        var thinking: String? { reasoningContent ?? reasoning }
    }

    /// A function call, or a piece of one: a streamed call's first fragment carries its
    /// `index`, `id` and name, later ones only pieces of `function.arguments` (JSON text).
    struct ToolCallFragment: Equatable {
        var index: Int?
        var id: String?
        var name: String?
        var arguments: String?

        init(_ json: inout JSONParser) throws(JSONParser.Failure) {
            try json.members("a tool call") { json, key throws(JSONParser.Failure) in
                if key == "index" {
                    index = try json.optionalInt("'index'")
                } else if key == "id" {
                    id = try json.optionalString("'id'")
                } else if key == "function" {
                    // A repeated `function` replaces the one before, as a repeated key does.
                    name = nil
                    arguments = nil
                    guard try !json.null() else { return }
                    try json.members("'function'") { json, key throws(JSONParser.Failure) in
                        if key == "name" {
                            name = try json.optionalString("'name'")
                        } else if key == "arguments" {
                            arguments = try json.optionalString("'arguments'")
                        }
                    }
                }
            }
        }
    }

    struct UsagePayload: Equatable {
        var promptTokens: Int?
        var completionTokens: Int?
        var reasoningTokens: Int?
        var cachedTokens: Int?
        /// DeepSeek's split of the prompt: read from its disk cache, and not.
        var promptCacheHitTokens: Int?
        var promptCacheMissTokens: Int?

        init(_ json: inout JSONParser) throws(JSONParser.Failure) {
            try json.members("'usage'") { json, key throws(JSONParser.Failure) in
                if key == "prompt_tokens" {
                    promptTokens = try json.optionalInt("'prompt_tokens'")
                } else if key == "completion_tokens" {
                    completionTokens = try json.optionalInt("'completion_tokens'")
                } else if key == "prompt_cache_hit_tokens" {
                    promptCacheHitTokens = try json.optionalInt("'prompt_cache_hit_tokens'")
                } else if key == "prompt_cache_miss_tokens" {
                    promptCacheMissTokens = try json.optionalInt("'prompt_cache_miss_tokens'")
                } else if key == "completion_tokens_details" {
                    reasoningTokens = try json.nestedInt("'completion_tokens_details'", "reasoning_tokens")
                } else if key == "prompt_tokens_details" {
                    cachedTokens = try json.nestedInt("'prompt_tokens_details'", "cached_tokens")
                }
            }
        }

        /// The usage, when the counts are there; counts no request could have (negative, or
        /// past a billion tokens) are a decode error: they would trap in arithmetic, or turn
        /// into a negative cost that loosens the spending cap.
        func usage() throws(ProviderError) -> Usage? {
            guard let promptTokens, let completionTokens else { return nil }
            let cached = cachedTokens ?? promptCacheHitTokens
            let counts = [
                ("prompt_tokens", promptTokens), ("completion_tokens", completionTokens),
                ("reasoning_tokens", reasoningTokens ?? 0),
                ("cached prompt tokens", cached ?? 0), ("prompt_cache_miss_tokens", promptCacheMissTokens ?? 0),
            ]
            for (name, count) in counts where !(0...Self.maxCount).contains(count) {
                throw ProviderError(kind: .decode, message: "usage reports \(count) \(name): not a token count")
            }
            // More cached tokens than prompt tokens would price the uncached rest below zero.
            if let cached, cached > promptTokens {
                throw ProviderError(
                    kind: .decode,
                    message: "usage reports \(cached) cached prompt tokens of \(promptTokens): more than the prompt")
            }
            return Usage(
                promptTokens: promptTokens, completionTokens: completionTokens, reasoningTokens: reasoningTokens,
                cachedPromptTokens: cached)
        }

        /// More tokens than any request has: a billion.
        static let maxCount = 1_000_000_000
    }

    struct ErrorPayload: Equatable {
        var message: String?
        var type: String?

        init(_ json: inout JSONParser) throws(JSONParser.Failure) {
            try json.members("'error'") { json, key throws(JSONParser.Failure) in
                if key == "message" {
                    message = try json.optionalString("'message'")
                } else if key == "type" {
                    type = try json.optionalString("'type'")
                }
            }
        }
    }

    /// Reads a chunk or a response: a decode error, with the start of what came, when it is
    /// not JSON or not in the format.
    static func decode(_ data: some Collection<UInt8>) throws(ProviderError) -> Payload {
        do {
            return try JSONParser.read(data) { json throws(JSONParser.Failure) in try Payload(&json) }
        } catch {
            let snippet = String(decoding: data.prefix(160), as: UTF8.self)
            throw ProviderError(kind: .decode, message: "not a chat-completions JSON object: \(snippet)")
        }
    }
}

/// The format's optional fields: null is nil, another type a failure.
extension JSONParser {
    fileprivate mutating func optionalString(_ what: @autoclosure () -> String) throws(Failure) -> String? {
        try null() ? nil : string(what())
    }

    fileprivate mutating func optionalInt(_ what: @autoclosure () -> String) throws(Failure) -> Int? {
        try null() ? nil : int(what())
    }

    /// The elements of an array, each read by `element`.
    fileprivate mutating func list<Element>(
        _ what: @autoclosure () -> String, _ element: (inout JSONParser) throws(Failure) -> Element
    ) throws(Failure) -> [Element] {
        var out: [Element] = []
        try elements(what()) { json throws(Failure) in out.append(try element(&json)) }
        return out
    }

    /// `name` in the object at the cursor (null: nil); a repeated object replaces the one before.
    fileprivate mutating func nestedInt(_ what: @autoclosure () -> String, _ name: StaticString) throws(Failure)
        -> Int?
    {
        guard try !null() else { return nil }
        var found: Int?
        try members(what()) { json, key throws(Failure) in
            if key == name { found = try json.optionalInt("'\(name)'") }
        }
        return found
    }
}
