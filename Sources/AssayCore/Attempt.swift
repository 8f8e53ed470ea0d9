import Foundation

/// One request sent for a work item: what an SLA counts. Retries hide failures from the
/// item's result (an item answered on its third attempt is a success); the attempts do not.
public struct Attempt: Sendable, Hashable, Codable {
    /// The endpoint (catalog name) and the base URL (region) the attempt went to; nil when it
    /// failed before a URL was chosen.
    public var endpoint: String
    public var baseURL: String?
    /// The HTTP status answered; nil when none was (a refused connection, a timeout before the
    /// headers). A stream cut short after a 200 keeps 200 and has an error kind.
    public var status: Int?
    /// Nil for an attempt that got a whole answer.
    public var errorKind: ErrorKind?
    /// From sending to the answer's end (or the failure), in milliseconds.
    public var latencyMs: Double
    public var sentAt: Date

    public init(
        endpoint: String, baseURL: String?, status: Int?, errorKind: ErrorKind?, latencyMs: Double, sentAt: Date
    ) {
        self.endpoint = endpoint
        self.baseURL = baseURL
        self.status = status
        self.errorKind = errorKind
        self.latencyMs = latencyMs
        self.sentAt = sentAt
    }

    public var succeeded: Bool { errorKind == nil }
}

/// An attempt with the work item it was made for, as the store keeps it.
public struct AttemptRow: Sendable, Hashable {
    public var runID: String
    public var key: WorkKey
    /// 1 for the item's first attempt in its session (a resumed item counts again from 1).
    public var number: Int
    public var attempt: Attempt

    public init(runID: String, key: WorkKey, number: Int, attempt: Attempt) {
        self.runID = runID
        self.key = key
        self.number = number
        self.attempt = attempt
    }
}
