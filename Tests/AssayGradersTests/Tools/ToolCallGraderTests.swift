import AssayCore
import Testing

@testable import AssayGraders

/// The tools grader's verdicts, one BFCL rule at a time, and the mismatch it names.
@Suite struct ToolCallGraderTests {
    static let area: JSONValue = [
        "name": "geometry.area", "description": "Area of a shape.",
        "parameters": [
            "type": "dict",
            "properties": [
                "shape": ["type": "string"], "base": ["type": "float"], "height": ["type": "integer"],
                "unit": ["type": "string"],
                "tags": ["type": "array", "items": ["type": "string"]], "options": ["type": "dict", "properties": [:]],
            ],
            "required": ["shape", "base"],
        ],
    ]
    static let weather: JSONValue = [
        "type": "function",
        "function": [
            "name": "get_weather",
            "parameters": [
                "type": "object", "properties": ["city": ["type": "string"], "days": ["type": "integer"]],
                "required": ["city"],
            ],
        ],
    ]

    static func grade(_ calls: [ToolCall], expected: JSONValue, tools: [JSONValue] = [area, weather]) throws -> Grade {
        let item = Case(
            id: "c", input: ["messages": [["role": "user", "content": "?"]], "tools": .array(tools)],
            expected: expected, line: 1)
        let suite = Suite(
            id: "t", title: "t", kind: .tools, grader: GraderSpec(name: .tools), prompt: PromptTemplate(template: ""),
            cases: [item], directory: ".")
        let grader = try ToolCallGrader(settings: [:], suite: suite)
        return grader.grade(item, calls: calls)
    }

    static let oneArea: JSONValue = [
        "calls": [
            [
                "geometry.area": [
                    "shape": ["triangle"], "base": [10.0], "height": [5, ""], "unit": ["cm", "centimeters", ""],
                    "tags": [["a", "b"], ""],
                ]
            ]
        ]
    ]

    static func call(_ name: String, _ arguments: String) -> ToolCall { ToolCall(name: name, argumentsText: arguments) }

    static func mismatch(_ grade: Grade) -> ToolCallMismatch? { ToolCallMismatch(evidence: grade.evidence) }

