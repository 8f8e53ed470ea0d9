/// A chat-completions request, independent of how it is sent.
public struct ChatRequest: Sendable, Hashable, Codable {
    public var model: String
    public var messages: [ChatMessage]
    public var maxTokens: Int?
    public var temperature: Double?
    /// Stream the answer (server-sent events). Streaming is what gives time to first token.
    public var stream: Bool
    /// Extra body fields the model's vendor takes (`enable_thinking`, `thinking`,
    /// `reasoning_effort`), merged over the standard ones.
    public var extra: [String: JSONValue]
    /// The tag of inline reasoning blocks to take out of the answer (`think`); nil for none.
    /// Not sent.
    public var thinkTag: String?
    /// The functions offered (`tools`); none for a request of text.
    public var tools: [ToolDefinition]
    public var toolChoice: ToolChoice?
    public var parallelToolCalls: Bool?
    /// The structured output asked for (`response_format`); nil for free text.
    public var responseFormat: ResponseFormat?

    public init(
        model: String, messages: [ChatMessage], maxTokens: Int? = nil, temperature: Double? = nil, stream: Bool = true,
        extra: [String: JSONValue] = [:], thinkTag: String? = nil, tools: [ToolDefinition] = [],
        toolChoice: ToolChoice? = nil,
        parallelToolCalls: Bool? = nil, responseFormat: ResponseFormat? = nil
    ) {
        self.responseFormat = responseFormat
        self.tools = tools
        self.toolChoice = toolChoice
        self.parallelToolCalls = parallelToolCalls
        self.model = model
        self.messages = messages
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.stream = stream
        self.extra = extra
        self.thinkTag = thinkTag
    }
}

extension ChatRequest {
    /// The names the offered functions go out under, and come back by.
    public var toolNames: ToolNames { ToolNames(tools.map(\.name)) }

    /// The messages as text (`Transcript`): what a report shows as the prompt, and what a
    /// result keeps of its request.
    public var transcript: String {
        Transcript.text(
            of: messages.map { message in
                let calls = (message.toolCalls ?? []).map { ContentPart.text("call " + $0.summary) }
                return (role: message.role.rawValue, parts: message.parts + calls)
            })
    }

    /// The last user message, typed: the prompt a routing rule matches.
    public var routedPrompt: RoutedPrompt? { RoutedPrompt(messages: messages) }
}

public struct ChatMessage: Sendable, Hashable, Codable {
    public enum Role: String, Sendable, Hashable, Codable {
        case system, user, assistant
        /// A function's result, sent back to the model (`tool_call_id` names the call).
        case tool
    }

    public var role: Role
    public var parts: [ContentPart]
    /// The calls an assistant message made (an agent's history); nil for none.
    public var toolCalls: [ToolCall]?
    /// The call a tool message answers.
    public var toolCallID: String?

    public init(role: Role, parts: [ContentPart], toolCalls: [ToolCall]? = nil, toolCallID: String? = nil) {
        self.role = role
        self.parts = parts
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
    }

    public init(role: Role, text: String) {
        self.init(role: role, parts: [.text(text)])
    }

    /// The message's text parts joined; images left out.
    public var text: String {
        parts.compactMap { if case .text(let text) = $0 { text } else { nil } }.joined(separator: "\n")
    }
}

public enum ContentPart: Sendable, Hashable, Codable {
    case text(String)
    /// An image as a URL; Assay sends `data:` URLs with the file's bytes in base64.
    case imageURL(String)
    /// A sound clip, base64, with its format (`wav`, `mp3`): an `input_audio` part.
    case inputAudio(data: String, format: String)
}
