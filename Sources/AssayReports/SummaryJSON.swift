import AssayAnalysis
import AssayCore
import Foundation

/// `summary.json`: a run's headline numbers for machines (CI, dashboards).
///
/// Schema `assay.summary/1` (docs/ARCHITECTURE.md documents every field). Keys are
/// snake_case and sorted; numbers that could not be measured are `null`, never 0. New
/// fields may be added within a schema version; none is renamed or removed.
public enum SummaryJSON {
    public static let schema = "assay.summary/1"

    public static func render(_ summary: RunSummary) -> String {
        document(summary).prettyJSON
    }

    public static func document(_ summary: RunSummary) -> JSONValue {
        let document = fields(summary)
        // A shared run's workers, each with its own traffic (absent from other runs).
        guard let workers = summary.run.workers, !workers.isEmpty, case .object(var object) = document else {
            return document
        }
        object["workers"] = .array(
            workers.map { ["worker": .string($0.worker), "endpoints": .array($0.traffic.map(traffic))] })
        return .object(object)
    }

    private static func fields(_ summary: RunSummary) -> JSONValue {
        let run = summary.run
        return [
            "schema": .string(schema),
            "run": [
                "id": .string(run.id),
                "status": .string(run.status.rawValue),
                "plan": run.plan.map(JSONValue.string) ?? .null,
                "started_at": .string(timestamp(run.startedAt)),
                "ended_at": run.endedAt.map { .string(timestamp($0)) } ?? .null,
                "assay_version": .string(run.assayVersion),
                "git_commit": run.gitCommit.map(JSONValue.string) ?? .null,
                "sandbox": run.sandbox.map(JSONValue.string) ?? .null,
                "unsandboxed_code": .bool(run.ranCodeUnsandboxed),
                "epochs": .int(run.epochs),
                "concurrency": .int(run.concurrency),
                "models": .array(run.models.map(JSONValue.string)),
                "suites": .array(
                    run.suites.map {
                        [
                            "id": .string($0.id), "path": .string($0.path), "kind": .string($0.kind.rawValue),
                            "grader": .string($0.grader.rawValue), "cases": .int($0.cases),
                        ]
                    }),
            ],
            "models": .array(summary.models.map { model($0, onFrontier: summary.frontier.contains($0.model)) }),
            "rankings": [
                "by_score": .array(summary.rankings.byScore.map(JSONValue.string)),
                "by_quality_per_dollar": .array(summary.rankings.byQualityPerDollar.map(JSONValue.string)),
                "output_only": .array(summary.rankings.outputOnly.map(JSONValue.string)),
            ],
            "cost_assumption": run.costAssumption.map(JSONValue.string) ?? .null,
            "replayed": ReplayText.line(summary).map(JSONValue.string) ?? .null,
            "frontier": .array(summary.frontier.map(JSONValue.string)),
            "endpoints": .array((run.traffic ?? []).map(traffic)),
            "load": run.load.map(load) ?? .null,
            "attempts": [
                "models": .array(summary.attempts.models.map { attempts($0, key: "model") }),
                "base_urls": .array(summary.attempts.baseURLs.map { attempts($0, key: "base_url") }),
            ],
            "warnings": .array((run.traffic ?? []).compactMap(\.warning).map(JSONValue.string)),
            "truncation": .array(Truncation.lines(summary).map(JSONValue.string)),
            "frontier_by_suite": .object(
                Dictionary(
                    summary.run.suites.map {
                        ($0.id, JSONValue.array(summary.frontier(suite: $0.id).map(JSONValue.string)))
                    }, uniquingKeysWith: { first, _ in first })),
        ]
    }

