import Synchronization

/// Which base URL of an endpoint takes the next request.
///
/// Each base URL has a circuit breaker: after `threshold` failures in a row it opens, and
/// requests go to the next URL whose breaker is closed, in the catalog's order. After
/// `cooldown` an open breaker lets requests through again (half-open): a success
/// closes it, a failure opens it anew. When every breaker is open, the URL that opened
/// first is tried: a request is never refused for want of a URL.
///
/// Time is the caller's (`now`, on the continuous clock), so that tests can drive it.
public final class BaseURLSelector: Sendable {
    public let urls: [String]
    let threshold: Int
    let cooldown: Duration
    private let state: Mutex<(failures: [Int], openedAt: [ContinuousClock.Instant?])>

    public init(urls: [String], threshold: Int = 3, cooldown: Duration = .seconds(30)) {
        self.urls = urls
        self.threshold = max(1, threshold)
        self.cooldown = cooldown
        self.state = Mutex((Array(repeating: 0, count: urls.count), Array(repeating: nil, count: urls.count)))
    }

    /// The URL for the next request.
    public func next(now: ContinuousClock.Instant = .now) -> String? {
        guard !urls.isEmpty else { return nil }
        return state.withLock { state in
            var oldest: (index: Int, opened: ContinuousClock.Instant)?
            for (index, opened) in state.openedAt.enumerated() {
                guard let opened else { return urls[index] }
                if now - opened >= cooldown { return urls[index] }
                if oldest.map({ opened < $0.opened }) ?? true { oldest = (index, opened) }
            }
            // Every breaker is open.
            return urls[oldest?.index ?? 0]
        }
    }

    public func succeeded(_ url: String) {
        guard let index = urls.firstIndex(of: url) else { return }
        state.withLock { state in
            state.failures[index] = 0
            state.openedAt[index] = nil
        }
    }

    public func failed(_ url: String, now: ContinuousClock.Instant = .now) {
        guard let index = urls.firstIndex(of: url) else { return }
        state.withLock { state in
            state.failures[index] += 1
            if state.failures[index] >= threshold { state.openedAt[index] = now }
        }
    }

    /// Whether the breaker of `url` is open now.
    public func isOpen(_ url: String, now: ContinuousClock.Instant = .now) -> Bool {
        guard let index = urls.firstIndex(of: url) else { return false }
        return state.withLock { state in state.openedAt[index].map { now - $0 < cooldown } ?? false }
    }
}
