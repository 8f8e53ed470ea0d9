import AssayCore
import Foundation

/// The OpenAI chat-completions wire format: the request body Assay sends and the response
/// shapes it reads (a streamed chunk or a whole response).
public enum ChatWireFormat {
    /// The request body as JSON with sorted keys, so equal requests give equal bytes (and hashes).
    public static func body(_ request: ChatRequest) -> JSONValue {
        var body: [String: JSONValue] = [
            "model": .string(request.model),
            "messages": .array(request.messages.map(message)),
            "stream": .bool(request.stream),
        ]
        if request.stream {
            body["stream_options"] = ["include_usage": true]
        }
        if let maxTokens = request.maxTokens { body["max_tokens"] = .int(maxTokens) }
        if let temperature = request.temperature { body["temperature"] = .double(temperature) }
        // The model's own fields last: a vendor's `temperature` rule or `max_completion_tokens`
        // wins. (The catalog refuses `model`, `messages` and `stream` here.)
        for (key, value) in request.extra { body[key] = value }
        return .object(body)
    }

    /// A message's `content` is a string when it is one text part, else an array of parts.
    static func message(_ message: ChatMessage) -> JSONValue {
        let content: JSONValue
        if message.parts.count == 1, case .text(let text) = message.parts[0] {
            content = .string(text)
        } else {
            content = .array(
                message.parts.map { part in
                    switch part {
                    case .text(let text): ["type": "text", "text": .string(text)]
                    case .imageURL(let url): ["type": "image_url", "image_url": ["url": .string(url)]]
                    case .inputAudio(let data, let format): ["type": "input_audio", "input_audio": ["data": .string(data), "format": .string(format)]]
                    }
                })
        }
        return ["role": .string(message.role.rawValue), "content": content]
    }

    /// A streamed chunk or a whole response; only the fields Assay reads.
    struct Payload: Decodable {
        var choices: [Choice]?
        var usage: UsagePayload?
        var error: ErrorPayload?
    }

    struct Choice: Decodable {
        var delta: Message?
        var message: Message?
        var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case delta, message
            case finishReason = "finish_reason"
        }
    }

    struct Message: Decodable {
        var content: String?
        /// DeepSeek R1 style.
        var reasoningContent: String?
        /// Newer vLLM style.
        var reasoning: String?

        enum CodingKeys: String, CodingKey {
            case content, reasoning
            case reasoningContent = "reasoning_content"
        }

        var thinking: String? { reasoningContent ?? reasoning }
    }

    struct UsagePayload: Decodable {
        var promptTokens: Int?
        var completionTokens: Int?
        var completionTokensDetails: Details?
        var promptTokensDetails: PromptDetails?
        /// DeepSeek's split of the prompt: read from its disk cache, and not.
        var promptCacheHitTokens: Int?
        var promptCacheMissTokens: Int?

        struct Details: Decodable {
            var reasoningTokens: Int?
            enum CodingKeys: String, CodingKey { case reasoningTokens = "reasoning_tokens" }
        }

        struct PromptDetails: Decodable {
            var cachedTokens: Int?
            enum CodingKeys: String, CodingKey { case cachedTokens = "cached_tokens" }
        }

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case completionTokensDetails = "completion_tokens_details"
            case promptTokensDetails = "prompt_tokens_details"
            case promptCacheHitTokens = "prompt_cache_hit_tokens"
            case promptCacheMissTokens = "prompt_cache_miss_tokens"
        }

        /// The usage, when the counts are there; counts no request could have (negative, or
        /// past a billion tokens) are a decode error: they would trap in arithmetic, or turn
        /// into a negative cost that loosens the spending cap.
        func usage() throws(ProviderError) -> Usage? {
            guard let promptTokens, let completionTokens else { return nil }
            let reasoning = completionTokensDetails?.reasoningTokens
            let cached = promptTokensDetails?.cachedTokens ?? promptCacheHitTokens
            let counts = [
                ("prompt_tokens", promptTokens), ("completion_tokens", completionTokens), ("reasoning_tokens", reasoning ?? 0),
                ("cached prompt tokens", cached ?? 0), ("prompt_cache_miss_tokens", promptCacheMissTokens ?? 0),
            ]
            for (name, count) in counts where !(0...Self.maxCount).contains(count) {
                throw ProviderError(kind: .decode, message: "usage reports \(count) \(name): not a token count")
            }
            // More cached tokens than prompt tokens would price the uncached rest below zero.
            if let cached, cached > promptTokens {
                throw ProviderError(kind: .decode, message: "usage reports \(cached) cached prompt tokens of \(promptTokens): more than the prompt")
            }
            return Usage(promptTokens: promptTokens, completionTokens: completionTokens, reasoningTokens: reasoning, cachedPromptTokens: cached)
        }

        /// More tokens than any request has: a billion.
        static let maxCount = 1_000_000_000
    }

    struct ErrorPayload: Decodable {
        var message: String?
        var type: String?
    }

    static func decode(_ data: some Collection<UInt8>, with decoder: JSONDecoder = JSONDecoder()) throws(ProviderError) -> Payload {
        do {
            return try decoder.decode(Payload.self, from: Data(data))
        } catch {
            let snippet = String(decoding: data.prefix(160), as: UTF8.self)
            throw ProviderError(kind: .decode, message: "not a chat-completions JSON object: \(snippet)")
        }
    }
}
