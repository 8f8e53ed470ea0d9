import AssayCore

/// What a run reports as it goes, for progress displays.
public enum RunEvent: Sendable {
    /// The run has `totals` work items per model, `completed` of them already done (a resumed run).
    case started(runID: String, totals: [String: Int], completed: [String: Int])
    /// A result was stored (a model's item, or a fallback's answer: `fallbackFor` set).
    case finished(ItemResult)
    /// The spending cap stopped the run: no new request was sent past this point.
    case budgetStopped(spent: Double, cap: Double)
    /// An endpoint's request rate was set by a 429 (`adaptive`) or its rate-limit headers:
    /// requests to it now go at most `perSecond`.
    case throttled(endpoint: String, perSecond: Double, source: EndpointTraffic.LimitSource)
}
