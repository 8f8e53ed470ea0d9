import AssayCore
import SystemPackage

/// Grades structured output field by field.
///
/// suite.yaml declares the fields and their types (`FieldType`):
/// ```yaml
/// grader:
///   name: fields
///   fields:
///     merchant: string
///     date: date
///     total: amount
///     currency: {type: enum, values: [CNY, USD]}
///     items: {type: list, of: {name: string, amount: amount}}
/// ```
/// and each case its `expected.fields`. The answer's JSON is found whole, in a fenced block,
/// or as the first `{...}` among prose (`JSONAnswer`; prose is allowed and noted). No JSON:
/// *invalid*, with the parser's reason. JSON that breaks the schema the declarations make
/// (a field missing or of the wrong type, an enum value not declared; under a strict
/// `response_format`, a field not declared): *invalid*, with the first problems. Otherwise
/// *pass* when every field is right, else *fail*; the score is the share of fields right,
/// and every field's verdict is in the evidence (`FieldsEvidence`), schema-invalid answers'
/// included, so that field accuracy and micro F1 count what the answer did get right.
public struct FieldsGrader: Grader {
    public let fields: [String: FieldType]
    /// Fields the declarations do not name break the schema (a strict `json_schema` suite).
    public let strict: Bool
    /// Each case's expected fields, read when the grader is made, by case id.
    private let comparisons: [String: FieldComparison]

    public init(settings: [String: JSONValue], suite: Suite) throws(InputError) {
        let file = FilePath(suite.directory).appending("suite.yaml").string
        var problems = suite.unknownGraderSettings(settings, grader: "fields", allowed: ["fields"])
        var declared: [String: FieldType] = [:]
        do throws(FieldDeclarationError) {
            guard let written = settings["fields"],
                case .object(let fields) = try FieldType(declaration: written, path: "")
            else {
                throw FieldDeclarationError(
                    path: "",
                    "the fields grader needs 'fields': a mapping of each field to its type (string, amount, date, enum, list, object)"
                )
            }
            declared = fields
        } catch {
            problems.append(suite.grader.diagnostic("fields", file: file, error.description))
        }
        if case .jsonSchema(_, _, let strict)? = suite.responseFormat {
            self.strict = strict
        } else {
            self.strict = false
        }
        fields = declared
        var comparisons: [String: FieldComparison] = [:]
        if problems.isEmpty { problems += Self.checkExpected(suite, fields: declared, into: &comparisons) }
        guard problems.isEmpty else { throw InputError(problems) }
        self.comparisons = comparisons
    }

    /// Every case's `expected.fields` must be readable as the declarations say; those that
    /// are are read into `comparisons`.
    private static func checkExpected(
        _ suite: Suite, fields: [String: FieldType], into comparisons: inout [String: FieldComparison]
    ) -> [Diagnostic] {
        let file = FilePath(suite.directory).appending("cases.jsonl").string
        var problems: [Diagnostic] = []
        comparisons.reserveCapacity(suite.cases.count)
        for item in suite.cases {
            guard let expected = item.expected["fields"] else {
                problems.append(
                    Diagnostic(
                        file: file, line: item.line, "case '\(item.id)': the fields grader needs 'expected.fields'"))
                continue
            }
            var found: [String] = []
            FieldValues.violations(expected, .object(fields), path: "", strict: true, into: &found)
            let comparison = expected.objectValue.map { FieldComparison(expected: $0, fields: fields) }
            if found.isEmpty, comparison?.everyValueReads != true,
                let unreadable = FieldValues.unreadable(expected, .object(fields), path: "")
            {
                found.append(unreadable)
            }
            for problem in found {
                problems.append(
                    Diagnostic(file: file, line: item.line, "case '\(item.id)': expected.fields: \(problem)"))
            }
            if found.isEmpty, let comparison { comparisons[item.id] = comparison }
        }
        return problems
    }

    /// The case's comparison as read when the grader was made; read now for a case it was
    /// not made with.
    private func comparison(for item: Case) -> FieldComparison {
        let expected = item.expected["fields"]?.objectValue ?? [:]
        if let cached = comparisons[item.id], cached.source == expected { return cached }
        return FieldComparison(expected: expected, fields: fields)
    }

    public func grade(_ item: Case, answer: String) async -> Grade {
        let comparison = comparison(for: item)
        let found: JSONAnswer
        switch JSONAnswer.find(in: answer) {
        case .success(let answer): found = answer
        case .failure(let error):
            let rows = comparison.compare(nil)
            return Grade(
                outcome: .invalid, score: 0, rule: "no JSON",
                evidence: FieldsEvidence(jsonError: error.reason, fields: rows))
        }
        var problems: [String] = []
        FieldValues.violations(found.value, .object(fields), path: "", strict: strict, into: &problems)
        let rows = comparison.compare(found.value.objectValue)
        let right = rows.filter(\.correct).count
        let outcome: Grade.Outcome = !problems.isEmpty ? .invalid : right == rows.count ? .pass : .fail
        return Grade(
            outcome: outcome, score: problems.isEmpty && !rows.isEmpty ? Double(right) / Double(rows.count) : 0,
            extracted: FieldValues.display(found.value), rule: found.prose ? "JSON among prose" : "JSON",
            evidence: FieldsEvidence(schemaErrors: problems, prose: found.prose, fields: rows))
    }
}
