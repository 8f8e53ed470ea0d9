import AssayCore
import Testing

@testable import AssayProviders

/// The chat-completions payload pulled from the bytes (`ChatWireFormat.decode`) against the
/// same fields read from the parsed tree (`Reference`, how it was read before): on generated
/// chunks and whole responses (every field of the right type, of a wrong one, null, missing;
/// members Assay does not read), and on their mutations, both read the same payload or both
/// refuse it.
@Suite struct ChatPayloadReferenceTests {
    @Test func pulledAndTreeReadingsAgree() {
        var random = SeededGenerator(seed: 20261205)
        let alphabet = Array(#"{}[],:"0123456789.-eun x"#.utf8)
        var read = 0
        var refused = 0
        for _ in 0..<1500 {
            var bytes = Array(Self.payload(using: &random).compactJSON.utf8)
            for round in 0..<3 {
                if round > 0 {
                    let index = Int.random(in: 0..<bytes.count, using: &random)
                    bytes[index] = alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
                }
                let pulled = try? ChatWireFormat.decode(bytes)
                let tree = try? Reference.payload(JSONParser.parse(bytes))
                #expect(pulled == tree, "\(String(decoding: bytes, as: UTF8.self))")
                if pulled == nil { refused += 1 } else { read += 1 }
            }
        }
        #expect(read > 1000 && refused > 1000, "both readings and refusals are exercised (\(read), \(refused))")
    }

    /// A value for a field: mostly of its type, sometimes null, missing, or (rarely: a
    /// payload has two dozen fields) of another type.
    static func field(_ right: JSONValue, using random: inout SeededGenerator) -> JSONValue? {
        switch Int.random(in: 0..<60, using: &random) {
        case 0..<5: nil
        case 5..<10: .null
        case 10: [.string("x"), 1.5, .int(3), .bool(true), [:], []][Int.random(in: 0..<6, using: &random)]
        default: right
        }
    }

    static func object(_ fields: [(String, JSONValue)], using random: inout SeededGenerator) -> JSONValue {
        var members: [String: JSONValue] = [:]
        for (key, value) in fields {
            if let value = field(value, using: &random) { members[key] = value }
        }
        if Bool.random(using: &random) {
            members["extra"] = JSONParserTests.randomValue(depth: 2, using: &random)
        }
        return .object(members)
    }

    static func payload(using random: inout SeededGenerator) -> JSONValue {
        let fragment = object(
            [
                ("index", .int(Int.random(in: 0...3, using: &random))), ("id", "call_1"),
                ("function", object([("name", "f"), ("arguments", #"{"a":"#)], using: &random)),
            ], using: &random)
        let message = object(
            [
                ("content", "Hi \"there\""), ("reasoning_content", "hm"), ("reasoning", "r"),
                ("tool_calls", [fragment, fragment]),
            ], using: &random)
        let choice = object(
            [("delta", message), ("message", message), ("finish_reason", "stop")], using: &random)
        let usage = object(
            [
                ("prompt_tokens", 9), ("completion_tokens", 12.0), ("prompt_cache_hit_tokens", 2),
                ("prompt_cache_miss_tokens", 7),
                ("completion_tokens_details", object([("reasoning_tokens", 3)], using: &random)),
                ("prompt_tokens_details", object([("cached_tokens", 2)], using: &random)),
            ], using: &random)
        return object(
            [
                ("id", "chatcmpl-1"), ("choices", [choice]), ("usage", usage),
                ("error", object([("message", "overloaded"), ("type", "server_error")], using: &random)),
            ], using: &random)
    }

    /// How the payload was read before it was pulled: from the parsed tree, field by field.
    enum Reference {
        struct Mismatch: Error {}

        static func members(_ value: JSONValue?) throws -> [String: JSONValue]? {
            switch value {
            case nil, .null?: return nil
            case .object(let members)?: return members
            default: throw Mismatch()
            }
        }

        static func string(_ value: JSONValue?) throws -> String? {
            switch value {
            case nil, .null?: return nil
            case .string(let string)?: return string
            default: throw Mismatch()
            }
        }

        static func int(_ value: JSONValue?) throws -> Int? {
            switch value {
            case nil, .null?: return nil
            case let value?:
                guard let int = value.intValue else { throw Mismatch() }
                return int
            }
        }

        static func array(_ value: JSONValue?) throws -> [JSONValue]? {
            switch value {
            case nil, .null?: return nil
            case .array(let elements)?: return elements
            default: throw Mismatch()
            }
        }

        static func payload(_ json: JSONValue) throws -> ChatWireFormat.Payload {
            guard case .object(let fields) = json else { throw Mismatch() }
            var payload = try ChatWireFormat.decode(Array("{}".utf8))
            payload.choices = try array(fields["choices"])?.map(choice)
            if let usage = try members(fields["usage"]) {
                var read = try ChatWireFormat.decode(Array(#"{"usage":{}}"#.utf8)).usage
                read?.promptTokens = try int(usage["prompt_tokens"])
                read?.completionTokens = try int(usage["completion_tokens"])
                read?.reasoningTokens = try int(members(usage["completion_tokens_details"])?["reasoning_tokens"])
                read?.cachedTokens = try int(members(usage["prompt_tokens_details"])?["cached_tokens"])
                read?.promptCacheHitTokens = try int(usage["prompt_cache_hit_tokens"])
                read?.promptCacheMissTokens = try int(usage["prompt_cache_miss_tokens"])
                payload.usage = read
            }
            if let error = try members(fields["error"]) {
                var read = try ChatWireFormat.decode(Array(#"{"error":{}}"#.utf8)).error
                read?.message = try string(error["message"])
                read?.type = try string(error["type"])
                payload.error = read
            }
            return payload
        }

        static func choice(_ json: JSONValue) throws -> ChatWireFormat.Choice {
            guard let fields = try members(json) else { throw Mismatch() }
            var choice = try #require(try ChatWireFormat.decode(Array(#"{"choices":[{}]}"#.utf8)).choices?.first)
            choice.delta = try members(fields["delta"]).map(message)
            choice.message = try members(fields["message"]).map(message)
            choice.finishReason = try string(fields["finish_reason"])
            return choice
        }

        static func message(_ fields: [String: JSONValue]) throws -> ChatWireFormat.Message {
            var message = try #require(
                try ChatWireFormat.decode(Array(#"{"choices":[{"delta":{}}]}"#.utf8)).choices?.first?.delta)
            message.content = try string(fields["content"])
            message.reasoningContent = try string(fields["reasoning_content"])
            message.reasoning = try string(fields["reasoning"])
            message.toolCalls = try array(fields["tool_calls"])?.map { element in
                guard let fields = try members(element) else { throw Mismatch() }
                var fragment = try #require(
                    try ChatWireFormat.decode(Array(#"{"choices":[{"delta":{"tool_calls":[{}]}}]}"#.utf8))
                        .choices?.first?.delta?.toolCalls?.first)
                fragment.index = try int(fields["index"])
                fragment.id = try string(fields["id"])
                let function = try members(fields["function"])
                fragment.name = try string(function?["name"])
                fragment.arguments = try string(function?["arguments"])
                return fragment
            }
            return message
        }
    }
}
