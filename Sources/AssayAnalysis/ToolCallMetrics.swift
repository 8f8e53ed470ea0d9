import AssayCore

/// A tools suite's numbers for one model: how its graded answers went wrong (the first
/// mismatch of each, by kind), how many calls it made, what a thousand answers cost, and the
/// time to its first call.
public struct ToolCallMetrics: Sendable, Hashable {
    /// Graded answers.
    public var items = 0
    public var passed = 0
    /// Failed and invalid answers by the kind of their first mismatch.
    public var mismatches: [ToolCallMismatch.Kind: Int] = [:]
    /// Calls made over all graded answers, and answers that made none.
    public var calls = 0
    public var answersWithoutCalls = 0
    /// Time to the first fragment of the first call (answers that streamed a call).
    public var firstCall = LatencyStats.empty

    /// BFCL's cost axis: the cost of a thousand answered cases at this run's mean; nil when
    /// nothing was paid for or the cost is unknown.
    public static func costPerThousand(_ spend: Spend, answered: Int) -> Double? {
        let paid = answered - spend.cached - spend.unknownCost
        guard paid > 0 else { return nil }
        return spend.cost / Double(paid) * 1000
    }

    struct Accumulator {
        var metrics = ToolCallMetrics()
        var firstCall = LatencyRecorder()

        mutating func add(_ result: ItemResult) {
            guard result.status == .graded, let grade = result.grade else { return }
            metrics.items += 1
            if grade.outcome == .pass { metrics.passed += 1 }
            if let mismatch = grade.toolCallMismatch { metrics.mismatches[mismatch.kind, default: 0] += 1 }
            let made = grade.toolCalls?.count ?? 0
            metrics.calls += made
            if made == 0 { metrics.answersWithoutCalls += 1 }
            if made > 0, !result.cached, let ttft = result.timing?.ttftMs { firstCall.record(milliseconds: ttft) }
        }

        var result: ToolCallMetrics? {
            guard metrics.items > 0 else { return nil }
            var final = metrics
            final.firstCall = firstCall.stats
            return final
        }
    }
}
