import AssayProviders
import Foundation
import Testing

@Suite struct SSEParserTests {
    func parse(_ text: String, chunkSize: Int = .max) -> [SSEEvent] {
        var parser = SSEParser()
        var events: [SSEEvent] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let end = min(bytes.count, index + chunkSize)
            events += parser.feed(bytes[index..<end])
            index = end
        }
        return events + parser.finish()
    }

    @Test func lfCrlfAndCrLineEndingsGiveTheSameEvents() {
        let lf = "data: one\n\ndata: two\n\n"
        let expected = [SSEEvent(data: "one"), SSEEvent(data: "two")]
        #expect(parse(lf) == expected)
        #expect(parse(lf.replacingOccurrences(of: "\n", with: "\r\n")) == expected)
        #expect(parse(lf.replacingOccurrences(of: "\n", with: "\r")) == expected)
    }

    @Test func commentsAreIgnoredAndDataLinesJoined() {
        let text = ": keep-alive\ndata: first line\n: a comment between\ndata: second line\ndata\nevent: delta\n\n"
        #expect(parse(text) == [SSEEvent(data: "first line\nsecond line\n", event: "delta")])
    }

    @Test func onlyOneSpaceAfterTheColonIsDropped() {
        #expect(
            parse("data:no space\n\ndata:  two spaces\n\n") == [
                SSEEvent(data: "no space"), SSEEvent(data: " two spaces"),
            ])
    }

    @Test func chunksSplitAnywhereGiveTheSameEvents() {
        let text = "data: {\"a\": \"héllo 世界\"}\r\n\r\n: ping\r\ndata: [DONE]\r\n\r\n"
        let whole = parse(text)
        #expect(whole == [SSEEvent(data: "{\"a\": \"héllo 世界\"}"), SSEEvent(data: "[DONE]")])
        for size in 1...7 {
            #expect(parse(text, chunkSize: size) == whole, "chunks of \(size) bytes")
        }
    }

    @Test func aLastEventWithoutBlankLineIsStillDispatched() {
        #expect(parse("data: [DONE]\n") == [SSEEvent(data: "[DONE]")])
        #expect(parse("data: [DONE]") == [SSEEvent(data: "[DONE]")])
    }

    @Test func blankLinesWithoutDataDispatchNothing() {
        #expect(parse("\n\n\r\n: only a comment\n\n") == [])
    }
}
