/// A stretch of a model's traffic that goes wrong on cue: its Nth to Mth chat requests (in
/// the order the server received them, counted per model) are slow, or fail. What a latency
/// spike or an error burst looks like to a router, placed exactly, so that a test can say by
/// hand where a windowed failover must fire.
public struct TestEpisode: Sendable, Codable, Hashable {
    /// The model whose requests count; nil counts every request.
    public var model: String?
    /// The first and last request of the episode, 1-based, inclusive.
    public var fromRequest: Int
    public var toRequest: Int
    /// Answer these with this HTTP status (an error burst).
    public var status: Int?
    /// Wait this long before the first token (a latency spike).
    public var ttftMs: Double?

    public init(model: String? = nil, requests: ClosedRange<Int>, status: Int? = nil, ttftMs: Double? = nil) {
        self.model = model
        self.fromRequest = requests.lowerBound
        self.toRequest = requests.upperBound
        self.status = status
        self.ttftMs = ttftMs
    }

    enum CodingKeys: String, CodingKey {
        case model, status
        case fromRequest = "from_request"
        case toRequest = "to_request"
        case ttftMs = "ttft_ms"
    }

    /// `reply` as the episode changes it, when the request (the `number`th of its model, or of
    /// all) falls in it.
    func apply(to reply: inout TestScript.Reply, model: String, number: Int) -> Bool {
        guard self.model == nil || self.model == model, (fromRequest...max(fromRequest, toRequest)).contains(number)
        else { return false }
        if let status { reply.status = status }
        if let ttftMs { reply.ttftMs = ttftMs }
        return true
    }
}
