import AssayAnalysis
import AssayCore

/// `comparison.json`: a comparison (and the gate's verdicts, when a gate judged it) for
/// machines.
///
/// Schema `assay.comparison/1` (docs/ARCHITECTURE.md documents it). Keys are snake_case
/// and sorted; numbers that could not be measured are `null`. Scores and differences are
/// fractions (0.05 is five points).
public enum ComparisonJSON {
    public static let schema = "assay.comparison/1"

    public static func render(_ comparison: Comparison, verdicts: [Gate.Verdict]? = nil, routes: [RouteSimulation] = [])
        -> String
    {
        document(comparison, verdicts: verdicts, routes: routes).prettyJSON
    }

    public static func document(_ comparison: Comparison, verdicts: [Gate.Verdict]?, routes: [RouteSimulation])
        -> JSONValue
    {
        var object: [String: JSONValue] = [
            "schema": .string(schema),
            "base": .string(comparison.base),
            "candidate": .string(comparison.candidate),
            "paired_items": .int(comparison.overall.n),
            "only_in_base": .int(comparison.onlyInBase),
            "only_in_candidate": .int(comparison.onlyInCandidate),
            "overall": suite(comparison.overall, items: false),
            "suites": .array(comparison.suites.map { suite($0, items: true) }),
            "base_stats": side(comparison.baseStats),
            "candidate_stats": side(comparison.candidateStats),
            "changes": [
                "cost_percent": number(comparison.costChangePercent),
                "correct_per_dollar": number(
                    difference(comparison.candidateStats.correctPerDollar, comparison.baseStats.correctPerDollar)),
                "p50_ms": number(
                    difference(comparison.candidateStats.latency.p50Ms, comparison.baseStats.latency.p50Ms)),
                "p99_ms": number(
                    difference(comparison.candidateStats.latency.p99Ms, comparison.baseStats.latency.p99Ms)),
            ],
        ]
        if let (base, candidate) = comparison.weighted {
            object["weighted"] = ["base": RouteReport.weighted(base), "candidate": RouteReport.weighted(candidate)]
        }
        if let verdicts {
            object["gate"] = [
                "passed": .bool(verdicts.allSatisfy(\.passed)),
                "rules": .array(
                    verdicts.map {
                        ["rule": .string($0.rule), "passed": .bool($0.passed), "detail": .string($0.detail)]
                    }),
            ]
        }
        if !routes.isEmpty {
            object["routes"] = .array(routes.map(RouteReport.document))
        }
        return .object(object)
    }

    static func suite(_ suite: SuiteComparison, items: Bool) -> JSONValue {
        var object: [String: JSONValue] = [
            "suite": .string(suite.suite),
            "n": .int(suite.n),
            "base_score": .double(suite.baseScore),
            "candidate_score": .double(suite.candidateScore),
            "difference": .double(suite.difference),
            "interval_95": suite.interval.map { ["lower": .double($0.lower), "upper": .double($0.upper)] } ?? .null,
            "fixed": .int(suite.fixed),
            "broken": .int(suite.broken),
            "both_right": .int(suite.bothRight),
            "both_wrong": .int(suite.bothWrong),
            "mcnemar_p": .double(suite.mcnemarP),
        ]
        if items {
            object["broken_items"] = .array(suite.brokenItems.map(pair))
            object["fixed_items"] = .array(suite.fixedItems.map(pair))
        }
        return .object(object)
    }

    static func pair(_ pair: (base: ItemRecord, candidate: ItemRecord)) -> JSONValue {
        func answer(_ record: ItemRecord) -> JSONValue {
            [
                "status": .string(record.status.rawValue),
                "outcome": record.outcome.map { .string($0.rawValue) } ?? .null,
                "answer": record.output.map(JSONValue.string) ?? .null,
                "extracted": record.extracted.map(JSONValue.string) ?? .null,
                "error": record.error.map(JSONValue.string) ?? .null,
            ]
        }
        return [
            "case": .string(pair.base.caseID),
            "epoch": .int(pair.base.epoch),
            "expected": (pair.base.expected ?? pair.candidate.expected).map(JSONValue.string) ?? .null,
            "base": answer(pair.base),
            "candidate": answer(pair.candidate),
        ]
    }

    static func side(_ stats: SideStats) -> JSONValue {
        [
            "n": .int(stats.n),
            "score": number(stats.score),
            "correct": .int(stats.correct),
            "cost": .double(stats.cost),
            "cost_output_only": .bool(stats.outputOnly),
            "unknown_cost_items": .int(stats.unknownCost),
            "correct_per_dollar": number(stats.correctPerDollar),
            "errors": .int(stats.errors),
            "error_rate": number(stats.errorRate),
            "latency_ms": SummaryJSON.latency(stats.latency),
        ]
    }

    static func number(_ value: Double?) -> JSONValue {
        guard let value, value.isFinite else { return .null }
        return .double(value)
    }

    static func difference(_ a: Double?, _ b: Double?) -> Double? {
        guard let a, let b else { return nil }
        return a - b
    }
}
