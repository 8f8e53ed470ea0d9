/// One worker's traffic in a run that workers shared (`RunManifest.workers`), and why it
/// stopped when it stopped on a failure of its own.
public struct WorkerTraffic: Sendable, Hashable, Codable {
    /// The worker's name in the queue (`host:pid:random`).
    public var worker: String
    public var traffic: [EndpointTraffic]
    /// The store error that stopped this worker (the others went on); nil when it ended normally.
    public var failure: String?

    public init(worker: String, traffic: [EndpointTraffic], failure: String? = nil) {
        self.worker = worker
        self.traffic = traffic
        self.failure = failure
    }
}

/// A worker of a shared run as it ends: its name, and the failure that stopped it, if one did.
public struct WorkerEnd: Sendable, Hashable {
    public var id: String
    public var failure: String?

    public init(id: String, failure: String? = nil) {
        self.id = id
        self.failure = failure
    }
}