    /// An open-loop load: the target, what was achieved, the lag behind the schedule.
    static func load(_ load: LoadReport) -> JSONValue {
        var object: [String: JSONValue] = [
            "rate_per_second": .double(load.profile.perSecond), "arrivals": .string(load.profile.arrivals.description),
            "scheduled": .int(load.scheduled), "started": .int(load.started), "span_seconds": .double(load.spanSeconds),
            "achieved_per_second": load.achievedPerSecond.map(JSONValue.double) ?? .null,
            "rate_error": load.rateError.map(JSONValue.double) ?? .null,
            "lag_p50_ms": .double(load.lagP50Ms), "lag_p99_ms": .double(load.lagP99Ms),
            "lag_max_ms": .double(load.lagMaxMs),
            "late": .int(load.late), "peak_in_flight": .int(load.peakInFlight),
        ]
        // Only for bursts, ramps and replays, whose schedule's rate is not the target.
        if let scheduled = load.scheduledPerSecond { object["scheduled_per_second"] = .double(scheduled) }
        return .object(object)
    }

    /// One model's or base URL's attempts before retries: how they ended, availability, and
    /// the latency of those that succeeded.
    static func attempts(_ group: AttemptSummary.Group, key: String) -> JSONValue {
        let tally = group.tally
        var object: [String: JSONValue] = [
            "attempts": .int(tally.attempts), "succeeded": .int(tally.succeeded),
            "availability": tally.availability.map(JSONValue.double) ?? .null,
            "rate_limited": .int(tally.rateLimited), "server_errors": .int(tally.server),
            "timeouts": .int(tally.timeouts),
            "connection_errors": .int(tally.connection), "other_errors": .int(tally.other),
            "latency_ms": latency(tally.latency),
        ]
        if let endpoint = group.endpoint {
            object["endpoint"] = .string(endpoint)
            object["base_url"] = group.baseURL.map(JSONValue.string) ?? .null
        } else {
            object[key] = .string(group.name)
        }
        return .object(object)
    }

    /// One endpoint's traffic: attempts, 429s, time held, achieved and settled rates.
    static func traffic(_ traffic: EndpointTraffic) -> JSONValue {
        [
            "endpoint": .string(traffic.endpoint),
            "attempts": .int(traffic.attempts),
            "rate_limited": .int(traffic.rateLimited),
            "rate_limited_share": .double(traffic.rateLimitedShare),
            "waited_seconds": .double(traffic.waitedSeconds),
            "active_seconds": .double(traffic.activeSeconds),
            "achieved_per_second": traffic.achievedPerSecond.map(JSONValue.double) ?? .null,
            "limit_per_second": traffic.limitPerSecond.map(JSONValue.double) ?? .null,
            "limit_source": traffic.limitSource.map { .string($0.rawValue) } ?? .null,
        ]
    }

    static func qualityPerDollar(_ value: QualityPerDollar) -> JSONValue {
        switch value {
        case .perDollar(let value): ["correct_per_dollar": .double(value), "free": false]
        case .free: ["correct_per_dollar": .null, "free": true]
        case .unknown: ["correct_per_dollar": .null, "free": false]
        }
    }

