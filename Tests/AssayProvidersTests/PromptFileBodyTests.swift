import AssayCore
@testable import AssayProviders
import AssayTestServer
import AssayTestSupport
import Foundation
import Testing

/// A request whose prompt has a part on disk (issue 34): its body streams from the file and
/// comes to the same bytes as the body built whole, escapes and cut characters included.
@Suite struct PromptFileBodyTests {
    /// Text long enough for several reads, with characters the reads cut in two and ones JSON escapes.
    static let text = String(
        repeating: "道可道，非常道。 \"Quoted\" and a back\\slash, a tab\there; 😀 ",
        count: 6_000)

    func request(_ text: String) -> ChatRequest {
        ChatRequest(
            model: "m",
            messages: [
                ChatMessage(role: .system, text: "Read."), ChatMessage(role: .user, text: text + "\n\nWhat is it?"),
            ],
            maxTokens: 16)
    }

    @Test func theStreamedBodyIsTheWholeBody() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        _ = try dir.write("haystack.txt", Self.text)
        let file = try PromptFile.measure(path: dir.path("haystack.txt"))
        let whole = PreparedRequest(request(Self.text))
        let streamed = PreparedRequest(request(file.marker), file: file)
        #expect(streamed.file != nil && streamed.body.utf8.count < 1_000)
        let reader = try PreparedRequest.BodyReader(streamed)
        var bytes: [UInt8] = []
        var pieces = 0
        while let piece = try reader.next() {
            bytes += piece
            pieces += 1
        }
        #expect(pieces > 3)
        #expect(bytes == Array(whole.body.utf8))
        #expect(streamed.bodyLength == whole.body.utf8.count)
        // The estimate reads the marker as the file's text.
        #expect(file.tokens(in: "a" + file.marker) == TokenEstimate.standard.tokens("a" + Self.text))
    }

    @Test func theServerReceivesTheFilesText() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        _ = try dir.write("haystack.txt", Self.text)
        let file = try PromptFile.measure(path: dir.path("haystack.txt"))
        let script = TestScript(
            rules: [.init(promptEquals: Self.text + "\n\nWhat is it?", reply: .init(text: "right"))],
            defaultReply: .init(text: "wrong"))
        try await TestServer.withTestServer(script: script) { server in
            let endpoint = Endpoint(name: "test", baseURLs: [server.baseURL])
            let clients = try await EndpointClients.make(
                endpoints: [(endpoint, ["m"])], environment: [:], connectionsPerHost: 4, timeouts: RequestTimeouts())
            let provider = try #require(clients.providers["test"])
            let answer = try? await provider.complete(PreparedRequest(request(file.marker), file: file))
            await clients.shutdown()
            #expect(answer?.text == "right")
        }
    }
}
