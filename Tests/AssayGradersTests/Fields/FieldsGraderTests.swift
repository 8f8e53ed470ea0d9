import AssayCore
@testable import AssayGraders
import Foundation
import Testing

@Suite struct FieldsGraderTests {
    static let declarations: JSONValue = [
        "merchant": "string",
        "date": "date",
        "total": "amount",
        "currency": ["type": "enum", "values": ["CNY", "USD"]],
        "items": ["type": "list", "of": ["name": "string", "amount": "amount"]],
    ]
    static let expected: JSONValue = [
        "merchant": "Acme Coffee", "date": "2026-12-03", "total": "23.50", "currency": "USD",
        "items": [["name": "Latte", "amount": "4.50"], ["name": "Bagel", "amount": "19.00"]],
    ]

    func grader(strict: Bool = true, declarations: JSONValue = declarations, expected: JSONValue = expected)
        throws(InputError) -> FieldsGrader
    {
        let suite = Suite(
            id: "receipts", title: "receipts", kind: .extraction,
            grader: GraderSpec(name: .fields, settings: ["fields": declarations]),
            prompt: PromptTemplate(template: "{{text}}"),
            responseFormat: .jsonSchema(name: "r", schema: [:], strict: strict),
            cases: [Case(id: "a", input: [:], expected: ["fields": expected], line: 3)], directory: "evalsets/r")
        return try FieldsGrader(settings: suite.grader.settings, suite: suite)
    }

    func grade(_ answer: String, strict: Bool = true) async throws -> Grade {
        let item = Case(id: "a", input: [:], expected: ["fields": Self.expected], line: 3)
        return try await grader(strict: strict).grade(item, answer: answer)
    }

    static let exact =
        #"{"merchant": "Acme Coffee", "date": "2026-12-03", "total": "23.50", "currency": "USD", "items": [{"name": "Latte", "amount": "4.50"}, {"name": "Bagel", "amount": "19.00"}]}"#

    @Test func theExactFieldsPass() async throws {
        let grade = try await grade(Self.exact)
        #expect(grade.outcome == .pass)
        #expect(grade.score == 1)
        let evidence = try #require(grade.fieldsEvidence)
        #expect(evidence.schemaValid && !evidence.prose)
        #expect(evidence.fields.map(\.path) == ["currency", "date", "items", "merchant", "total"])
        #expect(evidence.fields.map(\.truePositives).reduce(0, +) == 6)
    }

    /// The grader reads each case's expected fields once, when it is made; a case it was not
    /// made with, or one whose expected fields have since changed, is graded by its own.
    @Test func aCaseIsGradedByItsOwnExpectedFieldsEvenOneTheGraderWasNotMadeWith() async throws {
        let grader = try grader()
        let changed = Self.exact.replacingOccurrences(of: "23.50", with: "25.00")
        var other = try #require(Self.expected.objectValue)
        other["total"] = "25"
        for id in ["a", "b"] {
            let item = Case(id: id, input: [:], expected: ["fields": .object(other)], line: 3)
            #expect(await grader.grade(item, answer: changed).outcome == .pass, "case \(id)")
            #expect(await grader.grade(item, answer: Self.exact).outcome == .fail, "case \(id)")
        }
    }

    @Test(arguments: [
        // Other writings, another key order, items in another order.
        #"{"items": [{"amount": 19, "name": "bagel"}, {"name": "LATTE", "amount": "$4.5"}], "total": "$23.50", "date": "Dec 3, 2026", "currency": "usd", "merchant": "ACME  coffee"}"#,
        "```json\n\(exact)\n```",
        "Here are the fields:\n\(exact)",
        "Sure! Here you go:\n```\n\(exact)\n```\nLet me know if you need more.",
        #"{"merchant":"Acme Coffee","date":"3 December 2026","total":23.5,"currency":"USD","items":[{"name":"Latte","amount":4.5},{"name":"Bagel","amount":"19.00"}]}"#,
    ])
    func theSameValuesInOtherWritingsPass(answer: String) async throws {
        let grade = try await grade(answer)
        #expect(grade.outcome == .pass, "\(answer): \(grade.evidence)")
    }

    @Test func proseAroundTheJSONIsNoted() async throws {
        #expect(try await grade("Here:\n\(Self.exact)").fieldsEvidence?.prose == true)
        #expect(try await grade("```json\n\(Self.exact)\n```").fieldsEvidence?.prose == false)
    }

    @Test func oneWrongFieldFailsThatFieldOnly() async throws {
        let answer = Self.exact.replacingOccurrences(of: "23.50", with: "25.30")
        let grade = try await grade(answer)
        #expect(grade.outcome == .fail)
        #expect(grade.score == 0.8)
        let evidence = try #require(grade.fieldsEvidence)
        #expect(evidence.fields.filter { !$0.correct }.map(\.path) == ["total"])
        let total = try #require(evidence.fields.first { $0.path == "total" })
        #expect(total.expected == "23.50" && total.extracted == "25.30")
        #expect(total.falsePositives == 1 && total.falseNegatives == 1)
    }

