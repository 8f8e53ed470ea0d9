extension TestScript {
    /// The server degrades with load, as a real one does: past `capacity` chat requests in
    /// flight (received, and not yet answered to the last byte), each request that arrives
    /// waits longer for its first token, and its tokens come slower, by so much per request
    /// over; past `errorOver`, it is refused (503 with Retry-After). A sweep of rates or
    /// concurrencies then has a knee to find, at a place a test knows.
    ///
    /// A request that arrives with N already in flight is the (N + 1)th: over capacity by
    /// N + 1 - capacity. Its slowdown is fixed when it arrives.
    public struct Load: Sendable, Codable, Hashable {
        /// Requests in flight answered at full speed; nil slows none.
        public var capacity: Int?
        /// Milliseconds added to the time to first token per request in flight over capacity.
        public var ttftMsPerRequestOver: Double
        /// Milliseconds added between chunks per request in flight over capacity.
        public var chunkDelayMsPerRequestOver: Double
        /// Refuse a request that would make more than this many in flight; nil refuses none.
        public var errorOver: Int?
        /// The status a refused request gets.
        public var errorStatus: Int
        /// The Retry-After a refused request gets, in seconds.
        public var retryAfterSeconds: Double

        public init(
            capacity: Int? = nil, ttftMsPerRequestOver: Double = 0, chunkDelayMsPerRequestOver: Double = 0,
            errorOver: Int? = nil, errorStatus: Int = 503, retryAfterSeconds: Double = 1
        ) {
            self.capacity = capacity
            self.ttftMsPerRequestOver = ttftMsPerRequestOver
            self.chunkDelayMsPerRequestOver = chunkDelayMsPerRequestOver
            self.errorOver = errorOver
            self.errorStatus = errorStatus
            self.retryAfterSeconds = retryAfterSeconds
        }

        enum CodingKeys: String, CodingKey {
            case capacity
            case ttftMsPerRequestOver = "ttft_ms_per_request_over"
            case chunkDelayMsPerRequestOver = "chunk_delay_ms_per_request_over"
            case errorOver = "error_over"
            case errorStatus = "error_status"
            case retryAfterSeconds = "retry_after_seconds"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                capacity: try container.decodeIfPresent(Int.self, forKey: .capacity),
                ttftMsPerRequestOver: try container.decodeIfPresent(Double.self, forKey: .ttftMsPerRequestOver) ?? 0,
                chunkDelayMsPerRequestOver: try container.decodeIfPresent(
                    Double.self, forKey: .chunkDelayMsPerRequestOver) ?? 0,
                errorOver: try container.decodeIfPresent(Int.self, forKey: .errorOver),
                errorStatus: try container.decodeIfPresent(Int.self, forKey: .errorStatus) ?? 503,
                retryAfterSeconds: try container.decodeIfPresent(Double.self, forKey: .retryAfterSeconds) ?? 1)
            if let problem {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: problem))
            }
        }

        /// What is wrong with these numbers, or nil.
        public var problem: String? {
            if let capacity, capacity < 0 { return "capacity must be 0 or more" }
            if let errorOver, errorOver < 0 { return "error_over must be 0 or more" }
            for (name, value) in [
                ("ttft_ms_per_request_over", ttftMsPerRequestOver),
                ("chunk_delay_ms_per_request_over", chunkDelayMsPerRequestOver),
            ] where !(value >= 0 && value <= 3_600_000) {
                return "\(name) must be 0 to 3600000 ms"
            }
            if capacity == nil && (ttftMsPerRequestOver > 0 || chunkDelayMsPerRequestOver > 0) {
                return "a slowdown per request over capacity needs a capacity"
            }
            if !(400...599).contains(errorStatus) { return "error_status must be an HTTP error status (400 to 599)" }
            if !(retryAfterSeconds >= 0 && retryAfterSeconds <= 86_400) {
                return "retry_after_seconds must be 0 to 86400"
            }
            return nil
        }

        /// What the load does to a chat request that arrives with `alreadyInFlight` others
        /// being answered.
        public func effect(alreadyInFlight: Int) -> LoadEffect {
            let position = alreadyInFlight + 1
            let over = Double(max(0, position - (capacity ?? Int.max)))
            return LoadEffect(
                alreadyInFlight: alreadyInFlight, addedTTFTMs: over * ttftMsPerRequestOver,
                addedChunkDelayMs: over * chunkDelayMsPerRequestOver,
                refused: errorOver.map { position > $0 } ?? false)
        }
    }

    /// What the server's load did to one chat request.
    public struct LoadEffect: Sendable, Hashable {
        /// Chat requests being answered when it arrived.
        public var alreadyInFlight: Int
        /// Added to its time to first token, and between its chunks, in milliseconds.
        public var addedTTFTMs: Double
        public var addedChunkDelayMs: Double
        /// Answered with the load's error status instead.
        public var refused: Bool

        public init(alreadyInFlight: Int, addedTTFTMs: Double, addedChunkDelayMs: Double, refused: Bool) {
            self.alreadyInFlight = alreadyInFlight
            self.addedTTFTMs = addedTTFTMs
            self.addedChunkDelayMs = addedChunkDelayMs
            self.refused = refused
        }
    }
}
