import AssayCore

/// A request as it goes on the wire: its body encoded once, when its item is prepared, and
/// sent as is by every attempt (base64 images and all), with the hash that names it in the
/// response cache.
public struct PreparedRequest: Sendable {
    public let request: ChatRequest
    /// The JSON body, exactly as sent.
    public let body: String
    /// The response cache's key for this request ("" when nothing caches it).
    public let hash: String

    public init(_ request: ChatRequest, hash: (String) -> String = { _ in "" }) {
        self.request = request
        self.body = ChatWireFormat.body(request).compactJSON
        self.hash = hash(body)
    }
}
