import AssayCore
import Foundation

/// A request as it goes on the wire: its body encoded once, when its item is prepared, and
/// sent as is by every attempt (base64 images and all), with the hash that names it in the
/// response cache.
///
/// When a case's prompt has a part kept on disk (`file`, a long-context haystack), `body`
/// holds the file's marker in its place and the file's text is read only while an attempt
/// sends it (`BodyReader`); `hash` is over the bytes sent, the same as for the body in full.
public struct PreparedRequest: Sendable {
    public let request: ChatRequest
    /// The JSON body, exactly as sent; with `file`'s marker in place of its text when there is one.
    public let body: String
    /// The part of the prompt read from disk when the body is sent; nil when the body is whole.
    public let file: PromptFile?
    /// The response cache's key for this request ("" when nothing caches it).
    public private(set) var hash: String = ""
    /// The names the request's functions go out under and come back by: worked out once, for
    /// the body and for reading the answer's calls.
    public let toolNames: ToolNames

    /// `hash` is given the request with its body as prepared; for a file's request, it reads
    /// the body's bytes through `BodyReader`. `responseFormat`: the request's
    /// `response_format` written already (`ChatWireFormat.encodedResponseFormat`), when its
    /// suite's is the one sent.
    public init(
        _ request: ChatRequest, file: PromptFile? = nil, responseFormat: String? = nil,
        hash: (PreparedRequest) -> String = { _ in "" }
    ) {
        self.request = request
        toolNames = request.toolNames
        let body = ChatWireFormat.encodedBody(request, names: toolNames, responseFormat: responseFormat)
        self.body = body
        // A marker the encoder did not keep as it is (never expected) leaves the body whole.
        self.file = file.flatMap { body.contains(Self.escapedMarker($0)) ? $0 : nil }
        self.hash = hash(self)
    }

    /// The number of bytes sent.
    public var bodyLength: Int {
        guard let file else { return body.utf8.count }
        return body.utf8.count - Self.escapedMarker(file).utf8.count + file.escapedBytes
    }

    /// The marker as it is written in the JSON body.
    static func escapedMarker(_ file: PromptFile) -> String {
        String(decoding: PromptFile.escapedUTF8(file.marker), as: UTF8.self)
    }

    /// The body's bytes in order, a piece at a time: the JSON before the marker, the file's
    /// text escaped, the JSON after it. One reader per attempt; the file is opened anew.
    public final class BodyReader: @unchecked Sendable {
        private var before: [UInt8]?
        private var after: [UInt8]?
        private let file: PromptFile.Reader?

        public init(_ prepared: PreparedRequest) throws(InputError) {
            guard let file = prepared.file,
                let range = prepared.body.range(of: PreparedRequest.escapedMarker(file))
            else {
                before = Array(prepared.body.utf8)
                self.file = nil
                return
            }
            before = Array(prepared.body[..<range.lowerBound].utf8)
            after = Array(prepared.body[range.upperBound...].utf8)
            self.file = try PromptFile.Reader(file)
        }

        /// The next piece of the body; nil once it has all been given.
        public func next() throws(InputError) -> [UInt8]? {
            if let piece = before {
                before = nil
                return piece
            }
            if let file, let piece = try file.next() { return piece }
            defer { after = nil }
            return after
        }
    }
}