    static func model(_ model: ModelSummary, onFrontier: Bool) -> JSONValue {
        var object = stats(model.overall).objectValue ?? [:]
        object["on_frontier"] = .bool(onFrontier)
        object["fallback_for"] = model.fallbackFor.map(JSONValue.string) ?? .null
        object["cost_per_correct"] = model.costPerCorrect.map(JSONValue.double) ?? .null
        object["quality_per_dollar"] = qualityPerDollar(model.qualityPerDollar)
        object["output_tokens_per_second"] = model.outputTokensPerSecond.map(JSONValue.double) ?? .null
        object["model"] = .string(model.model)
        object["family"] = model.family.map(JSONValue.string) ?? .null
        object["price"] =
            model.price.map { price in
                [
                    "input_per_million": price.inputPerMillion.map(JSONValue.double) ?? .null,
                    "cached_input_per_million": price.cachedInputPerMillion.map(JSONValue.double) ?? .null,
                    "reasoning_per_million": price.reasoningPerMillion.map(JSONValue.double) ?? .null,
                    "output_per_million": .double(price.outputPerMillion),
                    "currency": .string(price.currency),
                    "date": .string(price.date),
                    "source": .string(price.source),
                ]
            } ?? .null
        object["spend"] = spend(model.spend, currency: model.price.map { _ in Price.reportCurrency })
        object["latency_ms"] = latency(model.latency)
        object["ttft_ms"] = latency(model.ttft)
        object["first_token_ms"] = latency(model.firstToken)
        object["thinking_ms"] = latency(model.thinking)
        object["streaming"] = streaming(model.streaming)
        if !model.longContext.isEmpty { object["long_context"] = longContext(model.longContext) }
        object["error_kinds"] = .object(model.errorKinds.mapValues(JSONValue.int))
        object["suites"] = .array(
            model.suites.map { suite in
                var entry = stats(suite.stats).objectValue ?? [:]
                entry["suite"] = .string(suite.suite)
                entry["spend"] = spend(suite.spend, currency: model.price.map { _ in Price.reportCurrency })
                entry["latency_ms"] = latency(suite.latency)
                entry["quality_per_dollar"] = qualityPerDollar(suite.qualityPerDollar)
                entry["pass_at_k"] = .object(
                    Dictionary(uniqueKeysWithValues: suite.passAtK.map { (String($0.key), JSONValue.double($0.value)) })
                )
                entry["status"] = suite.isUnsupported ? "unsupported" : "asked"
                entry["classification"] = suite.classification.map(classification) ?? .null
                entry["ocr"] = suite.ocr.map(ocr) ?? .null
                // Only tools suites carry the block: other suites' summaries stay as they were.
                if let metrics = suite.tools { entry["tools"] = tools(metrics, spend: suite.spend) }
                if let metrics = suite.fields { entry["fields"] = fields(metrics, mode: suite.structuredOutput) }
                if let metrics = suite.agents { entry["agents"] = agents(metrics) }
                entry["subjects"] = .object(suite.subjects.mapValues(stats))
                entry["tags"] = .object(suite.tags.mapValues(stats))
                return .object(entry)
            })
        return .object(object)
    }

    static func classification(_ metrics: ClassificationMetrics) -> JSONValue {
        func number(_ value: Double?) -> JSONValue { value.map(JSONValue.double) ?? .null }
        return [
            "labels": .array(metrics.labels.map(JSONValue.string)),
            "n": .int(metrics.n),
            "accuracy": number(metrics.accuracy),
            "macro_f1": number(metrics.macroF1),
            "per_label": .object(
                metrics.perLabel.mapValues { score in
                    [
                        "precision": number(score.precision), "recall": number(score.recall), "f1": number(score.f1),
                        "support": .int(score.support),
                    ]
                }),
            "confusion": .object(metrics.confusion.mapValues { row in .object(row.mapValues(JSONValue.int)) }),
        ]
    }

    static func tools(_ metrics: ToolCallMetrics, spend: Spend) -> JSONValue {
        [
            "items": .int(metrics.items),
            "passed": .int(metrics.passed),
            "mismatches": .object(
                Dictionary(
                    uniqueKeysWithValues: ToolCallMismatch.Kind.allCases.map {
                        ($0.rawValue, JSONValue.int(metrics.mismatches[$0] ?? 0))
                    })),
            "calls": .int(metrics.calls),
            "answers_without_calls": .int(metrics.answersWithoutCalls),
            "cost_per_1000": ToolCallMetrics.costPerThousand(spend, answered: metrics.items).map(JSONValue.double)
                ?? .null,
            "first_call_ms": latency(metrics.firstCall),
        ]
    }

    /// An agent suite's numbers: tasks solved, turns, success by turn, where the agents
    /// stopped, and per solved task its steps, tokens and cost.
    static func agents(_ metrics: AgentMetrics) -> JSONValue {
        [
            "tasks": .int(metrics.tasks), "solved": .int(metrics.solved), "turns": .int(metrics.turns),
            "turns_passed": .int(metrics.turnsPassed),
            "by_turn": .array(
                zip(metrics.reachedByTurn, metrics.passedByTurn).map { ["reached": .int($0), "passed": .int($1)] }),
            "stops": .object(metrics.stops.mapValues(JSONValue.int)), "steps": .int(metrics.steps),
            "calls": .int(metrics.calls),
            "steps_per_solved": metrics.stepsPerSolved.map(JSONValue.double) ?? .null,
            "tokens_per_solved": metrics.tokensPerSolved.map(JSONValue.double) ?? .null,
            "cost_per_solved": metrics.costPerSolved.map(JSONValue.double) ?? .null,
        ]
    }

