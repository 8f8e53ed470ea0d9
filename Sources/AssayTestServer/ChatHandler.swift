import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// Serves one HTTP/1.1 connection: collects each request, then answers it as scripted.
final class ChatHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let state: TestServer.State
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?

    init(state: TestServer.State) {
        self.state = state
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            self.body = context.channel.allocator.buffer(capacity: 0)
        case .body(var buffer):
            body?.writeBuffer(&buffer)
        case .end:
            guard let head else { return }
            let body = self.body.map { String(buffer: $0) } ?? ""
            self.head = nil
            self.body = nil
            respond(to: head, body: body, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, body: String, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        if state.keepRequests {
            let request = TestServer.ReceivedRequest(
                method: head.method.rawValue, path: path, headers: head.headers.map { ($0.name, $0.value) }, body: body)
            state.received.withLock { $0.append(request) }
        }
        switch (head.method, path) {
        case (.POST, "/v1/chat/completions"), (.POST, "/chat/completions"):
            state.requestCount.add(1, ordering: .relaxed)
            chat(head: head, body: body, context: context)
        case (.GET, "/v1/models"), (.GET, "/models"):
            sendJSON(status: .ok, #"{"object":"list","data":[{"id":"assay-test","object":"model"}]}"#, head: head, context: context)
        default:
            sendJSON(status: .notFound, #"{"error":{"message":"no route for \#(head.method.rawValue) \#(path)","type":"not_found"}}"#, head: head, context: context)
        }
    }

    private func chat(head: HTTPRequestHead, body: String, context: ChannelHandlerContext) {
        guard let request = ParsedChatRequest(json: body) else {
            sendJSON(status: .badRequest, #"{"error":{"message":"the body is not a chat-completions request","type":"invalid_request_error"}}"#, head: head, context: context)
            return
        }
        let reply = state.script.withLock { $0.reply(model: request.model, prompt: request.prompt, images: request.images) }
        if reply.fault == .echoAuthorization {
            let header = ChunkWriter.escape(head.headers.first(name: "authorization") ?? "none")
            sendJSON(status: .badRequest, #"{"error":{"message":"bad request; you sent Authorization: \#(header)","type":"invalid_request_error"}}"#, head: head, context: context)
            return
        }
        if let status = reply.status {
            let message = ChunkWriter.escape(reply.text)
            sendJSON(status: HTTPResponseStatus(statusCode: status), #"{"error":{"message":"\#(message)","type":"scripted"}}"#, head: head, context: context)
            return
        }
        let writer = ChunkWriter(request: request, reply: reply)
        let start = NIODeadline.now()
        let loop = context.eventLoop.assumeIsolated()
        let keepAlive = head.isKeepAlive
        if !request.stream {
            let delay = reply.ttftMs + Double(max(0, writer.pieces.count - 1)) * reply.chunkDelayMs
            loop.scheduleTask(deadline: start + .milliseconds(delay)) {
                self.sendJSON(status: .ok, writer.wholeResponse(), head: head, context: context)
            }
            return
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/event-stream")
        headers.add(name: "Cache-Control", value: "no-cache")
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil)
        // The role chunk goes at once; it carries no content and must not count as the first token.
        write(writer.roleChunk(), context: context)
        for (index, event) in writer.contentEvents().enumerated() {
            let at = start + .milliseconds(reply.ttftMs + Double(index) * reply.chunkDelayMs)
            loop.scheduleTask(deadline: at) {
                self.write(event, context: context)
            }
        }
        let end = start + .milliseconds(reply.ttftMs + Double(max(0, writer.pieces.count - 1)) * reply.chunkDelayMs)
        loop.scheduleTask(deadline: end) {
            switch reply.fault {
            case .cutStream:
                break  // the body ends cleanly, but without the finish chunk and [DONE]
            case .malformedChunk:
                self.write("data: {\"choices\": [{\"delta\": {\"content\": \"x\"}\n\n", context: context)
                self.write(writer.closingEvents(), context: context)
            default:
                self.write(writer.closingEvents(), context: context)
            }
            context.writeAndFlush(self.wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                if !keepAlive { context.close(promise: nil) }
            }
        }
    }

    private func write(_ text: String, context: ChannelHandlerContext) {
        guard context.channel.isActive, !text.isEmpty else { return }
        let buffer = context.channel.allocator.buffer(string: text)
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
    }

    private func sendJSON(status: HTTPResponseStatus, _ json: String, head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        let buffer = context.channel.allocator.buffer(string: json)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(buffer.readableBytes))
        if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let keepAlive = head.isKeepAlive
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            if !keepAlive { context.close(promise: nil) }
        }
    }
}

extension TimeAmount {
    static func milliseconds(_ value: Double) -> TimeAmount {
        .nanoseconds(Int64(value * 1_000_000))
    }
}
