import AssayCore

/// Accuracy, macro-F1 and the confusion matrix of a classification suite for one model.
///
/// The classes are the suite's declared labels (or, for a suite that declares none, the
/// expected labels seen). Every asked item has a true class (its expected label) and a
/// prediction: a class, or one of `(invalid)` (no label named), `(ambiguous)` (two named)
/// and `(error)` (no answer). Those three are never classes: they only cost recall.
/// Per class, F1 = 2TP / (2TP + FP + FN); macro-F1 is their unweighted mean over the classes
/// that occur (as truth or prediction): a class nobody asked about and nobody predicted
/// says nothing of the model.
public struct ClassificationMetrics: Sendable, Hashable, Codable {
    public static let invalid = "(invalid)"
    public static let ambiguous = "(ambiguous)"
    public static let error = "(error)"

    public struct ClassScore: Sendable, Hashable, Codable {
        public var precision: Double?
        public var recall: Double?
        public var f1: Double?
        /// Items whose true class this is.
        public var support: Int
    }

    public var labels: [String]
    public var n: Int
    public var accuracy: Double?
    public var macroF1: Double?
    public var perLabel: [String: ClassScore]
    /// Counts by true label, then by prediction.
    public var confusion: [String: [String: Int]]

    public static func compute(pairs: [(truth: String, prediction: String)], labels declared: [String]?)
        -> ClassificationMetrics
    {
        var confusion: [String: [String: Int]] = [:]
        for pair in pairs { confusion[pair.truth, default: [:]][pair.prediction, default: 0] += 1 }
        return compute(confusion: confusion, labels: declared)
    }

    /// From the confusion counts: truth -> prediction -> count.
    public static func compute(confusion: [String: [String: Int]], labels declared: [String]?) -> ClassificationMetrics
    {
        var labels = declared ?? []
        if labels.isEmpty { labels = confusion.keys.sorted() }
        let total = confusion.values.reduce(0) { $0 + $1.values.reduce(0, +) }
        let correct = confusion.reduce(0) { $0 + ($1.value[$1.key] ?? 0) }
        var perLabel: [String: ClassScore] = [:]
        var f1s: [Double] = []
        for label in labels {
            let tp = confusion[label]?[label] ?? 0
            let fp = confusion.filter { $0.key != label }.reduce(0) { $0 + ($1.value[label] ?? 0) }
            let fn = (confusion[label]?.values.reduce(0, +) ?? 0) - tp
            let denominator = 2 * tp + fp + fn
            let f1 = denominator > 0 ? Double(2 * tp) / Double(denominator) : nil
            if let f1 { f1s.append(f1) }
            perLabel[label] = ClassScore(
                precision: tp + fp > 0 ? Double(tp) / Double(tp + fp) : nil,
                recall: tp + fn > 0 ? Double(tp) / Double(tp + fn) : nil,
                f1: f1, support: tp + fn)
        }
        return ClassificationMetrics(
            labels: labels, n: total, accuracy: total == 0 ? nil : Double(correct) / Double(total),
            macroF1: f1s.isEmpty ? nil : f1s.reduce(0, +) / Double(f1s.count), perLabel: perLabel, confusion: confusion)
    }

    /// The (truth, prediction) pair of a result, or nil when it was not asked. Labels are
    /// cut to `maxLabel` characters: an answer extracted whole (megabytes of it) must not
    /// become a confusion-matrix label (the full text stays in the store).
    static func pair(_ result: ItemResult) -> (truth: String, prediction: String)? {
        guard result.status != .unsupported else { return nil }
        let truth = clip(result.expected ?? result.grade?.labelEvidence?.expected ?? "?")
        guard result.status == .graded, let grade = result.grade else { return (truth, error) }
        if grade.labelEvidence?.ambiguous == true { return (truth, ambiguous) }
        switch grade.outcome {
        case .pass, .fail: return (truth, clip(grade.extracted ?? invalid))
        case .invalid: return (truth, invalid)
        case .error: return (truth, error)
        }
    }

    public static let maxLabel = 200

    static func clip(_ label: String) -> String {
        label.count > maxLabel ? String(label.prefix(maxLabel)) + "..." : label
    }
}

/// Pooled character and word error rates of an OCR suite for one model: the sum of edits
/// over the sum of reference lengths, over the answered items (failed requests are counted
/// apart, as errors).
public struct OCRMetrics: Sendable, Hashable, Codable {
    public var items: Int
    public var characterEdits: Int
    public var referenceCharacters: Int
    public var wordEdits: Int
    public var referenceWords: Int
    /// The mean of the items' CERs, for comparison only: it weighs a two-character label like a page.
    public var meanItemCER: Double?

    public var cer: Double? {
        referenceCharacters > 0
            ? Double(characterEdits) / Double(referenceCharacters) : (items > 0 ? (characterEdits > 0 ? 1 : 0) : nil)
    }
    public var wer: Double? {
        referenceWords > 0 ? Double(wordEdits) / Double(referenceWords) : (items > 0 ? (wordEdits > 0 ? 1 : 0) : nil)
    }

    public static func compute(_ results: [ItemResult]) -> OCRMetrics? {
        var accumulator = Accumulator()
        for result in results { accumulator.add(result) }
        return accumulator.result
    }

    /// Running sums over answered items.
    struct Accumulator {
        var metrics = OCRMetrics(items: 0, characterEdits: 0, referenceCharacters: 0, wordEdits: 0, referenceWords: 0)
        var cerSum = 0.0
        var cerCount = 0

        mutating func add(_ result: ItemResult) {
            guard result.status == .graded, let evidence = result.grade?.ocrEvidence else { return }
            metrics.items += 1
            metrics.characterEdits += evidence.characterEdits
            metrics.referenceCharacters += evidence.referenceCharacters
            metrics.wordEdits += evidence.wordEdits ?? 0
            metrics.referenceWords += evidence.referenceWords ?? 0
            if let cer = evidence.cer {
                cerSum += cer
                cerCount += 1
            }
        }

        var result: OCRMetrics? {
            guard metrics.items > 0 else { return nil }
            var final = metrics
            final.meanItemCER = cerCount > 0 ? cerSum / Double(cerCount) : nil
            return final
        }
    }
}
