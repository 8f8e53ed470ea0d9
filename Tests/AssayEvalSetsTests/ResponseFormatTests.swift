import AssayCore
import AssayEvalSets
import AssayTestSupport
import Foundation
import Testing

/// `response_format` in suite.yaml: read, derived from the fields grader's declarations, and
/// every mistake reported at its line.
@Suite struct ResponseFormatTests {
    static let fields = """
        grader:
          name: fields
          fields:
            total: amount
            tags: {type: list, of: string, max_items: 3}
        """

    func load(_ extra: String, grader: String = fields) throws -> (Suite?, [String]) {
        let dir = try TempDirectory()
        defer { dir.remove() }
        _ = try dir.write("s/suite.yaml", "id: my.suite\nkind: extraction\nprompt: \"{{t}}\"\n\(grader)\n\(extra)\n")
        _ = try dir.write(
            "s/cases.jsonl",
            #"{"id": "a", "input": {"t": "x"}, "expected": {"fields": {"total": "1.00", "tags": []}}}"# + "\n")
        let problems = SuiteLoader.validate(dir.path("s")).map {
            $0.description.replacingOccurrences(of: dir.path("s") + "/", with: "")
        }
        return (problems.isEmpty ? try SuiteLoader.load(dir.path("s")) : nil, problems)
    }

    @Test func jsonSchemaIsMadeFromTheFieldsAndStrictByDefault() throws {
        let (suite, problems) = try load("response_format: json_schema")
        #expect(problems.isEmpty, "\(problems)")
        guard case .jsonSchema(let name, let schema, let strict)? = suite?.responseFormat else {
            Issue.record("no json_schema format")
            return
        }
        #expect(name == "my_suite" && strict)
        #expect(schema["required"] == ["tags", "total"])
        #expect(schema["properties"]?["tags"]?["maxItems"] == 3)
    }

    @Test func aMappingSetsStrictNameAndAScheamOfItsOwn() throws {
        let (suite, problems) = try load(
            "response_format: {type: json_schema, strict: false, name: receipt, schema: {type: object}}")
        #expect(problems.isEmpty, "\(problems)")
        #expect(suite?.responseFormat == .jsonSchema(name: "receipt", schema: ["type": "object"], strict: false))
        #expect(try load("response_format: json_object").0?.responseFormat == .jsonObject)
    }

    @Test func mistakesAreReportedAtTheirLine() throws {
        let line = 9  // id, kind, prompt, five lines of grader, then response_format
        #expect(
            try load("response_format: xml").1 == [
                "suite.yaml:\(line): 'response_format' must be json_object, json_schema, or a mapping with type, strict, name, schema"
            ])
        #expect(
            try load("response_format: {type: json_schema, strict: maybe}").1 == [
                "suite.yaml:\(line): 'response_format.strict' must be true or false"
            ])
        #expect(
            try load("response_format: {type: json_schema, name: a b}").1.first?.contains(
                "'response_format.name' may use only letters") == true)
        #expect(
            try load("response_format: {type: json_object, schema: {type: object}}").1 == [
                "suite.yaml:\(line): a json_object response_format takes no schema; use type json_schema"
            ])
        #expect(
            try load("response_format: {type: json_schema, colour: red}").1.first?.contains("unknown key 'colour'")
                == true)
        let labelGrader = "grader:\n  name: label\n  labels: [a, b]\n\n"
        #expect(
            try load("response_format: json_schema", grader: labelGrader).1.contains(
                "suite.yaml:\(line): a json_schema response_format needs a 'schema', or a fields grader whose 'fields' make one"
            ))
    }
}
