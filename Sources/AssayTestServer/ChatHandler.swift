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
    /// A chat request is being answered on this connection.
    private var answering = false

    /// A chat request is being answered; returns how many others already were (counted
    /// under the one lock, so two arriving at once see different counts).
    private func began() -> Int {
        answering = true
        return state.inFlight.withLock { counts in
            defer {
                counts.now += 1
                counts.most = max(counts.most, counts.now)
            }
            return counts.now
        }
    }

    private func ended() {
        guard answering else { return }
        answering = false
        state.inFlight.withLock { $0.now -= 1 }
    }

    func channelInactive(context: ChannelHandlerContext) {
        ended()
        context.fireChannelInactive()
    }

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
        switch (head.method, path) {
        case (.POST, "/v1/chat/completions"), (.POST, "/chat/completions"):
            state.requestCount.add(1, ordering: .relaxed)
            let alreadyInFlight = began()
            chat(head: head, path: path, body: body, alreadyInFlight: alreadyInFlight, context: context)
        case (.GET, "/v1/models"), (.GET, "/models"):
            keep(head, path: path, body: body, fault: nil)
            sendJSON(
                status: .ok, #"{"object":"list","data":[{"id":"assay-test","object":"model"}]}"#, head: head,
                context: context)
        default:
            keep(head, path: path, body: body, fault: nil)
            sendJSON(
                status: .notFound,
                #"{"error":{"message":"no route for \#(head.method.rawValue) \#(path)","type":"not_found"}}"#,
                head: head, context: context)
        }
    }

    private func keep(
        _ head: HTTPRequestHead, path: String, body: String, fault: TestScript.Fault?,
        load: TestScript.LoadEffect? = nil
    ) {
        guard state.keepRequests else { return }
        let request = TestServer.ReceivedRequest(
            method: head.method.rawValue, path: path, headers: head.headers.map { ($0.name, $0.value) }, body: body,
            receivedAt: .now, fault: fault, load: load)
        state.received.withLock { $0.append(request) }
    }

    private func chat(
        head: HTTPRequestHead, path: String, body: String, alreadyInFlight: Int, context: ChannelHandlerContext
    ) {
        guard let request = ParsedChatRequest(json: body) else {
            keep(head, path: path, body: body, fault: nil)
            sendJSON(
                status: .badRequest,
                #"{"error":{"message":"the body is not a chat-completions request","type":"invalid_request_error"}}"#,
                head: head, context: context)
            return
        }
        var (reply, fault) = state.reply(for: request)
        let scriptLoad = state.script.withLock(\.load)
        let load = scriptLoad?.effect(alreadyInFlight: alreadyInFlight)
        keep(head, path: path, body: body, fault: fault, load: load)
        guard var limitHeaders = admit(request, reply: reply, head: head, context: context) else { return }
        if let scriptLoad, load?.refused == true {
            refuse(as: scriptLoad, alreadyInFlight: alreadyInFlight, head: head, context: context)
            return
        }
        if answeredAsScripted(fault: fault, reply: &reply, head: head, context: context) { return }
        if let load {
            reply.ttftMs += load.addedTTFTMs
            reply.chunkDelayMs += load.addedChunkDelayMs
        }
        limitHeaders += reply.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let writer = ChunkWriter(request: request, reply: reply)
        if fault == .reset {
            reset(head: head, writer: writer, context: context)
            return
        }
        let start = NIODeadline.now()
        if !request.stream {
            let delay = reply.ttftMs + Double(max(0, writer.pacedCount - 1)) * reply.chunkDelayMs
            context.eventLoop.assumeIsolated().scheduleTask(deadline: start + .milliseconds(delay)) {
                self.sendJSON(
                    status: .ok, writer.wholeResponse(), head: head, context: context, extraHeaders: limitHeaders)
            }
            return
        }
        stream(
            writer, reply: reply, fault: fault, start: start, limitHeaders: limitHeaders, head: head, context: context)
    }

    /// The rate-limit headers to send, after the server's limits admit the request; nil when
    /// they refused it (answered 429 here).
    private func admit(
        _ request: ParsedChatRequest, reply: TestScript.Reply, head: HTTPRequestHead, context: ChannelHandlerContext
    ) -> [(String, String)]? {
        guard let decision = state.admit(cost: ChunkWriter(request: request, reply: reply).usage.total) else {
            return []
        }
        guard decision.allowed else {
            sendJSON(
                status: .tooManyRequests, #"{"error":{"message":"rate limit reached","type":"rate_limit_exceeded"}}"#,
                head: head,
                context: context, extraHeaders: decision.headers)
            return nil
        }
        return decision.headers
    }

    /// Refuses a request the script's load has no room for: its error status (503) with
    /// Retry-After, as an overloaded server or its load balancer answers.
    private func refuse(
        as load: TestScript.Load, alreadyInFlight: Int, head: HTTPRequestHead, context: ChannelHandlerContext
    ) {
        state.overloaded.add(1, ordering: .relaxed)
        let seconds = load.retryAfterSeconds
        sendJSON(
            status: HTTPResponseStatus(statusCode: load.errorStatus),
            #"{"error":{"message":"overloaded: \#(alreadyInFlight) requests in flight","type":"overloaded"}}"#,
            head: head, context: context, extraHeaders: [("Retry-After", String(format: "%g", seconds))])
    }

    /// Answers a scripted fault or error status; true when that settled the request (a hang
    /// settles it by never answering). A slow trickle only slows `reply` down.
    private func answeredAsScripted(
        fault: TestScript.Fault?, reply: inout TestScript.Reply, head: HTTPRequestHead, context: ChannelHandlerContext
    ) -> Bool {
        switch fault {
        case .rateLimited?, .unavailable?:
            let seconds = state.script.withLock { $0.faults?.retryAfterSeconds ?? 1 }
            let status: HTTPResponseStatus = fault == .rateLimited ? .tooManyRequests : .serviceUnavailable
            sendJSON(
                status: status, #"{"error":{"message":"scripted \#(status.code)","type":"scripted"}}"#, head: head,
                context: context,
                extraHeaders: [("Retry-After", String(format: "%g", seconds))])
            return true
        case .internalError?, .badGateway?:
            let status: HTTPResponseStatus = fault == .internalError ? .internalServerError : .badGateway
            sendJSON(
                status: status, #"{"error":{"message":"scripted \#(status.code)","type":"scripted"}}"#, head: head,
                context: context)
            return true
        case .hang?:
            return true  // never answers; the client's timeouts act
        case .slowTrickle?:
            reply.chunkDelayMs = max(reply.chunkDelayMs, 100)
        default:
            break
        }
        if fault == .echoAuthorization {
            let header = ChunkWriter.escape(head.headers.first(name: "authorization") ?? "none")
            sendJSON(
                status: .badRequest,
                #"{"error":{"message":"bad request; you sent Authorization: \#(header)","type":"invalid_request_error"}}"#,
                head: head, context: context)
            return true
        }
        if let status = reply.status {
            let message = ChunkWriter.escape(reply.text)
            sendJSON(
                status: HTTPResponseStatus(statusCode: status),
                #"{"error":{"message":"\#(message)","type":"scripted"}}"#, head: head, context: context)
            return true
        }
        return false
    }

    /// Streams the reply as server-sent events: in one write when nothing is paced, else each
    /// event at its time after `start`, ending as `fault` says.
    private func stream(
        _ writer: ChunkWriter, reply: TestScript.Reply, fault: TestScript.Fault?, start: NIODeadline,
        limitHeaders: [(String, String)],
        head: HTTPRequestHead, context: ChannelHandlerContext
    ) {
        let keepAlive = head.isKeepAlive
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/event-stream")
        headers.add(name: "Cache-Control", value: "no-cache")
        for (name, value) in limitHeaders { headers.add(name: name, value: value) }
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        if reply.ttftMs == 0 && reply.chunkDelayMs == 0 && fault == nil {
            // Nothing to pace: the whole stream in one write, as a fast server sends it.
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))),
                promise: nil)
            let events = writer.roleChunk() + writer.pacedEvents().joined() + writer.closingEvents()
            context.write(
                wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: events)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                self.ended()
                if !keepAlive { context.close(promise: nil) }
            }
            return
        }
        let loop = context.eventLoop.assumeIsolated()
        context.writeAndFlush(
            wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil
        )
        // The role chunk goes at once; it carries no content and must not count as the first token.
        write(writer.roleChunk(), context: context)
        for (index, event) in writer.pacedEvents().enumerated() {
            let at = start + .milliseconds(reply.ttftMs + Double(index) * reply.chunkDelayMs)
            loop.scheduleTask(deadline: at) {
                self.write(event, context: context)
            }
        }
        let end = start + .milliseconds(reply.ttftMs + Double(max(0, writer.pacedCount - 1)) * reply.chunkDelayMs)
        loop.scheduleTask(deadline: end) {
            switch fault {
            case .cutStream:
                break  // the body ends cleanly, but without the finish chunk and [DONE]
            case .malformedChunk:
                self.write("data: {\"choices\": [{\"delta\": {\"content\": \"x\"}\n\n", context: context)
                self.write(writer.closingEvents(), context: context)
            default:
                self.write(writer.closingEvents(), context: context)
            }
            context.writeAndFlush(self.wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                self.ended()
                if !keepAlive { context.close(promise: nil) }
            }
        }
    }

    private func write(_ text: String, context: ChannelHandlerContext) {
        guard context.channel.isActive, !text.isEmpty else { return }
        let buffer = context.channel.allocator.buffer(string: text)
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
    }

    /// Sends the head and one chunk, then resets the connection (RST, not FIN).
    private func reset(head: HTTPRequestHead, writer: ChunkWriter, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/event-stream")
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil
        )
        write(writer.roleChunk(), context: context)
        let channel = context.channel
        context.flush()
        guard let socket = channel as? any SocketOptionProvider else {
            channel.close(promise: nil)
            return
        }
        socket.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    private func sendJSON(
        status: HTTPResponseStatus, _ json: String, head: HTTPRequestHead, context: ChannelHandlerContext,
        extraHeaders: [(String, String)] = []
    ) {
        guard context.channel.isActive else { return }
        let buffer = context.channel.allocator.buffer(string: json)
        var headers = HTTPHeaders()
        for (name, value) in extraHeaders { headers.add(name: name, value: value) }
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(buffer.readableBytes))
        if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
            promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let keepAlive = head.isKeepAlive
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            self.ended()
            if !keepAlive { context.close(promise: nil) }
        }
    }
}

extension TimeAmount {
    static func milliseconds(_ value: Double) -> TimeAmount {
        .nanoseconds(Int64(value * 1_000_000))
    }
}