    static func fields(_ metrics: FieldMetrics, mode: StructuredOutputMode?) -> JSONValue {
        func number(_ value: Double?) -> JSONValue { value.map(JSONValue.double) ?? .null }
        return [
            "asked_with": mode.map { .string($0.rawValue) } ?? .null,
            "items": .int(metrics.items),
            "exact": .int(metrics.exact),
            "exact_rate": number(metrics.exactRate),
            "json_valid_rate": number(metrics.jsonValidRate),
            "schema_valid_rate": number(metrics.schemaValidRate),
            "prose_rate": number(metrics.proseRate),
            "field_accuracy": number(metrics.fieldAccuracy),
            "micro_precision": number(metrics.precision),
            "micro_recall": number(metrics.recall),
            "micro_f1": number(metrics.microF1),
            "per_field": .object(
                metrics.fields.mapValues { tally in
                    [
                        "correct": .int(tally.correct), "items": .int(tally.items), "accuracy": number(tally.accuracy),
                        "precision": number(tally.precision), "recall": number(tally.recall),
                    ]
                }),
        ]
    }

    static func ocr(_ metrics: OCRMetrics) -> JSONValue {
        [
            "cer": metrics.cer.map(JSONValue.double) ?? .null,
            "wer": metrics.wer.map(JSONValue.double) ?? .null,
            "items": .int(metrics.items),
            "char_edits": .int(metrics.characterEdits),
            "ref_chars": .int(metrics.referenceCharacters),
            "word_edits": .int(metrics.wordEdits),
            "ref_words": .int(metrics.referenceWords),
            "mean_item_cer": metrics.meanItemCER.map(JSONValue.double) ?? .null,
        ]
    }

    static func stats(_ stats: ScoreStats) -> JSONValue {
        [
            "score": stats.score.map(JSONValue.double) ?? .null,
            "n": .int(stats.n),
            "passed": .int(stats.passed),
            "failed": .int(stats.failed),
            "invalid": .int(stats.invalid),
            "errors": .int(stats.errors),
            "unsupported": .int(stats.unsupported),
            "fell_back": .int(stats.fellBack),
            "retried": .int(stats.retried),
            "truncated": .int(stats.truncated),
            "ci_95": stats.interval.map { ["lower": .double($0.lower), "upper": .double($0.upper)] } ?? .null,
        ]
    }

    static func spend(_ spend: Spend, currency: String?) -> JSONValue {
        [
            "cost": .double(spend.cost),
            "currency": currency.map(JSONValue.string) ?? .null,
            "output_only": .bool(spend.outputOnly),
            "cost_basis": .string(spend.basis.rawValue),
            "prompt_tokens": .int(spend.promptTokens),
            "completion_tokens": .int(spend.completionTokens),
            "reasoning_tokens": .int(spend.reasoningTokens),
            "cached_prompt_tokens": .int(spend.cachedPromptTokens),
            "unknown_usage": .int(spend.unknownUsage),
            "cached": .int(spend.cached),
        ]
    }

    /// Inter-token latency, time per output token and latency split by answer length, client
    /// region and base URL (`StreamingStats`), in milliseconds.
    static func streaming(_ streaming: StreamingStats) -> JSONValue {
        [
            "inter_token_ms": latency(streaming.interToken),
            "time_per_output_token_ms": latency(streaming.timePerOutputToken),
            "latency_per_output_token_ms": latency(streaming.latencyPerOutputToken),
            "max_stall_ms": latency(streaming.maxStall),
            "latency_by_output_length_ms": .object(
                Dictionary(
                    uniqueKeysWithValues: streaming.latencyByLength.map { length, stats in
                        var entry = latency(stats).objectValue ?? [:]
                        entry["tokens"] = .string(length.range)
                        return (length.rawValue, JSONValue.object(entry))
                    })),
            "latency_by_client_region_ms": .object(streaming.latencyByRegion.mapValues(latency)),
            "latency_by_base_url_ms": .object(streaming.latencyByBaseURL.mapValues(latency)),
        ]
    }

