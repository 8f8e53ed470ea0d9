import AssayCore

extension ChatWireFormat {
    /// A streamed chunk or a whole response; only the fields Assay reads. Parsed by
    /// `JSONParser` and read field by field: a field that is missing or null is nil, a field
    /// of another type than the format's is a decode error (never read as something else).
    struct Payload {
        var choices: [Choice]?
        var usage: UsagePayload?
        var error: ErrorPayload?

        init(_ json: JSONValue) throws(Mismatch) {
            let fields = try Fields(json, "the payload")
            choices = try fields.array("choices")?.map { element throws(Mismatch) in
                try Choice(Fields(element, "a choice"))
            }
            usage = try fields.object("usage").map { fields throws(Mismatch) in try UsagePayload(fields) }
            error = try fields.object("error").map { fields throws(Mismatch) in try ErrorPayload(fields) }
        }
    }

    struct Choice {
        var delta: Message?
        var message: Message?
        var finishReason: String?

        init(_ fields: Fields) throws(Mismatch) {
            delta = try fields.object("delta").map { fields throws(Mismatch) in try Message(fields) }
            message = try fields.object("message").map { fields throws(Mismatch) in try Message(fields) }
            finishReason = try fields.string("finish_reason")
        }
    }

    struct Message {
        var content: String?
        /// DeepSeek R1 style.
        var reasoningContent: String?
        /// Newer vLLM style.
        var reasoning: String?

        /// Function calls: whole ones (`message.tool_calls`) or fragments (`delta.tool_calls`).
        var toolCalls: [ToolCallFragment]?

        init(_ fields: Fields) throws(Mismatch) {
            content = try fields.string("content")
            reasoningContent = try fields.string("reasoning_content")
            reasoning = try fields.string("reasoning")
            toolCalls = try fields.array("tool_calls")?.map { element throws(Mismatch) in
                try ToolCallFragment(Fields(element, "a tool call"))
            }
        }

        var thinking: String? { reasoningContent ?? reasoning }
    }

    /// A function call, or a piece of one: a streamed call's first fragment carries its
    /// `index`, `id` and name, later ones only pieces of `function.arguments` (JSON text).
    struct ToolCallFragment {
        var index: Int?
        var id: String?
        var name: String?
        var arguments: String?

        init(_ fields: Fields) throws(Mismatch) {
            index = try fields.int("index")
            id = try fields.string("id")
            let function = try fields.object("function")
            name = try function?.string("name")
            arguments = try function?.string("arguments")
        }
    }

    struct UsagePayload {
        var promptTokens: Int?
        var completionTokens: Int?
        var reasoningTokens: Int?
        var cachedTokens: Int?
        /// DeepSeek's split of the prompt: read from its disk cache, and not.
        var promptCacheHitTokens: Int?
        var promptCacheMissTokens: Int?

        init(_ fields: Fields) throws(Mismatch) {
            promptTokens = try fields.int("prompt_tokens")
            completionTokens = try fields.int("completion_tokens")
            reasoningTokens = try fields.object("completion_tokens_details")?.int("reasoning_tokens")
            cachedTokens = try fields.object("prompt_tokens_details")?.int("cached_tokens")
            promptCacheHitTokens = try fields.int("prompt_cache_hit_tokens")
            promptCacheMissTokens = try fields.int("prompt_cache_miss_tokens")
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

    struct ErrorPayload {
        var message: String?
        var type: String?

        init(_ fields: Fields) throws(Mismatch) {
            message = try fields.string("message")
            type = try fields.string("type")
        }
    }

    /// Reads a chunk or a response: a decode error, with the start of what came, when it is
    /// not JSON or not in the format.
    static func decode(_ data: some Collection<UInt8>) throws(ProviderError) -> Payload {
        do {
            return try Payload(JSONParser.parse(data))
        } catch {
            let snippet = String(decoding: data.prefix(160), as: UTF8.self)
            throw ProviderError(kind: .decode, message: "not a chat-completions JSON object: \(snippet)")
        }
    }

    /// A field whose value is not of the format's type.
    struct Mismatch: Error, CustomStringConvertible {
        var description: String
    }

    /// An object's members, read by the type the format gives them.
    struct Fields {
        let members: [String: JSONValue]

        init(_ value: JSONValue, _ what: String) throws(Mismatch) {
            guard case .object(let members) = value else { throw Mismatch(description: "\(what) is not an object") }
            self.members = members
        }

        func string(_ key: String) throws(Mismatch) -> String? {
            switch members[key] {
            case nil, .null?: return nil
            case .string(let value)?: return value
            default: throw Mismatch(description: "'\(key)' is not a string")
            }
        }

        /// An integer; a number written with a fraction counts when it has none (`12.0`).
        func int(_ key: String) throws(Mismatch) -> Int? {
            switch members[key] {
            case nil, .null?: return nil
            case let value?:
                guard let int = value.intValue else { throw Mismatch(description: "'\(key)' is not an integer") }
                return int
            }
        }

        func object(_ key: String) throws(Mismatch) -> Fields? {
            switch members[key] {
            case nil, .null?: return nil
            case let value?: return try Fields(value, "'\(key)'")
            }
        }

        func array(_ key: String) throws(Mismatch) -> [JSONValue]? {
            switch members[key] {
            case nil, .null?: return nil
            case .array(let elements)?: return elements
            default: throw Mismatch(description: "'\(key)' is not an array")
            }
        }
    }
}
