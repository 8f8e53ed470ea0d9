/// One server-sent event: its `data` lines joined with "\n", and its type when named.
public struct SSEEvent: Sendable, Hashable {
    public var data: String
    public var event: String?

    public init(data: String, event: String? = nil) {
        self.data = data
        self.event = event
    }
}

/// An incremental parser for `text/event-stream` (the WHATWG server-sent events format).
///
/// Feed it bytes as they arrive, in chunks split anywhere (inside a line, between CR and LF,
/// inside a UTF-8 sequence); it returns the events completed so far. Lines end with LF,
/// CRLF or CR. Lines starting with `:` are comments. Several `data:` lines in one event are
/// joined with "\n". One space after the colon is dropped. An event is dispatched at a blank
/// line; `finish()` dispatches a last event that the stream did not end with a blank line
/// (servers that close right after `data: [DONE]\n` exist).
public struct SSEParser: Sendable {
    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var eventType: String?
    private var lastByteWasCR = false

    public init() {}

    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [SSEEvent] {
        var events: [SSEEvent] = []
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\n"):
                if lastByteWasCR {
                    lastByteWasCR = false  // the LF of a CRLF: the line already ended
                    continue
                }
                endLine(into: &events)
            case UInt8(ascii: "\r"):
                lastByteWasCR = true
                endLine(into: &events)
            default:
                lastByteWasCR = false
                line.append(byte)
            }
        }
        return events
    }

    /// Ends the stream: a pending line and event are dispatched.
    public mutating func finish() -> [SSEEvent] {
        var events: [SSEEvent] = []
        if !line.isEmpty { endLine(into: &events) }
        dispatch(into: &events)
        return events
    }

    private mutating func endLine(into events: inout [SSEEvent]) {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            dispatch(into: &events)
            return
        }
        if line[0] == UInt8(ascii: ":") { return }  // a comment, often a keep-alive
        let field: ArraySlice<UInt8>
        var value: ArraySlice<UInt8>
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            field = line[..<colon]
            value = line[(colon + 1)...]
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        } else {
            field = line[...]
            value = []
        }
        if field.elementsEqual("data".utf8) {
            if hasData { data.append(UInt8(ascii: "\n")) }
            data.append(contentsOf: value)
            hasData = true
        } else if field.elementsEqual("event".utf8) {
            eventType = String(decoding: value, as: UTF8.self)
        }
        // `id` and `retry` do not matter for a single request's stream; other fields are ignored.
    }

    private mutating func dispatch(into events: inout [SSEEvent]) {
        defer {
            data.removeAll(keepingCapacity: true)
            hasData = false
            eventType = nil
        }
        guard hasData else { return }
        events.append(SSEEvent(data: String(decoding: data, as: UTF8.self), event: eventType))
    }
}
