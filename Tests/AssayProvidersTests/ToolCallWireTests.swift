import AssayCore
import AssayTestServer
import Foundation
import Testing

@testable import AssayProviders

/// Tools on the wire: the request's `tools`, `tool_choice` and `parallel_tool_calls` (names
/// that vendors refuse mapped to allowed ones, BFCL's schema types as JSON Schema's), and
/// calls read back from streamed fragments and from whole responses, names mapped back.
@Suite struct ToolCallWireTests {
    static let tools = [
        ToolDefinition(
            name: "math.factorial", description: "n!",
            parameters: [
                "type": "dict", "properties": ["number": ["type": "integer"], "scale": ["type": "float"]],
                "required": ["number"],
            ]),
        ToolDefinition(
            name: "get_weather", parameters: ["type": "object", "properties": ["city": ["type": "string"]]]),
    ]

    static func request(stream: Bool) -> ChatRequest {
        ChatRequest(
            model: "m", messages: [ChatMessage(role: .user, text: "5! and the weather in Paris")], maxTokens: 64,
            stream: stream,
            tools: tools, toolChoice: .function("math.factorial"), parallelToolCalls: true)
    }

    @Test func theBodyOffersTheToolsUnderAllowedNamesAsJSONSchema() throws {
        let body = ChatWireFormat.body(Self.request(stream: true))
        let tools = try #require(body["tools"]?.arrayValue)
        #expect(tools.count == 2)
        let first = try #require(tools.first?["function"])
        #expect(first["name"] == "math_factorial")
        #expect(first["parameters"]?["type"] == "object")
        #expect(first["parameters"]?["properties"]?["scale"]?["type"] == "number")
        #expect(body["tool_choice"] == ["type": "function", "function": ["name": "math_factorial"]])
        #expect(body["parallel_tool_calls"] == true)
        // A request without tools has none of these fields: its bytes (and cache key) are as before.
        let plain = ChatWireFormat.body(ChatRequest(model: "m", messages: [ChatMessage(role: .user, text: "hi")]))
        #expect(plain["tools"] == nil && plain["tool_choice"] == nil && plain["parallel_tool_calls"] == nil)
    }

    @Test func namesThatCollideAfterMappingStayApart() {
        let names = ToolNames(["a.b", "a_b", "a/b"])
        #expect(Set(names.wire.values).count == 3)
        for name in ["a.b", "a_b", "a/b"] { #expect(names.declaredName(names.wireName(name)) == name) }
    }

    @Test(arguments: [true, false]) func callsComeBackJoinedWithTheirDeclaredNames(stream: Bool) async throws {
        let reply = TestScript.Reply(
            text: "Let me check.", finishReason: "tool_calls",
            toolCalls: [
                .init(name: "math_factorial", arguments: #"{"number": 5, "scale": 1.0}"#),
                .init(name: "get_weather", arguments: #"{"city": "Paris, France"}"#),
            ])
        try await TestServer.withTestServer(script: TestScript(defaultReply: reply)) { server in
            let endpoint = Endpoint(name: "test", baseURLs: [server.baseURL])
            let clients = try await EndpointClients.make(
                endpoints: [(endpoint, ["m"])], environment: [:], connectionsPerHost: 2)
            do {
                let provider = try #require(clients.providers["test"])
                let completion = try await provider.complete(PreparedRequest(Self.request(stream: stream)))
                let calls = try #require(completion.toolCalls)
                #expect(calls.map(\.name) == ["math.factorial", "get_weather"])
                #expect(calls.map(\.argumentsText) == [#"{"number": 5, "scale": 1.0}"#, #"{"city": "Paris, France"}"#])
                #expect(calls.map(\.id) == ["call_0", "call_1"])
                #expect(calls[0].arguments == .json(["number": 5, "scale": .double(1.0)]))
                #expect(completion.text == "Let me check.")
                #expect(completion.finishReason == "tool_calls")
                if stream { #expect(completion.timing.ttftMs != nil) }
                let sent = try #require(server.received.last)
                #expect(sent.body.contains(#""name":"math_factorial""#))
            } catch {
                await clients.shutdown()
                throw error
            }
            await clients.shutdown()
        }
    }

    @Test func fragmentsOfSeveralCallsInterleavedAreJoinedByIndex() throws {
        let chunks: [JSONValue] = [
            [
                "choices": [
                    [
                        "delta": [
                            "tool_calls": [["index": 0, "id": "a", "function": ["name": "f", "arguments": "{\"x\":"]]]
                        ]
                    ]
                ]
            ],
            [
                "choices": [
                    ["delta": ["tool_calls": [["index": 1, "id": "b", "function": ["name": "g", "arguments": ""]]]]]
                ]
            ],
            ["choices": [["delta": ["tool_calls": [["index": 1, "function": ["arguments": "{}"]]]]]]],
            ["choices": [["delta": ["tool_calls": [["index": 0, "function": ["arguments": " 1}"]]]]]]],
            ["choices": [["delta": [:], "finish_reason": "tool_calls"]]],
        ]
        var builder = CompletionBuilder(servedBy: "t")
        let clock = ContinuousClock()
        let start = clock.now
        for chunk in chunks {
            try builder.consume(SSEEvent(data: chunk.compactJSON), at: clock.now)
        }
        try builder.consume(SSEEvent(data: "[DONE]"), at: clock.now)
        let completion = try builder.finishStream(start: start, end: clock.now)
        #expect(completion.toolCalls?.map(\.summary) == ["f({\"x\": 1})", "g({})"])
    }

    @Test func anAnswerWithMoreCallsThanAnyAnswerMakesIsADecodeError() throws {
        var builder = CompletionBuilder(servedBy: "t")
        let clock = ContinuousClock()
        var failure: ProviderError?
        for index in 0...ToolCallAssembler.maxCalls {
            let chunk: JSONValue = [
                "choices": [
                    [
                        "delta": [
                            "tool_calls": [
                                ["index": .int(index), "id": .string("c\(index)"), "function": ["name": "f"]]
                            ]
                        ]
                    ]
                ]
            ]
            do {
                try builder.consume(SSEEvent(data: chunk.compactJSON), at: clock.now)
            } catch {
                failure = error
                break
            }
        }
        #expect(failure?.kind == .decode)
    }

    @Test func argumentsThatAreNotJSONAreKeptWithTheReason() throws {
        let call = ToolCall(name: "f", argumentsText: "{\"x\": 1")
        guard case .invalid(let reason) = call.arguments else {
            Issue.record("parsed \(call.arguments)")
            return
        }
        #expect(!reason.isEmpty)
        let data = try JSONEncoder().encode(call)
        let back = try JSONDecoder().decode(ToolCall.self, from: data)
        #expect(back == call)
    }
}
