import AssayCore
import AssayProviders
import Foundation
import Testing

@Suite struct ChatWireFormatTests {
    @Test func aStreamedRequestAsksForUsage() {
        let request = ChatRequest(
            model: "m", messages: [ChatMessage(role: .system, text: "s"), ChatMessage(role: .user, text: "u")],
            maxTokens: 5,
            temperature: 0)
        let body = ChatWireFormat.body(request)
        #expect(body["stream"] == .bool(true))
        #expect(body["stream_options"]?["include_usage"] == .bool(true))
        #expect(body["max_tokens"] == .int(5))
        #expect(body["messages"]?.arrayValue?.first?["role"] == "system")
        #expect(body["messages"]?.arrayValue?.last?["content"] == "u")
        #expect(
            body.compactJSON
                == #"{"max_tokens":5,"messages":[{"content":"s","role":"system"},{"content":"u","role":"user"}],"model":"m","stream":true,"stream_options":{"include_usage":true},"temperature":0}"#
        )
    }

    @Test func aWholeRequestHasNoStreamOptions() {
        let body = ChatWireFormat.body(
            ChatRequest(model: "m", messages: [ChatMessage(role: .user, text: "u")], stream: false))
        #expect(body["stream"] == .bool(false))
        #expect(body["stream_options"] == nil)
        #expect(body["max_tokens"] == nil)
    }

    @Test func imagePartsBecomeContentArrays() {
        let message = ChatMessage(role: .user, parts: [.text("read this"), .imageURL("data:image/png;base64,AAAA")])
        let body = ChatWireFormat.body(ChatRequest(model: "m", messages: [message]))
        let content = body["messages"]?.arrayValue?.first?["content"]?.arrayValue
        #expect(content?[0] == ["type": "text", "text": "read this"])
        #expect(content?[1] == ["type": "image_url", "image_url": ["url": "data:image/png;base64,AAAA"]])
    }

    /// A suite's `response_format` written once and given to every request's body: the same
    /// bytes as the body written whole, whatever members sort around it, and a vendor's own
    /// `response_format` (the catalog's `request:`) still wins.
    @Test func aResponseFormatWrittenOnceGivesTheSameBody() {
        let schema: JSONValue = [
            "type": "object", "required": ["total"],
            "properties": ["total": ["type": "string"], "items": ["type": "array", "items": ["type": "object"]]],
        ]
        let formats: [ResponseFormat] = [
            .jsonSchema(name: "receipt", schema: schema, strict: true),
            .jsonSchema(name: "r", schema: [:], strict: false),
            .jsonObject,
        ]
        let extras: [[String: JSONValue]] = [
            [:], ["reasoning_effort": "low", "seed": 7, "top_p": 0.5, "a": .null],
            ["response_format": ["type": "text"], "zz": true],
        ]
        for format in formats {
            for extra in extras {
                for stream in [true, false] {
                    let request = ChatRequest(
                        model: "m", messages: [ChatMessage(role: .user, text: "Receipt \"1\"")], maxTokens: 64,
                        stream: stream, extra: extra, responseFormat: format)
                    let whole = ChatWireFormat.body(request).compactJSON
                    let given = ChatWireFormat.encodedBody(
                        request, names: request.toolNames,
                        responseFormat: ChatWireFormat.encodedResponseFormat(format))
                    #expect(given == whole, "\(format) \(extra)")
                    #expect(whole.contains(extra["response_format"] == nil ? "json_" : #""type":"text""#))
                }
            }
        }
        #expect(JSONValue.array([1]).compactJSON(adding: "k", encoded: "2") == "[1]")
        #expect(JSONValue.object(["b": 1]).compactJSON(adding: "a", encoded: #"{"x":[]}"#) == #"{"a":{"x":[]},"b":1}"#)
    }
}

@Suite struct RetryAfterTests {
    @Test func secondsAndHTTPDatesAreRead() {
        let now = Date(timeIntervalSince1970: 1_784_000_000)
        #expect(RetryAfter.seconds(from: "7", now: now) == 7)
        #expect(RetryAfter.seconds(from: " 1.5 ", now: now) == 1.5)
        let date = Date(timeIntervalSince1970: 1_784_000_030)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        #expect(RetryAfter.seconds(from: formatter.string(from: date), now: now) == 30)
        #expect(RetryAfter.seconds(from: formatter.string(from: now.addingTimeInterval(-60)), now: now) == 0)
        #expect(RetryAfter.seconds(from: "soon", now: now) == nil)
        #expect(RetryAfter.seconds(from: "-3", now: now) == nil)
        #expect(RetryAfter.seconds(from: nil, now: now) == nil)
    }
}
