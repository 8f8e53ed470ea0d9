import AssayCore

/// Each declared field of an answer against the case's: right or wrong, what was expected
/// and written, and the field-level counts micro F1 is made of.
///
/// A scalar field counts one true positive when right; when wrong, one false negative, and a
/// false positive too if the answer wrote a value. A list is scored as a set (a multiset:
/// each expected element matches at most one written one). A nested object's fields are
/// fields of their own, by dotted path.
enum FieldComparison {
    static func rows(
        expected: [String: JSONValue], answer: [String: JSONValue]?, fields: [String: FieldType], prefix: String = ""
    ) -> [FieldsEvidence.Field] {
        var rows: [FieldsEvidence.Field] = []
        for name in fields.keys.sorted() {
            guard let type = fields[name] else { continue }
            let path = prefix.isEmpty ? name : prefix + "." + name
            let want = expected[name] ?? .null
            let got = answer?[name].flatMap { $0.isNull ? nil : $0 }
            switch type {
            case .object(let nested):
                rows += Self.rows(
                    expected: want.objectValue ?? [:], answer: got?.objectValue, fields: nested, prefix: path)
            case .list(let element, _):
                rows.append(list(path, want: want, got: got, element: element))
            default:
                rows.append(scalar(path, want: want, got: got, type: type))
            }
        }
        return rows
    }

    private static func scalar(_ path: String, want: JSONValue, got: JSONValue?, type: FieldType)
        -> FieldsEvidence.Field
    {
        guard !want.isNull else {
            return FieldsEvidence.Field(
                path: path, correct: got == nil, expected: "", extracted: got.map(FieldValues.display),
                truePositives: 0, falsePositives: got == nil ? 0 : 1, falseNegatives: 0)
        }
        let expected = FieldValues.canonical(want, type) ?? FieldValues.display(want)
        let correct = got.flatMap { FieldValues.canonical($0, type) } == expected
        return FieldsEvidence.Field(
            path: path, correct: correct, expected: expected, extracted: got.map(FieldValues.display),
            truePositives: correct ? 1 : 0, falsePositives: !correct && got != nil ? 1 : 0,
            falseNegatives: correct ? 0 : 1)
    }

    private static func list(_ path: String, want: JSONValue, got: JSONValue?, element: FieldType)
        -> FieldsEvidence.Field
    {
        let wanted = (want.arrayValue ?? []).map { FieldValues.canonical($0, element) }
        let written = (got?.arrayValue ?? []).map { FieldValues.canonical($0, element) }
        var unmatched: [String: Int] = [:]
        for key in wanted.compactMap({ $0 }) { unmatched[key, default: 0] += 1 }
        var matched = 0
        for key in written.compactMap({ $0 }) where (unmatched[key] ?? 0) > 0 {
            unmatched[key, default: 0] -= 1
            matched += 1
        }
        let falsePositives = written.count - matched
        let falseNegatives = wanted.count - matched
        return FieldsEvidence.Field(
            path: path, correct: falsePositives == 0 && falseNegatives == 0, expected: expectedList(want, element),
            extracted: got.map(FieldValues.display), truePositives: matched, falsePositives: falsePositives,
            falseNegatives: falseNegatives)
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