    @Test func aListIsScoredAsASet() async throws {
        let answer = Self.exact.replacingOccurrences(
            of: #"{"name": "Bagel", "amount": "19.00"}"#,
            with: #"{"name": "Muffin", "amount": "19.00"}, {"name": "Tea", "amount": "2.00"}"#)
        let grade = try await grade(answer)
        let items = try #require(grade.fieldsEvidence?.fields.first { $0.path == "items" })
        #expect(!items.correct)
        #expect(items.truePositives == 1 && items.falsePositives == 2 && items.falseNegatives == 1)
    }

    @Test(arguments: [
        ("", "the answer is empty"),
        (#"{"merchant": "Acme", "#, "invalid JSON"),
        (#"Here: {"merchant": "Acme", "#, "never closes"),
        ("The total is 23.50.", "no JSON object"),
        (#"{"merchant": 'Acme'}"#, "at byte"),
        ("```json\n{nope}\n```", "not JSON"),
    ])
    func brokenJSONIsInvalidWithAReason(answer: String, reason: String) async throws {
        let grade = try await grade(answer)
        #expect(grade.outcome == .invalid)
        let evidence = try #require(grade.fieldsEvidence)
        #expect(evidence.jsonError?.contains(reason) == true, "\(evidence.jsonError ?? "nil")")
        #expect(evidence.fields.allSatisfy { !$0.correct && $0.falseNegatives > 0 })
    }

    @Test func schemaViolationsAreInvalidWithTheReason() async throws {
        let missing = try await grade(
            #"{"merchant": "Acme Coffee", "date": "2026-12-03", "total": "23.50", "currency": "USD"}"#)
        #expect(missing.outcome == .invalid)
        #expect(missing.fieldsEvidence?.schemaErrors == ["missing field 'items'"])
        // The fields it did get right still count.
        #expect(missing.fieldsEvidence?.fields.filter(\.correct).count == 4)
        let wrongType = try await grade(Self.exact.replacingOccurrences(of: #""Acme Coffee""#, with: "42"))
        #expect(wrongType.fieldsEvidence?.schemaErrors == ["'merchant' must be text, not a number"])
        let offEnum = try await grade(Self.exact.replacingOccurrences(of: #""USD""#, with: #""EUR""#))
        #expect(offEnum.fieldsEvidence?.schemaErrors == ["'currency' is 'EUR', not one of CNY, USD"])
        let notObject = try await grade("[1, 2]")
        #expect(notObject.fieldsEvidence?.schemaErrors == ["the answer must be an object, not a list"])
    }

    @Test func anExtraFieldBreaksOnlyAStrictSchema() async throws {
        let extra = Self.exact.replacingOccurrences(of: #"{"merchant""#, with: #"{"note": "x", "merchant""#)
        #expect(try await grade(extra, strict: true).outcome == .invalid)
        #expect(try await grade(extra, strict: false).outcome == .pass)
    }

    @Test func nestedObjectsAreFieldsByPath() async throws {
        let declarations: JSONValue = ["buyer": ["name": "string", "tax_id": "string"], "total": "amount"]
        let expected: JSONValue = ["buyer": ["name": "北京某某科技有限公司", "tax_id": "91110000X"], "total": "¥100"]
        let item = Case(id: "a", input: [:], expected: ["fields": expected], line: 3)
        let grade = try await grader(declarations: declarations, expected: expected).grade(
            item, answer: #"{"buyer": {"name": "北京 某某科技有限公司", "tax_id": "91110000Y"}, "total": 100}"#)
        let rows = try #require(grade.fieldsEvidence?.fields)
        #expect(rows.map(\.path) == ["buyer.name", "buyer.tax_id", "total"])
        #expect(rows.map(\.correct) == [true, false, true])
    }

    @Test func badDeclarationsAndExpectationsSayWhere() {
        #expect(throws: InputError.self) { try grader(declarations: ["total": "money"]) }
        do {
            _ = try grader(expected: ["merchant": "A", "date": "someday", "total": "1", "currency": "USD", "items": []])
            Issue.record("an unreadable expected date was accepted")
        } catch {
            #expect(error.description.contains("evalsets/r/cases.jsonl:3"))
            #expect(error.description.contains("'date' is 'someday', not a date"), "\(error)")
            #expect(error.description.contains("case 'a'"))
        }
        do {
            _ = try grader(declarations: ["currency": ["type": "enum"]])
            Issue.record("an enum without values was accepted")
        } catch {
            #expect(error.description.contains("field 'currency': an enum needs 'values'"))
        }
    }

    @Test func theDeclarationsMakeTheSchema() throws {
        let type = try FieldType(declaration: Self.declarations, path: "")
        let schema = type.jsonSchema
        #expect(schema["required"] == ["currency", "date", "items", "merchant", "total"])
        #expect(schema["additionalProperties"] == false)
        #expect(schema["properties"]?["currency"]?["enum"] == ["CNY", "USD"])
        #expect(schema["properties"]?["items"]?["items"]?["required"] == ["amount", "name"])
    }

    /// Model output is hostile: a flood of braces, nesting past any parser's depth, and a
    /// valid object buried after megabytes of prose are graded, never a crash or a hang.
    @Test func hostileAnswersAreGradedNotFeared() async throws {
        let braces = try await grade("Sure: " + String(repeating: "{", count: 2_000_000))
        #expect(braces.outcome == .invalid)
        #expect(braces.fieldsEvidence?.jsonError?.contains("never closes") == true)
        let deep = try await grade(String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000))
        #expect(deep.outcome == .invalid)
        let buried = try await grade(String(repeating: "word ", count: 100_000) + Self.exact)
        #expect(buried.outcome == .pass, "\(buried.fieldsEvidence?.jsonError ?? "")")
        #expect(buried.fieldsEvidence?.prose == true)
    }
}