    /// Score, reported and estimated prompt tokens, TTFT and cost by nominal length and by
    /// depth, the effective context length and the prompt cache's share (`LongContextStats`).
    static func longContext(_ stats: LongContextStats) -> JSONValue {
        func bucket(_ bucket: LongContextStats.Bucket) -> JSONValue {
            [
                "score": bucket.score.map(JSONValue.double) ?? .null,
                "asked": .int(bucket.asked),
                "passed": .int(bucket.passed),
                "unsupported": .int(bucket.unsupported),
                "unsupported_reason": bucket.unsupportedReason.map(JSONValue.string) ?? .null,
                "mean_prompt_tokens": bucket.meanPromptTokens.map(JSONValue.double) ?? .null,
                "estimate_over_reported": bucket.estimateRatio.map(JSONValue.double) ?? .null,
                "cached_prompt_tokens": .int(bucket.cachedPromptTokens),
                "mean_cost": bucket.meanCost.map(JSONValue.double) ?? .null,
                "ttft_ms": latency(bucket.ttft),
            ]
        }
        return [
            "effective_length": stats.effectiveLength.map { .string($0.description) } ?? .null,
            "effective_length_tokens": stats.effectiveLength.map { .int($0.tokens) } ?? .null,
            "margin": .double(LongContextStats.margin),
            "floor": .double(LongContextStats.floor),
            "by_length": .array(
                stats.lengths.map { length in
                    var entry = bucket(stats.byLength[length] ?? .init()).objectValue ?? [:]
                    entry["length"] = .string(length.description)
                    entry["tokens"] = .int(length.tokens)
                    return .object(entry)
                }),
            "by_depth": .array(
                stats.byDepth.keys.sorted().map { depth in
                    var entry = bucket(stats.byDepth[depth] ?? .init()).objectValue ?? [:]
                    entry["depth"] = .int(depth)
                    return .object(entry)
                }),
            "prompt_tokens": .int(stats.promptTokens),
            "cached_prompt_tokens": .int(stats.cachedPromptTokens),
            "cached_share": stats.cachedShare.map(JSONValue.double) ?? .null,
            "cost": .double(stats.cost),
            "cost_without_cache": stats.costWithoutCache.map(JSONValue.double) ?? .null,
        ]
    }

    static func latency(_ stats: LatencyStats) -> JSONValue {
        [
            "count": .int(stats.count),
            "p50": stats.p50Ms.map(JSONValue.double) ?? .null,
            "p95": stats.p95Ms.map(JSONValue.double) ?? .null,
            "p99": stats.p99Ms.map(JSONValue.double) ?? .null,
            "max": stats.maxMs.map(JSONValue.double) ?? .null,
            "mean": stats.meanMs.map(JSONValue.double) ?? .null,
        ]
    }

    /// RFC 3339 in UTC with milliseconds (`2026-11-23T12:00:00.000Z`), exactly as
    /// `ISO8601DateFormatter` with `.withInternetDateTime` and `.withFractionalSeconds` writes
    /// it (`SummaryJSONTests` compares the two on random dates), without making one: a formatter
    /// cost more than the rest of a drill-down item, and a site writes a date on every row.
    public static func timestamp(_ date: Date) -> String {
        let millis = (date.timeIntervalSince1970 * 1000).rounded()
        guard millis.isFinite, abs(millis) < 1e14 else { return formatted(date) }
        var seconds = Int64(millis) / 1000, fraction = Int64(millis) % 1000
        if fraction < 0 {
            fraction += 1000
            seconds -= 1
        }
        var days = seconds / 86_400, time = seconds % 86_400
        if time < 0 {
            time += 86_400
            days -= 1
        }
        // The civil date of a day count since 1970-01-01 (Howard Hinnant's days_from_civil, inverted).
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        guard (0...9999).contains(year) else { return formatted(date) }
        func padded(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))T\(padded(time / 3600, 2)):"
            + "\(padded(time % 3600 / 60, 2)):\(padded(time % 60, 2)).\(padded(fraction, 3))Z"
    }

    /// Foundation's own writing, for what `timestamp` does not write itself.
    static func formatted(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
