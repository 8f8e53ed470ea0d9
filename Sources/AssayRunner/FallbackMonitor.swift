import AssayCore

/// Watches each primary model's recent requests and says when its items should go to its
/// fallback: while its error rate or p99 latency over the last `window` requests is past
/// the rule's threshold.
actor FallbackMonitor {
    let rules: [String: FallbackRule]
    private var windows: [String: [(failed: Bool, latencyMs: Double?)]] = [:]

    init(rules: [String: FallbackRule]) {
        self.rules = rules
    }

    func record(_ model: String, failed: Bool, latencyMs: Double?) {
        guard let rule = rules[model] else { return }
        var window = windows[model, default: []]
        window.append((failed, latencyMs))
        if window.count > rule.window { window.removeFirst(window.count - rule.window) }
        windows[model] = window
    }

    /// Why `model`'s next item should go to its fallback, or nil when it should not.
    func routeReason(_ model: String) -> String? {
        guard let rule = rules[model], let window = windows[model], window.count >= min(10, rule.window) else { return nil }
        if let limit = rule.errorRate {
            let rate = Double(window.filter(\.failed).count) / Double(window.count)
            if rate > limit { return "error rate \(Int((rate * 100).rounded()))% over the last \(window.count) requests" }
        }
        if let limit = rule.p99Ms {
            let latencies = window.compactMap(\.latencyMs).sorted()
            if !latencies.isEmpty {
                let p99 = latencies[min(latencies.count - 1, Int((Double(latencies.count) * 0.99).rounded(.up)) - 1)]
                if p99 > limit { return "p99 \(Int(p99)) ms over the last \(window.count) requests" }
            }
        }
        return nil
    }
}
