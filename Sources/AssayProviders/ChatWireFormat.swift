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
}
