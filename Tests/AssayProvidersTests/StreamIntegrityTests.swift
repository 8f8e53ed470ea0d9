import AssayCore
import AssayTestServer
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

@testable import AssayProviders

/// No streamed answer may lose its beginning. A server that answers at once can have its
/// response read before the client hears that its request was written; before the fix, the
/// exchange then threw away what it had already read (about 1 answer in 2,000, the stored
/// text was only the tail, with `finish_reason: stop` and no error).
@Suite struct StreamIntegrityTests {
    /// The interleaving itself, made certain: the body's bytes go out at once (the server has
    /// the whole request and starts answering), but the body's stream reports its end 150 ms
    /// later, so AsyncHTTPClient reports the request sent after the first chunks were read.
    @Test func anAnswerReadBeforeTheRequestIsReportedSentKeepsItsBeginning() async throws {
        let words = (1...20).map { "word\($0)" }
        let reply = TestScript.Reply(text: words.joined(separator: " "), ttftMs: 20, chunkDelayMs: 10)
        try await TestServer.withTestServer(script: TestScript(defaultReply: reply)) { server in
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                let chat = ChatRequest(
                    model: "m", messages: [ChatMessage(role: .user, text: "hello")], maxTokens: 64, stream: true)
                let body = ByteBuffer(string: ChatWireFormat.body(chat).compactJSON)
                var request = try HTTPClient.Request(url: server.baseURL + "/chat/completions", method: .POST)
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .stream(contentLength: Int64(body.readableBytes)) { writer in
                    writer.write(.byteBuffer(body)).flatMap {
                        client.eventLoopGroup.any().scheduleTask(in: .milliseconds(150)) {}.futureResult
                    }
                }
                let exchange = StreamExchange(stream: true, baseURL: server.baseURL, firstTokenLimit: nil)
                let completion = try await client.execute(request: request, delegate: exchange).futureResult.get()
                #expect(
                    completion.text == reply.text, "the answer lost its beginning: \(completion.text.debugDescription)")
                // The clock started when the body was written, not when the send was reported.
                let ttft = try #require(completion.timing.ttftMs)
                #expect(ttft >= 15, "ttft \(ttft) ms")
                #expect(completion.timing.latencyMs >= 200, "latency \(completion.timing.latencyMs) ms")
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    /// Multi-kilobyte requests, HumanEval-sized answers, a server with no delay, 8 in
    /// flight, beside the rest of the test suite: every answer arrives whole, byte for byte.
    @Test func thousandsOfImmediateAnswersArriveWhole() async throws {
        let tasks = 40
        var script = TestScript()
        var answers: [String] = []
        for task in 0..<tasks {
            // About 1.5 KB in 40 chunks: a HumanEval-sized answer (the server sends a chunk per word).
            let body = (0..<18).map {
                "    total_\(task)=total_\(task)*\($0 + 1)+\(task)+len(str(n))//\($0 + 2)#step_\($0)"
            }.joined(separator: "\n")
            let answer =
                "```python\ndef solve_\(task)(n):\n    total_\(task) = 1\n\(body)\n    return total_\(task)\n```"
            answers.append(answer)
            script.rules.append(.init(promptContains: "[task \(task)]", reply: .init(text: answer)))
        }
        let expected = answers
        let padding = String(
            repeating: "def helper(x):\n    \"\"\"A docstring of a realistic prompt.\"\"\"\n", count: 60)
        let requests = 3000
        let results = try await TestServer.withTestServer(script: script, keepRequests: false) { server in
            let endpoint = Endpoint(name: "test", baseURLs: [server.baseURL], apiKeyEnv: nil)
            let clients = try await EndpointClients.make(
                endpoints: [(endpoint, ["m"])], environment: [:], connectionsPerHost: 8)
            let provider = try #require(clients.providers["test"])
            let results = await withTaskGroup(of: (count: Int, lost: [String]).self) { group in
                for lane in 0..<8 {
                    group.addTask {
                        var lost: [String] = []
                        var count = 0
                        var index = lane
                        while index < requests {
                            let task = index % tasks
                            let prompt = "[task \(task)] request \(index)\n\(padding)"
                            let request = ChatRequest(
                                model: "m", messages: [ChatMessage(role: .user, text: prompt)], maxTokens: 1024,
                                stream: true)
                            do {
                                let completion = try await provider.complete(request)
                                if completion.text != expected[task] {
                                    lost.append(
                                        "request \(index): got \(completion.text.count) characters, starting \(completion.text.prefix(40).debugDescription)"
                                    )
                                }
                            } catch {
                                lost.append("request \(index): \(error)")
                            }
                            count += 1
                            index += 8
                        }
                        return (count, lost)
                    }
                }
                var all: [(count: Int, lost: [String])] = []
                for await result in group { all.append(result) }
                return all
            }
            await clients.shutdown()
            return results
        }
        #expect(results.map(\.count).reduce(0, +) == requests)
        let lost = results.flatMap(\.lost)
        #expect(
            lost.isEmpty, "\(lost.count) of \(requests) answers differ from what the server sent: \(lost.prefix(5))")
    }
}
