import AssayCore

/// Each declared field of an answer against the case's: right or wrong, what was expected
/// and written, and the field-level counts micro F1 is made of.
///
/// A scalar field counts one true positive when right; when wrong, one false negative, and a
/// false positive too if the answer wrote a value. A list is scored as a set (a multiset:
/// each expected element matches at most one written one). A nested object's fields are
/// fields of their own, by dotted path.
///
/// The case's side is read once (`init`), when the grader is made, so that grading an answer
/// normalises only the answer's values.
struct FieldComparison: Sendable {
    /// One field to compare: where it is, its type, and the case's value normalised.
    struct Row: Sendable {
        var path: String
        /// The path's names, outermost first: how the answer's value is found.
        var keys: [String]
        var type: FieldType
        var want: Want
        /// The expected value as the evidence shows it (normalised; a list as JSON).
        var expected: String
    }

    enum Want: Sendable {
        /// The case expects no value: right only when the answer writes none.
        case nothing
        /// A scalar's normal form (or, when the case's value does not read, its JSON: then
        /// nothing matches it).
        case scalar(String)
        /// A list's elements' normal forms, with how often each occurs, and their type.
        case list(element: FieldType, counts: [String: Int], total: Int)
    }

    /// The case's expected fields as JSON, for checking that a cached comparison is this case's.
    let source: [String: JSONValue]
    let rows: [Row]
    /// Every value the case gives reads as its type (else `FieldValues.unreadable` says which).
    let everyValueReads: Bool

    init(expected: [String: JSONValue], fields: [String: FieldType]) {
        source = expected
        var rows: [Row] = []
        var everyValueReads = true
        Self.collect(expected: expected, fields: fields, keys: [], into: &rows, reads: &everyValueReads)
        self.rows = rows
        self.everyValueReads = everyValueReads
    }

    private static func collect(
        expected: [String: JSONValue], fields: [String: FieldType], keys: [String], into rows: inout [Row],
        reads: inout Bool
    ) {
        for name in fields.keys.sorted() {
            guard let type = fields[name] else { continue }
            let path = keys + [name]
            let want = expected[name] ?? .null
            switch type {
            case .object(let nested):
                collect(expected: want.objectValue ?? [:], fields: nested, keys: path, into: &rows, reads: &reads)
            case .list(let element, _):
                var counts: [String: Int] = [:]
                var total = 0
                for value in want.arrayValue ?? [] {
                    total += 1
                    guard let key = FieldValues.canonical(value, element) else {
                        reads = false
                        continue
                    }
                    counts[key, default: 0] += 1
                }
                rows.append(
                    Row(
                        path: path.joined(separator: "."), keys: path, type: type,
                        want: .list(element: element, counts: counts, total: total),
                        expected: expectedList(want, element)))
            default:
                let canonical = want.isNull ? nil : FieldValues.canonical(want, type)
                if !want.isNull && canonical == nil { reads = false }
                let key = want.isNull ? nil : canonical ?? FieldValues.display(want)
                rows.append(
                    Row(
                        path: path.joined(separator: "."), keys: path, type: type,
                        want: key.map(Want.scalar) ?? .nothing, expected: key ?? ""))
            }
        }
    }

    /// Every row against `answer` (nil: the answer held no JSON object).
    func compare(_ answer: [String: JSONValue]?) -> [FieldsEvidence.Field] {
        rows.map { row in
            let got = Self.value(at: row.keys, in: answer)
            switch row.want {
            case .nothing:
                return FieldsEvidence.Field(
                    path: row.path, correct: got == nil, expected: "", extracted: got.map(FieldValues.display),
                    truePositives: 0, falsePositives: got == nil ? 0 : 1, falseNegatives: 0)
            case .scalar(let expected):
                let correct = got.flatMap { FieldValues.canonical($0, row.type) } == expected
                return FieldsEvidence.Field(
                    path: row.path, correct: correct, expected: row.expected, extracted: got.map(FieldValues.display),
                    truePositives: correct ? 1 : 0, falsePositives: !correct && got != nil ? 1 : 0,
                    falseNegatives: correct ? 0 : 1)
            case .list(let element, let counts, let total):
                var unmatched = counts
                var written = 0
                var matched = 0
                for value in got?.arrayValue ?? [] {
                    written += 1
                    if let key = FieldValues.canonical(value, element), let left = unmatched[key], left > 0 {
                        unmatched[key] = left - 1
                        matched += 1
                    }
                }
                let falsePositives = written - matched
                let falseNegatives = total - matched
                return FieldsEvidence.Field(
                    path: row.path, correct: falsePositives == 0 && falseNegatives == 0, expected: row.expected,
                    extracted: got.map(FieldValues.display), truePositives: matched, falsePositives: falsePositives,
                    falseNegatives: falseNegatives)
            }
        }
    }

    /// The answer's value at a path; nil when absent or null, or when a level on the way is
    /// not an object.
    private static func value(at keys: [String], in answer: [String: JSONValue]?) -> JSONValue? {
        var members = answer
        var found: JSONValue?
        for key in keys {
            guard let current = members, let value = current[key], !value.isNull else { return nil }
            found = value
            members = value.objectValue
        }
        return found
    }

    /// A list's expected elements in their normal forms where they are scalars ("[\"2026-03-14\"]").
    private static func expectedList(_ want: JSONValue, _ element: FieldType) -> String {
        let elements = want.arrayValue ?? []
        switch element {
        case .object, .list:
            return FieldValues.display(want)
        default:
            return FieldValues.display(
                .array(elements.map { value in FieldValues.canonical(value, element).map(JSONValue.string) ?? value }))
        }
    }
}
