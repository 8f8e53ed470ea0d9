import AssayCore
import Foundation

/// The OpenAI chat-completions wire format: the request body Assay sends and the response
/// shapes it reads (a streamed chunk or a whole response).
public enum ChatWireFormat {
    /// The request body as JSON with sorted keys, so equal requests give equal bytes (and
    /// hashes). `names`: the request's `toolNames`, when the caller has worked them out.
    public static func body(_ request: ChatRequest, names: ToolNames? = nil) -> JSONValue {
        let names = names ?? request.toolNames
        var body: [String: JSONValue] = [
            "model": .string(request.model),
            "messages": .array(request.messages.map { message($0, names: names) }),
            "stream": .bool(request.stream),
        ]
        if request.stream {
            body["stream_options"] = ["include_usage": true]
        }
        if let maxTokens = request.maxTokens { body["max_tokens"] = .int(maxTokens) }
        if let temperature = request.temperature { body["temperature"] = .double(temperature) }
        if !request.tools.isEmpty {
            body["tools"] = .array(request.tools.map { tool($0, names: names) })
            if let choice = request.toolChoice { body["tool_choice"] = toolChoice(choice, names: names) }
            if let parallel = request.parallelToolCalls { body["parallel_tool_calls"] = .bool(parallel) }
        }
        if let format = request.responseFormat { body["response_format"] = responseFormat(format) }
        // The model's own fields last: a vendor's `temperature` rule or `max_completion_tokens`
        // wins. (The catalog refuses `model`, `messages` and `stream` here.)
        for (key, value) in request.extra { body[key] = value }
        return .object(body)
    }

    /// The body's bytes (`body`, compact): with `responseFormat` given (the request's
    /// `response_format` written already, `encodedResponseFormat`), that member is not written
    /// again. The same bytes either way; a vendor's own `response_format` (the catalog's
    /// `request:`) is written as it is.
    public static func encodedBody(_ request: ChatRequest, names: ToolNames, responseFormat: String?) -> String {
        guard let responseFormat, request.responseFormat != nil, request.extra["response_format"] == nil else {
            return body(request, names: names).compactJSON
        }
        var rest = request
        rest.responseFormat = nil
        return body(rest, names: names).compactJSON(adding: "response_format", encoded: responseFormat)
    }

    /// `response_format` as the body writes it: what `encodedBody` is given, written once for
    /// a suite.
    public static func encodedResponseFormat(_ format: ResponseFormat) -> String {
        responseFormat(format).compactJSON
    }

    /// A message's `content` is a string when it is one text part, else an array of parts. An
    /// assistant message's calls go as `tool_calls` (under their wire names; content null
    /// when there is no text), a tool message's answer with its `tool_call_id`.
    static func message(_ message: ChatMessage, names: ToolNames) -> JSONValue {
        var wire = content(message)
        if let calls = message.toolCalls, !calls.isEmpty {
            wire["tool_calls"] = .array(
                calls.enumerated().map { index, call in
                    [
                        "id": .string(call.id ?? "call_\(index)"), "type": "function",
                        "function": [
                            "name": .string(names.wireName(call.name)), "arguments": .string(call.argumentsText),
                        ],
                    ]
                })
            if message.text.isEmpty { wire["content"] = .null }
        }
        if let id = message.toolCallID { wire["tool_call_id"] = .string(id) }
        return .object(wire)
    }

    private static func content(_ message: ChatMessage) -> [String: JSONValue] {
        let content: JSONValue
        if message.parts.count == 1, case .text(let text) = message.parts[0] {
            content = .string(text)
        } else {
            content = .array(
                message.parts.map { part in
                    switch part {
                    case .text(let text): ["type": "text", "text": .string(text)]
                    case .imageURL(let url): ["type": "image_url", "image_url": ["url": .string(url)]]
                    case .inputAudio(let data, let format):
                        ["type": "input_audio", "input_audio": ["data": .string(data), "format": .string(format)]]
                    }
                })
        }
        return ["role": .string(message.role.rawValue), "content": content]
    }

    /// A function as OpenAI's `tools` entry, under its wire name, its schema in JSON Schema.
    static func tool(_ tool: ToolDefinition, names: ToolNames) -> JSONValue {
        var function: [String: JSONValue] = ["name": .string(names.wireName(tool.name))]
        if let description = tool.description { function["description"] = .string(description) }
        function["parameters"] = tool.parameters.map(jsonSchema) ?? ["type": "object", "properties": [:]]
        return ["type": "function", "function": .object(function)]
    }

    /// `response_format` as OpenAI defines it.
    static func responseFormat(_ format: ResponseFormat) -> JSONValue {
        switch format {
        case .jsonObject:
            return ["type": "json_object"]
        case .jsonSchema(let name, let schema, let strict):
            return [
                "type": "json_schema",
                "json_schema": ["name": .string(name), "schema": schema, "strict": .bool(strict)],
            ]
        }
    }

    static func toolChoice(_ choice: ToolChoice, names: ToolNames) -> JSONValue {
        switch choice {
        case .auto: "auto"
        case .none: "none"
        case .required: "required"
        case .function(let name): ["type": "function", "function": ["name": .string(names.wireName(name))]]
        }
    }

    /// BFCL's schema types as JSON Schema's: `dict` is `object`, `float` is `number`, `tuple`
    /// is `array`, and `any` is no type at all; everything else as written. Only a schema's
    /// own `type` (a string) is rewritten, never a property that happens to be named "type".
    /// A schema written in JSON Schema already (OpenAI's tools) is returned as it is.
    static func jsonSchema(_ schema: JSONValue) -> JSONValue {
        isJSONSchema(schema) ? schema : rewritten(schema)
    }

    /// Whether `jsonSchema` would leave `schema` as it is: no BFCL type anywhere it rewrites.
    /// Checked before anything is built (most schemas need nothing).
    static func isJSONSchema(_ schema: JSONValue) -> Bool {
        guard case .object(let members) = schema else { return true }
        for (key, value) in members {
            switch (key, value) {
            case ("type", .string(let type)):
                if type == "dict" || type == "float" || type == "tuple" || type == "any" { return false }
            case ("properties", .object(let properties)):
                if !properties.values.allSatisfy(isJSONSchema) { return false }
            case ("items", _), ("additionalProperties", _):
                if !isJSONSchema(value) { return false }
            case ("anyOf", .array(let options)), ("oneOf", .array(let options)), ("allOf", .array(let options)):
                if !options.allSatisfy(isJSONSchema) { return false }
            default:
                continue
            }
        }
        return true
    }

    private static func rewritten(_ schema: JSONValue) -> JSONValue {
        switch schema {
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for (key, value) in members {
                switch (key, value) {
                case ("type", .string(let type)):
                    switch type {
                    case "dict": out[key] = "object"
                    case "float": out[key] = "number"
                    case "tuple": out[key] = "array"
                    case "any": continue
                    default: out[key] = value
                    }
                case ("properties", .object(let properties)):
                    out[key] = .object(properties.mapValues(jsonSchema))
                case ("items", _), ("additionalProperties", _):
                    out[key] = jsonSchema(value)
                case ("anyOf", .array(let options)), ("oneOf", .array(let options)), ("allOf", .array(let options)):
                    out[key] = .array(options.map(jsonSchema))
                default:
                    out[key] = value
                }
            }
            return .object(out)
        default:
            return schema
        }
    }
}
