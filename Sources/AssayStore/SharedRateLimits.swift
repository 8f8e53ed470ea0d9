import AssayCore

/// An API key's rate limits shared by every worker that uses the key on the same store
/// (leased slices): each worker holds a slice, renewed every `SharedLimits.refresh`, and keeps
/// `1 / holders` of the key's limits; a worker that stops gives its slice back, one that dies
/// loses it when its lease runs out, and the others take up its share. What one worker learns
/// of the key's rate (an AIMD cut on 429s) is published beside its slice, and the freshest
/// such estimate is what every worker adopts.
///
/// A slice belongs to a key, not to a run: two runs on one store with the same key share it too.
public protocol SharedRateLimits: Sendable {
    /// Renews `holder`'s slice of the limits of `key` (a fingerprint of the key, never the
    /// key) for `lease`, publishing `learned` (the key's whole rate, per second, as `holder`
    /// estimates it) when `learnedChanged`; returns how the key is shared now.
    func shareLimits(key: String, holder: String, lease: Duration, learned: Double?, learnedChanged: Bool)
        async throws(StoreError) -> LimitShare
    /// Gives `holder`'s slice back.
    func leaveLimits(key: String, holder: String) async throws(StoreError)
}

/// How a key's limits are shared at one moment.
public struct LimitShare: Sendable, Hashable {
    /// Live holders, this one included.
    public var holders: Int
    /// The freshest estimate of the key's whole rate another holder published (per second),
    /// with who published it and when (the database's clock, seconds).
    public var learned: Learned?

    public struct Learned: Sendable, Hashable {
        public var holder: String
        public var perSecond: Double
        public var at: Double

        public init(holder: String, perSecond: Double, at: Double) {
            self.holder = holder
            self.perSecond = perSecond
            self.at = at
        }
    }

    public init(holders: Int, learned: Learned? = nil) {
        self.holders = holders
        self.learned = learned
    }
}
