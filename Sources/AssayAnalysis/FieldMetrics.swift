import AssayCore

/// A field-extraction suite's numbers for one model: items with every field right, each
/// field's accuracy, field-level micro precision, recall and F1, and how often the answer
/// was JSON, followed the schema, and came with prose.
public struct FieldMetrics: Sendable, Hashable {
    /// One field's tally: answers that got it right, of those graded, and its values'
    /// true and false positives (for a list, its elements': the set's precision and recall).
    public struct Tally: Sendable, Hashable {
        public var correct = 0
        public var items = 0
        public var truePositives = 0
        public var falsePositives = 0
        public var falseNegatives = 0
        public var accuracy: Double? { items > 0 ? Double(correct) / Double(items) : nil }
        public var precision: Double? {
            truePositives + falsePositives > 0 ? Double(truePositives) / Double(truePositives + falsePositives) : nil
        }
        public var recall: Double? {
            truePositives + falseNegatives > 0 ? Double(truePositives) / Double(truePositives + falseNegatives) : nil
        }
    }

    /// Graded answers, and those with every field right.
    public var items = 0
    public var exact = 0
    public var jsonValid = 0
    public var schemaValid = 0
    public var withProse = 0
    public var truePositives = 0
    public var falsePositives = 0
    public var falseNegatives = 0
    /// By field path (`total`, `buyer.name`, `items`).
    public var fields: [String: Tally] = [:]

    public var exactRate: Double? { rate(exact) }
    public var jsonValidRate: Double? { rate(jsonValid) }
    public var schemaValidRate: Double? { rate(schemaValid) }
    public var proseRate: Double? { rate(withProse) }

    /// Right fields over graded fields, all fields pooled.
    public var fieldAccuracy: Double? {
        let items = fields.values.reduce(0) { $0 + $1.items }
        return items > 0 ? Double(fields.values.reduce(0) { $0 + $1.correct }) / Double(items) : nil
    }

    public var precision: Double? {
        truePositives + falsePositives > 0 ? Double(truePositives) / Double(truePositives + falsePositives) : nil
    }
    public var recall: Double? {
        truePositives + falseNegatives > 0 ? Double(truePositives) / Double(truePositives + falseNegatives) : nil
    }
    /// Micro F1 over every field value (a list's elements one by one): 2TP / (2TP + FP + FN).
    public var microF1: Double? {
        let denominator = 2 * truePositives + falsePositives + falseNegatives
        return denominator > 0 ? Double(2 * truePositives) / Double(denominator) : nil
    }

    /// The fields by name.
    public var fieldNames: [String] { fields.keys.sorted() }

    /// The `count` fields this model got right least often, worst first (ties by name).
    public func worstFields(_ count: Int) -> [(field: String, tally: Tally)] {
        fields.map { (field: $0.key, tally: $0.value) }
            .sorted { ($0.tally.accuracy ?? 0, $0.field) < ($1.tally.accuracy ?? 0, $1.field) }
            .prefix(count).map { $0 }
    }

    private func rate(_ count: Int) -> Double? { items > 0 ? Double(count) / Double(items) : nil }

    struct Accumulator {
        var metrics = FieldMetrics()

        mutating func add(_ result: ItemResult) {
            guard result.status == .graded, let grade = result.grade, let evidence = grade.fieldsEvidence else {
                return
            }
            metrics.items += 1
            if grade.outcome == .pass { metrics.exact += 1 }
            if evidence.jsonValid { metrics.jsonValid += 1 }
            if evidence.schemaValid { metrics.schemaValid += 1 }
            if evidence.prose { metrics.withProse += 1 }
            for field in evidence.fields {
                metrics.truePositives += field.truePositives
                metrics.falsePositives += field.falsePositives
                metrics.falseNegatives += field.falseNegatives
                var tally = metrics.fields[field.path] ?? Tally()
                tally.items += 1
                if field.correct { tally.correct += 1 }
                tally.truePositives += field.truePositives
                tally.falsePositives += field.falsePositives
                tally.falseNegatives += field.falseNegatives
                metrics.fields[field.path] = tally
            }
        }

        var result: FieldMetrics? { metrics.items > 0 ? metrics : nil }
    }
}
