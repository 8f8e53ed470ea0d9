import AssayCore

/// A run's attempts counted as SLAs count them: every request sent, retries included, per
/// model and per base URL (region). An item answered on its third attempt is one success
/// in the scores and two failures here; availability is the share of attempts that got a
/// whole answer ("99.97% of requests succeed").
public struct AttemptSummary: Sendable {
    public var models: [Group]
    /// Per endpoint and base URL, with the latency each region answered in.
    public var baseURLs: [Group]

    public static let empty = AttemptSummary(models: [], baseURLs: [])

    public init(models: [Group], baseURLs: [Group]) {
        self.models = models
        self.baseURLs = baseURLs
    }

    public var isEmpty: Bool { models.isEmpty }

    /// One model's, or one base URL's, attempts.
    public struct Group: Sendable, Hashable {
        /// The model id, or "endpoint base-url".
        public var name: String
        public var endpoint: String?
        public var baseURL: String?
        public var tally: AttemptTally
    }

    public func model(_ id: String) -> AttemptTally? { models.first { $0.name == id }?.tally }

    /// Folds attempts, in any order, into the summary.
    public struct Accumulator {
        var models: [String: AttemptTally.Builder] = [:]
        var baseURLs: [String: (endpoint: String, url: String?, builder: AttemptTally.Builder)] = [:]

        public init() {}

        public mutating func add(_ row: AttemptRow) {
            models[row.key.model, default: AttemptTally.Builder()].add(row.attempt)
            let url = row.attempt.baseURL
            let name = row.attempt.endpoint + " " + (url ?? "(no URL)")
            baseURLs[name, default: (row.attempt.endpoint, url, AttemptTally.Builder())].builder.add(row.attempt)
        }

        /// Models in `order` first (a run's order), others after them by name.
        public func summary(order: [String] = []) -> AttemptSummary {
            let names = order.filter { models[$0] != nil } + models.keys.filter { !order.contains($0) }.sorted()
            return AttemptSummary(
                models: names.compactMap { name in models[name].map { Group(name: name, tally: $0.result) } },
                baseURLs: baseURLs.keys.sorted().compactMap { name in
                    baseURLs[name].map {
                        Group(name: name, endpoint: $0.endpoint, baseURL: $0.url, tally: $0.builder.result)
                    }
                })
        }
    }
}

/// Attempts and how they ended: succeeded, or failed by class (429, 5xx, timeout,
/// connection, other), with the latency of those that succeeded.
public struct AttemptTally: Sendable, Hashable {
    public var attempts = 0
    public var succeeded = 0
    public var rateLimited = 0
    /// Any 5xx status.
    public var server = 0
    public var timeouts = 0
    public var connection = 0
    /// Other statuses (400, 404, ...), broken streams and undecodable bodies.
    public var other = 0
    /// Of the attempts that succeeded.
    public var latency: LatencyStats = .empty

    public init() {}

    /// The share of attempts that got a whole answer.
    public var availability: Double? { attempts > 0 ? Double(succeeded) / Double(attempts) : nil }

    public func share(_ count: Int) -> Double { attempts > 0 ? Double(count) / Double(attempts) : 0 }

    struct Builder {
        private var tally = AttemptTally()
        private var recorder = LatencyRecorder()

        mutating func add(_ attempt: Attempt) {
            tally.attempts += 1
            switch attempt.errorKind {
            case nil:
                tally.succeeded += 1
                recorder.record(milliseconds: attempt.latencyMs)
            case .rateLimited: tally.rateLimited += 1
            case .server: tally.server += 1
            case .timeout: tally.timeouts += 1
            case .connection: tally.connection += 1
            default: tally.other += 1
            }
        }

        var result: AttemptTally {
            var tally = self.tally
            tally.latency = recorder.stats
            return tally
        }
    }
}
