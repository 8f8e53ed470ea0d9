import AssayCore

/// One model's numbers on one suite.
public struct SuiteSummary: Sendable {
    public var suite: String
    public var kind: SuiteKind?
    public var stats: ScoreStats
    public var spend: Spend
    public var latency: LatencyStats
    /// pass@k by k, over the cases' samples (epochs): reported when cases have more than one
    /// sample, for every reported k that all cases have enough samples for.
    public var passAtK: [Int: Double]
    /// For classification suites: accuracy, macro-F1, per-label scores, confusion matrix.
    public var classification: ClassificationMetrics?
    /// For OCR suites: pooled CER and WER.
    public var ocr: OCRMetrics?
    /// For tools suites: mismatches by kind, calls made, time to the first call.
    public var tools: ToolCallMetrics? = nil
    /// For agent suites: tasks solved, turns passed, where agents stopped, steps and cost per solved task.
    public var agents: AgentMetrics? = nil
    /// For extraction suites: field accuracy, micro F1, JSON- and schema-valid rates.
    public var fields: FieldMetrics? = nil
    /// How the model was asked for the suite's structured output (from the suite's
    /// `response_format` and the model's capabilities in the run's catalog); nil when the
    /// suite asked for none.
    public var structuredOutput: StructuredOutputMode? = nil
    /// Scores by subject, for suites whose cases carry `subject:<name>` tags (MATH's
    /// algebra, geometry, ...): the subject's name to its numbers.
    public var subjects: [String: ScoreStats] = [:]
    /// Scores by case tag, every tag the suite's cases carry (`zh`, `en`, `steps-3`,
    /// `subject:algebra`): a slice of the suite by whatever its author tagged.
    public var tags: [String: ScoreStats] = [:]
    /// What each tag's slice cost: its correct answers per dollar ranks the slice.
    public var tagSpend: [String: Spend] = [:]
    /// Time to the first answer token on this suite, over fresh streamed answers.
    public var ttft: LatencyStats = .empty

    /// The tag prefix that names a case's subject.
    public static let subjectTagPrefix = "subject:"

    /// Correct answers per dollar on this suite alone.
    public var qualityPerDollar: QualityPerDollar { QualityPerDollar(correct: stats.passed, spend: spend) }

    /// True when the model could not be asked any item of the suite (it lacks a capability).
    public var isUnsupported: Bool { stats.n == 0 && stats.unsupported > 0 }

    /// Results arrive ordered by case and epoch within a model and suite: the samples of a
    /// case are folded into pass@k sums as soon as the next case starts.
    struct Builder {
        let suite: String
        let kind: SuiteKind?
        let labels: [String]?
        var stats = ScoreStats()
        var spend = Spend()
        var latency = LatencyRecorder()
        var confusion: [String: [String: Int]] = [:]
        var ocr = OCRMetrics.Accumulator()
        var tools = ToolCallMetrics.Accumulator()
        var agents = AgentMetrics.Accumulator()
        var fields = FieldMetrics.Accumulator()
        var subjects: [String: ScoreStats] = [:]
        var tags: [String: ScoreStats] = [:]
        var tagSpend: [String: Spend] = [:]
        var ttft = LatencyRecorder()
        var currentCase: String?
        var currentSamples = (n: 0, c: 0)
        /// Per k: the sum of the cases' pass@k; and the fewest and most samples of any case.
        /// How many cases had n samples of which c passed, by (n, c): few distinct pairs,
        /// whatever the number of cases, and pass@k is exact for any k at the end (summing
        /// per k as cases closed missed the cases with more samples than a k not yet known).
        var samplePairs: [SamplePair: Int] = [:]
        var cases = 0
        var fewestSamples = Int.max
        var mostSamples = 0

        init(suite: String, kind: SuiteKind?, labels: [String]?) {
            self.suite = suite
            self.kind = kind
            self.labels = labels
        }

        mutating func add(_ result: ItemResult) {
            stats.add(result)
            spend.add(result)
            if result.status == .graded, !result.cached, let timing = result.timing {
                latency.record(milliseconds: timing.latencyMs)
                if let ttftMs = timing.ttftMs { ttft.record(milliseconds: ttftMs) }
            }
            if kind == .classification, let pair = ClassificationMetrics.pair(result) {
                confusion[pair.truth, default: [:]][pair.prediction, default: 0] += 1
            }
            if kind?.isTranscript == true { ocr.add(result) }
            if kind == .tools { tools.add(result) }
            if kind == .agent { agents.add(result) }
            if kind == .extraction { fields.add(result) }
            for tag in result.tags {
                tags[tag, default: ScoreStats()].add(result)
                tagSpend[tag, default: Spend()].add(result)
                if tag.hasPrefix(SuiteSummary.subjectTagPrefix) {
                    subjects[String(tag.dropFirst(SuiteSummary.subjectTagPrefix.count)), default: ScoreStats()].add(
                        result)
                }
            }
            guard result.status != .unsupported else { return }
            if result.caseID != currentCase { closeCase() }
            currentCase = result.caseID
            currentSamples.n += 1
            if result.status == .graded && result.grade?.outcome == .pass { currentSamples.c += 1 }
        }

        struct SamplePair: Hashable {
            var n: Int
            var c: Int
        }

        mutating func closeCase() {
            guard currentSamples.n > 0 else { return }
            cases += 1
            fewestSamples = min(fewestSamples, currentSamples.n)
            mostSamples = max(mostSamples, currentSamples.n)
            samplePairs[SamplePair(n: currentSamples.n, c: currentSamples.c), default: 0] += 1
            currentSamples = (0, 0)
        }

        var passAtK: [Int: Double] {
            var copy = self
            copy.closeCase()
            guard copy.cases > 0, copy.mostSamples > 1 else { return [:] }
            var result: [Int: Double] = [:]
            for k in PassAtK.reportedKs(samples: copy.fewestSamples) {
                let sum = copy.samplePairs.reduce(0.0) {
                    $0 + (PassAtK.estimate(n: $1.key.n, c: $1.key.c, k: k) ?? 0) * Double($1.value)
                }
                result[k] = sum / Double(copy.cases)
            }
            return result
        }

        var summary: SuiteSummary {
            SuiteSummary(
                suite: suite, kind: kind, stats: stats, spend: spend, latency: latency.stats, passAtK: passAtK,
                classification: kind == .classification && !confusion.isEmpty
                    ? ClassificationMetrics.compute(confusion: confusion, labels: labels) : nil,
                ocr: kind?.isTranscript == true ? ocr.result : nil, tools: kind == .tools ? tools.result : nil,
                agents: kind == .agent ? agents.result : nil, fields: kind == .extraction ? fields.result : nil,
                subjects: subjects, tags: tags,
                tagSpend: tagSpend, ttft: ttft.stats)
        }
    }
}