    @Test func theRightCallPassesWithAnIntForAFloatAndNormalisedStrings() throws {
        let grade = try Self.grade(
            [Self.call("geometry.area", #"{"shape": "Tri-angle", "base": 10, "unit": "Centi Meters"}"#)],
            expected: Self.oneArea)
        #expect(grade.outcome == .pass, "\(grade)")
        #expect(ToolCall.calls(in: grade.evidence)?.first?.name == "geometry.area")
    }

    @Test func aCallUnderTheWiresNameForADottedFunctionIsACallToIt() throws {
        let grade = try Self.grade(
            [Self.call("geometry_area", #"{"shape": "triangle", "base": 10}"#)], expected: Self.oneArea)
        #expect(grade.outcome == .pass, "\(grade)")
        let other = try Self.grade(
            [Self.call("geometry-area", #"{"shape": "triangle", "base": 10}"#)], expected: Self.oneArea)
        #expect(Self.mismatch(other)?.kind == .wrongFunction)
    }

    @Test func eachKindOfMistakeIsNamed() throws {
        let cases: [(String, String, ToolCallMismatch.Kind, String?)] = [
            ("get_weather", #"{"city": "Paris"}"#, .wrongFunction, nil),
            ("geometry.area", #"{"shape": "triangle"}"#, .missingParameter, "base"),
            ("geometry.area", #"{"shape": "triangle", "base": 10, "colour": "red"}"#, .unexpectedParameter, "colour"),
            ("geometry.area", #"{"shape": "triangle", "base": "10"}"#, .badType, "base"),
            ("geometry.area", #"{"shape": "triangle", "base": 10, "height": 5.0}"#, .badType, "height"),
            ("geometry.area", #"{"shape": "square", "base": 10}"#, .badValue, "shape"),
            ("geometry.area", #"{"shape": "triangle", "base": 10, "tags": ["b", "a"]}"#, .badValue, "tags"),
            ("geometry.area", #"{"shape": "triangle", "base": 10"#, .invalidArguments, nil),
        ]
        for (name, arguments, kind, parameter) in cases {
            let grade = try Self.grade([Self.call(name, arguments)], expected: Self.oneArea)
            let mismatch = try #require(Self.mismatch(grade), "\(arguments) passed")
            #expect(mismatch.kind == kind, "\(arguments): \(mismatch.description)")
            if let parameter { #expect(mismatch.parameter == parameter, "\(arguments): \(mismatch.description)") }
            #expect(grade.outcome == (kind == .invalidArguments ? .invalid : .fail))
        }
    }

    @Test func aParameterNotMarkedOmittableMustBeGiven() throws {
        let expected: JSONValue = ["calls": [["get_weather": ["city": ["Paris"], "days": [3]]]]]
        let grade = try Self.grade([Self.call("get_weather", #"{"city": "paris"}"#)], expected: expected)
        #expect(Self.mismatch(grade)?.kind == .missingParameter)
        #expect(Self.mismatch(grade)?.parameter == "days")
    }

    @Test func parallelCallsMatchInAnyOrderOneToOne() throws {
        let expected: JSONValue = [
            "calls": [["get_weather": ["city": ["Paris"]]], ["get_weather": ["city": ["Rome"]]]]
        ]
        let swapped = [Self.call("get_weather", #"{"city": "Rome"}"#), Self.call("get_weather", #"{"city": "Paris"}"#)]
        #expect(try Self.grade(swapped, expected: expected).outcome == .pass)
        let twice = [Self.call("get_weather", #"{"city": "Rome"}"#), Self.call("get_weather", #"{"city": "Rome"}"#)]
        #expect(try Self.mismatch(Self.grade(twice, expected: expected))?.kind == .badValue)
        let one = [Self.call("get_weather", #"{"city": "Rome"}"#)]
        #expect(try Self.mismatch(Self.grade(one, expected: expected))?.kind == .wrongNumberOfCalls)
    }

    @Test func irrelevancePassesOnlyWithNoCall() throws {
        #expect(try Self.grade([], expected: ["no_call": true]).outcome == .pass)
        let grade = try Self.grade([Self.call("get_weather", "{}")], expected: ["no_call": true])
        #expect(Self.mismatch(grade)?.kind == .unwantedCall)
        #expect(try Self.mismatch(Self.grade([], expected: Self.oneArea))?.kind == .wrongNumberOfCalls)
    }

    /// BFCL's relevance check decodes the calls first: arguments that are not a JSON object
    /// (or blank) make no call. Where none is wanted that passes; where one is, it fails.
    @Test func callsThatCannotBeReadAreNoCallAsBFCLDecodesThem() throws {
        for text in [#"{"city": "Oslo""#, "[1, 2]", "", "null"] {
            let unreadable = Self.call("get_weather", text)
            #expect(try Self.grade([unreadable], expected: ["no_call": true]).outcome == .pass, "\(text)")
            #expect(
                try Self.grade([Self.call("get_weather", "{}"), unreadable], expected: ["no_call": true]).outcome
                    == .pass, "\(text)")
            let relevance = try Self.grade([unreadable], expected: ["any_call": true])
            #expect(relevance.outcome == .invalid, "\(text)")
            #expect(Self.mismatch(relevance)?.kind == .invalidArguments)
            #expect(try Self.grade([unreadable], expected: Self.oneArea).outcome != .pass)
        }
        #expect(
            try Self.grade([Self.call("get_weather", #"{"city": "Oslo"}"#)], expected: ["any_call": true]).outcome
                == .pass)
    }

    @Test func aNestedDictIsCheckedKeyByKey() throws {
        let tools: [JSONValue] = [
            [
                "name": "book",
                "parameters": [
                    "type": "dict", "properties": ["guest": ["type": "dict", "properties": [:]]], "required": ["guest"],
                ],
            ]
        ]
        let expected: JSONValue = ["calls": [["book": ["guest": [["name": ["Ann Lee"], "age": [30, ""]]]]]]]
        #expect(
            try Self.grade([Self.call("book", #"{"guest": {"name": "ann lee"}}"#)], expected: expected, tools: tools)
                .outcome == .pass)
        #expect(
            try Self.grade(
                [Self.call("book", #"{"guest": {"name": "Ann Lee", "age": 31}}"#)], expected: expected, tools: tools
            ).outcome == .fail)
        #expect(
            try Self.grade(
                [Self.call("book", #"{"guest": {"name": "Ann Lee", "vip": true}}"#)], expected: expected, tools: tools
            ).outcome == .fail)
    }

    @Test func aMalformedCaseIsAFileLineError() {
        let item = Case(
            id: "bad", input: ["messages": [["role": "user", "content": "?"]], "tools": [Self.weather]],
            expected: ["calls": [["nope": [:]]]], line: 7)
        let suite = Suite(
            id: "t", title: "t", kind: .tools, grader: GraderSpec(name: .tools), prompt: PromptTemplate(template: ""),
            cases: [item], directory: "s")
        #expect {
            try ToolCallGrader(settings: [:], suite: suite)
        } throws: { error in
            "\(error)".contains("s/cases.jsonl:7") && "\(error)".contains("'nope'")
        }
    }
}
