import AssayCore
import Foundation
import Testing

@testable import AssayProviders

/// `JSONParser` against Foundation's JSONDecoder (the reference it replaced on the streaming
/// path): the same values on real public files and on generated documents, the same refusals
/// on broken ones, and its own answers where it is deliberately lenient.
@Suite struct JSONParserTests {
    func reference(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    func parsed(_ text: String) -> JSONValue? {
        try? JSONParser.parse(Array(text.utf8))
    }

    /// Every line of the MATH-500 and HumanEval excerpts (LaTeX backslashes, code with escapes,
    /// Unicode) and LiteLLM's price map: the same value as JSONDecoder's.
    @Test func realFilesReadAsJSONDecoderReadsThem() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures")
        var documents: [String] = []
        for name in ["math500.jsonl", "humaneval-excerpt.jsonl"] {
            let text = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
            documents += text.split(separator: "\n").map(String.init)
        }
        documents.append(
            try String(contentsOf: fixtures.appendingPathComponent("litellm-prices-excerpt.json"), encoding: .utf8))
        #expect(documents.count > 500)
        var escaped = 0
        for document in documents {
            let expected = try #require(reference(document))
            #expect(parsed(document) == expected, "\(document.prefix(120))")
            if document.contains("\\") { escaped += 1 }
        }
        #expect(escaped > 100, "the corpus exercises escapes")
    }

    @Test func valuesOfEveryKind() {
        #expect(
            parsed(#" {"a": [1, -0, 2.5, -1e3, 1E+2, 0.125e-1, true, false, null], "b": {}} "#)
                == ["a": [1, 0, 2.5, -1000, 100, 0.0125, true, false, .null], "b": [:]])
        #expect(parsed("12") == .int(12))
        #expect(parsed("12.0") == .double(12))
        #expect(parsed(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{8}\u{C}\n\r\t"))
        #expect(parsed(#""\u00e9\u4e2d\ud83d\ude00""#) == .string("é中😀"))
        #expect(parsed(#""plain 中文 text""#) == .string("plain 中文 text"))
        // Past Int: a Double, as JSONDecoder reads it.
        #expect(parsed("123456789012345678901234567890") == .double(123456789012345678901234567890))
        #expect(parsed(#"{"k": 1, "k": 2}"#) == ["k": 2])
        // A trailing comma, as JSONDecoder reads it.
        #expect(parsed("[1, 2 ,]") == [1, 2])
        #expect(parsed(#"{"a": 1,}"#) == ["a": 1])
        #expect(reference("[1, 2 ,]") == [1, 2])
    }

    /// Broken documents: refused, as JSONDecoder refuses them.
    @Test func brokenDocumentsAreRefused() {
        let broken = [
            "", " ", "[,1]", "{,}", "[1,,]", #"{"a":1,,}"#, "{'a':1}", "01", "-01", "1.", ".1", "1e", "1e+", "+1", "-",
            "NaN", "Infinity", "[1] x", "[1]]",
            #""abc"#, "\"a\u{1}b\"", #""\q""#, #""\u12G4""#, #""\u12""#, "tru", "nul", "nulls", #"{"a" 1}"#, "{1:2}",
            "[", "{", #"{"a":}"#,
            "[1 2]", "1e400", "-1e400", "/* c */ 1",
        ]
        for text in broken {
            #expect(reference(text) == nil, "JSONDecoder accepts \(text)")
            #expect(throws: JSONParser.Failure.self, "\(text)") { try JSONParser.parse(Array(text.utf8)) }
        }
    }

    @Test func aFailureSaysWhere() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(#"{"a": [1, 2,, 3]}"#.utf8)) }
        do {
            _ = try JSONParser.parse(Array(#"{"a": [1, 2,, 3]}"#.utf8))
        } catch {
            #expect(error.offset == 12)
            #expect(error.description.contains("at byte 12"))
        }
    }

    /// Hostile nesting cannot exhaust the stack: refused past 512 levels, read up to them.
    @Test func deepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(deep.utf8)) }
        let objects = String(repeating: #"{"a":"#, count: 513) + "1" + String(repeating: "}", count: 513)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(objects.utf8)) }
        let limit =
            String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        #expect(parsed(limit) != nil)
    }

    /// Where JSONDecoder throws away a whole chunk, the parser keeps the text: an unpaired
    /// surrogate or invalid UTF-8 becomes U+FFFD.
    @Test func brokenUnicodeBecomesReplacementCharacters() throws {
        #expect(parsed(#""\ud800""#) == .string("\u{FFFD}"))
        #expect(parsed(#""\udc00x""#) == .string("\u{FFFD}x"))
        #expect(parsed(#""\ud800\u0041""#) == .string("\u{FFFD}A"))
        #expect(parsed(#""\ud800\ud800\udc00""#) == .string("\u{FFFD}𐀀"))
        #expect(try JSONParser.parse([0x22, 0x61, 0xFF, 0x62, 0x22]) == .string("a\u{FFFD}b"))
    }

