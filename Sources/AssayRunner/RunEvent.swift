import AssayCore

/// What a run reports as it goes, for progress displays.
public enum RunEvent: Sendable {
    /// The run has `total` work items for each model, `completed` of them already stored.
    case started(runID: String, totals: [String: Int])
    /// A work item ended (graded, failed or unsupported) and is stored.
    case finished(ItemResult)
}
