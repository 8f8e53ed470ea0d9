/// Cases that share a haystack (the `haystack:` tag that `assay generate long-context` writes)
/// are held until the first of them, for the same model, has been answered: a vendor's prompt
/// cache holds a prefix once a request with it has been processed, and the others sent at the
/// same moment would each pay for the whole prompt. The first goes at once; the rest wait for
/// its answer (or its failure), then go together. Items with no such tag never wait, and nor
/// does an open-loop run (`--rate`), whose schedule is the point.
actor PrefixWarmup {
    private enum State {
        case warming([CheckedContinuation<Void, Never>])
        case warm
    }

    private var states: [String: State] = [:]

    /// The tag that names a shared haystack.
    static let tag = "haystack:"

    /// The key of a case's shared prefix for a model; nil when the case shares none.
    static func key(suite: String, model: String, tags: [String]) -> String? {
        guard let haystack = tags.first(where: { $0.hasPrefix(tag) }) else { return nil }
        return "\(suite)\u{0}\(model)\u{0}\(haystack)"
    }

    /// Waits while another item of `key` warms the cache; true when the caller is the first,
    /// which must call `warmed(key)` once answered.
    func enter(_ key: String) async -> Bool {
        switch states[key] {
        case nil:
            states[key] = .warming([])
            return true
        case .warm:
            return false
        case .warming(let waiting):
            await withCheckedContinuation { continuation in
                states[key] = .warming(waiting + [continuation])
            }
            return false
        }
    }

    /// The first item of `key` has its answer: the others go.
    func warmed(_ key: String) {
        if case .warming(let waiting) = states[key] {
            for continuation in waiting { continuation.resume() }
        }
        states[key] = .warm
    }
}