    /// Generated documents (every kind, escapes, nesting) and single-byte mutations of them:
    /// wherever JSONDecoder reads a value the parser reads the same one, and wherever it
    /// refuses, the parser refuses.
    @Test func generatedDocumentsAndTheirMutationsAgreeWithJSONDecoder() {
        var random = SeededGenerator(seed: 20261127)
        let alphabet = Array(#"{}[],:"\/-+.0123456789eEtrufalsn x\#n\#t"#.utf8)
        var accepted = 0
        var refused = 0
        for _ in 0..<400 {
            let value = Self.randomValue(depth: 0, using: &random)
            let text = Bool.random(using: &random) ? value.compactJSON : value.prettyJSON
            #expect(parsed(text) == reference(text), "\(text)")
            var bytes = Array(text.utf8)
            for _ in 0..<4 {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                // ASCII replacements only, so that the UTF-8 stays valid (the parser is lenient there on purpose).
                guard bytes[index] < 0x80 else { continue }
                bytes[index] = alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
                let expected = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
                let got = try? JSONParser.parse(bytes)
                // An unpaired surrogate escape: JSONDecoder refuses, the parser keeps U+FFFD (tested above).
                let lowered = String(decoding: bytes, as: UTF8.self).lowercased()
                if expected == nil,
                    ["8", "9", "a", "b", "c", "d", "e", "f"].contains(where: { lowered.contains("\\ud" + $0) })
                {
                    continue
                }
                #expect(got == expected, "\(String(decoding: bytes, as: UTF8.self))")
                if expected == nil { refused += 1 } else { accepted += 1 }
            }
        }
        #expect(accepted > 100 && refused > 100, "mutations both keep and break documents (\(accepted), \(refused))")
    }

    static func randomValue(depth: Int, using random: inout SeededGenerator) -> JSONValue {
        let kinds = depth > 4 ? 5 : 7
        switch Int.random(in: 0..<kinds, using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .int(Int.random(in: -1_000_000...1_000_000, using: &random))
        case 3: return .double((Double.random(in: -1e6...1e6, using: &random) * 1000).rounded() / 997)
        case 4: return .string(randomString(using: &random))
        case 5:
            return .array(
                (0..<Int.random(in: 0...4, using: &random)).map { _ in randomValue(depth: depth + 1, using: &random) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &random) {
                members[randomString(using: &random)] = randomValue(depth: depth + 1, using: &random)
            }
            return .object(members)
        }
    }

    static func randomString(using random: inout SeededGenerator) -> String {
        let pieces = ["a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\u{1}", "\u{1F}", "é", "中", "😀", "\\u", "{", "]"]
        return (0..<Int.random(in: 0...6, using: &random)).map { _ in
            pieces[Int.random(in: 0..<pieces.count, using: &random)]
        }.joined()
    }
}

/// The chat-completions payload as read from parsed JSON: the format's types or a decode error.
@Suite struct ChatPayloadTests {
    func decode(_ json: String) throws(ProviderError) -> ChatWireFormat.Payload {
        try ChatWireFormat.decode(Array(json.utf8))
    }

    @Test func aChunkAndAWholeResponseAreRead() throws {
        let chunk = try decode(
            #"{"id":"x","choices":[{"index":0,"delta":{"content":"Hi","reasoning_content":"hm"},"finish_reason":null}]}"#
        )
        #expect(chunk.choices?.first?.delta?.content == "Hi")
        #expect(chunk.choices?.first?.delta?.thinking == "hm")
        #expect(chunk.choices?.first?.finishReason == nil)
        let whole = try decode(
            #"{"choices":[{"message":{"role":"assistant","content":"4","reasoning":"2+2"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9.0,"completion_tokens":1}}"#
        )
        #expect(whole.choices?.first?.message?.content == "4")
        #expect(whole.choices?.first?.message?.thinking == "2+2")
        #expect(whole.choices?.first?.finishReason == "stop")
        #expect(try whole.usage?.usage() == Usage(promptTokens: 9, completionTokens: 1))
        let error = try decode(#"{"error":{"message":"overloaded","type":"server_error","code":529}}"#)
        #expect(error.error?.message == "overloaded")
        #expect(try decode(#"{"choices":null,"usage":null}"#).choices == nil)
    }

    /// A field of another type is never read as something else (nor as missing).
    @Test func aFieldOfTheWrongTypeIsADecodeError() {
        let wrong = [
            #"[]"#, #""text""#, #"{"choices":{}}"#, #"{"choices":[null]}"#, #"{"choices":[{"delta":{"content":5}}]}"#,
            #"{"choices":[{"delta":"Hi"}]}"#, #"{"choices":[{"finish_reason":1}]}"#,
            #"{"usage":{"prompt_tokens":"9","completion_tokens":1}}"#,
            #"{"usage":{"prompt_tokens":9.5,"completion_tokens":1}}"#,
            #"{"usage":{"prompt_tokens":1e300,"completion_tokens":1}}"#,
            #"{"usage":{"prompt_tokens":9,"completion_tokens":1,"completion_tokens_details":[]}}"#,
            #"{"error":"boom"}"#,
            #"{"choices":[]}x"#,
        ]
        for json in wrong {
            #expect(throws: ProviderError.self, "\(json)") { try decode(json) }
        }
        do {
            _ = try decode(#"{"choices":[{"delta":{"content":5}}]}"#)
        } catch {
            #expect(error.kind == .decode)
            #expect(error.message.hasPrefix(#"not a chat-completions JSON object: {"choices""#))
        }
    }
}
