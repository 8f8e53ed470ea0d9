import AssayCore
import Testing

/// `JSONParser.read` (values pulled, the rest skipped) against `JSONParser.parse`: the same
/// documents refused, the same values read, on generated documents and their mutations.
@Suite struct JSONPullTests {
    func skipped(_ bytes: [UInt8]) -> Bool {
        (try? JSONParser.read(bytes) { json throws(JSONParser.Failure) in try json.skip() }) != nil
    }

    @Test func skippingRefusesWhatParsingRefuses() {
        var random = SeededGenerator(seed: 20261205)
        let alphabet = Array(#"{}[],:"\/-+.0123456789eEtrufalsn x\#n\#t"#.utf8)
        var accepted = 0
        var refused = 0
        for _ in 0..<400 {
            let value = JSONParserTests.randomValue(depth: 0, using: &random)
            var bytes = Array((Bool.random(using: &random) ? value.compactJSON : value.prettyJSON).utf8)
            #expect(skipped(bytes))
            #expect((try? JSONParser.read(bytes) { json throws(JSONParser.Failure) in try json.value() }) == value)
            for _ in 0..<4 {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                bytes[index] = alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
                let parsed = try? JSONParser.parse(bytes)
                #expect(skipped(bytes) == (parsed != nil), "\(String(decoding: bytes, as: UTF8.self))")
                if parsed == nil { refused += 1 } else { accepted += 1 }
            }
        }
        #expect(accepted > 100 && refused > 100, "mutations both keep and break documents (\(accepted), \(refused))")
    }

    @Test func brokenDocumentsAndDeepNestingAreRefused() {
        let broken = [
            "", "[,1]", "{,}", #"{"a":1,,}"#, "01", "1.", "1e400", #""\q""#, #""\u12G4""#, "\"a\u{1}b\"", #"{"a" 1}"#,
            "{1:2}", "[1] x", #"{"a":}"#, "[1 2]", "nul",
            String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
        ]
        for text in broken {
            #expect(!skipped(Array(text.utf8)), "\(text.prefix(40))")
        }
        let limit =
            String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        #expect(skipped(Array(limit.utf8)))
    }

    /// Members by name (escaped names too), the ones left skipped, types checked.
    @Test func membersAreReadByNameAndTheRestSkipped() throws {
        let text = #"{"skip": [1, {"x": "y"}], "con\u0074ent": "hi", "n": 12.0, "left": {"deep": [true]}, }"#
        var content: String?
        var number: Int?
        try JSONParser.read(Array(text.utf8)) { json throws(JSONParser.Failure) in
            try json.members("the test") { json, key throws(JSONParser.Failure) in
                if key == "content" { content = try json.string("content") }
                if key == "n" { number = try json.int("n") }
            }
        }
        #expect(content == "hi")
        #expect(number == 12)
        #expect(throws: JSONParser.Failure.self) {
            try JSONParser.read(Array(#"{"n": 1.5}"#.utf8)) { json throws(JSONParser.Failure) in
                try json.members("the test") { json, _ throws(JSONParser.Failure) in _ = try json.int("'n'") }
            }
        }
        do {
            try JSONParser.read(Array(#"{"n": "1"}"#.utf8)) { json throws(JSONParser.Failure) in
                try json.members("the test") { json, _ throws(JSONParser.Failure) in _ = try json.int("'n'") }
            }
            Issue.record("a string read as an integer")
        } catch {
            #expect(error.reason == "'n' is not an integer")
            #expect(error.offset == 6)
        }
    }
}
