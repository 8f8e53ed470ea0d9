import AssayCore

/// Watches each primary model's recent requests and says when its items should go to its
/// fallback: while its error rate or p99 latency over the last `window` requests is past
/// the rule's threshold, once `min_requests` have been seen (`FailoverWindow`, which
/// `route simulate` applies to stored runs the same way).
actor FallbackMonitor {
    private var windows: [String: FailoverWindow]

    init(rules: [String: FallbackRule]) {
        windows = rules.mapValues { FailoverWindow(rule: $0.windowRule) }
    }

    func record(_ model: String, failed: Bool, latencyMs: Double?) {
        windows[model]?.record(failed: failed, latencyMs: latencyMs)
    }

    /// Why `model`'s next item should go to its fallback, or nil when it should not.
    func routeReason(_ model: String) -> String? {
        windows[model]?.reason
    }
}
