import AssayCore
import AssayEvalSets
import AssayTestSupport
import Testing

@Suite struct SuiteLoaderTests {
    /// Writes a suite directory and returns its path.
    func suite(_ dir: TempDirectory, yaml: String, cases: String?, name: String = "s") throws -> String {
        try dir.write("\(name)/suite.yaml", yaml)
        if let cases { try dir.write("\(name)/cases.jsonl", cases) }
        return dir.path(name)
    }

    @Test func aValidSuiteLoads() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let fixture = Fixtures.sentimentSuite(count: 3)
        let path = try suite(dir, yaml: fixture.yaml, cases: fixture.cases)
        let loaded = try SuiteLoader.load(path)
        #expect(loaded.id == "mini")
        #expect(loaded.kind == .classification)
        #expect(loaded.grader.name == .exactLabel)
        #expect(loaded.cases.map(\.id) == ["c1", "c2", "c3"])
        #expect(loaded.cases[1].line == 2)
        #expect(loaded.generation.maxTokens == 8)
        #expect(loaded.prompt.render(loaded.cases[0].input).user == Fixtures.sentimentPrompt(1))
        #expect(SuiteLoader.validate(path).isEmpty)
    }

    @Test func theShippedSmokeSuiteIsValid() {
        #expect(SuiteLoader.validate(PackagePaths.root + "/evalsets/smoke-sentiment") == [])
    }

    @Test func invalidYAMLIsReportedWithItsLine() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = try suite(dir, yaml: "id: x\nkind: code\nprompt: {template: \"a\"\ngrader: exact-label\n", cases: "")
        let problems = SuiteLoader.validate(path)
        #expect(problems.count == 1)
        #expect(problems.first?.file == path + "/suite.yaml")
        #expect(problems.first?.line == 4)
        #expect(problems.first?.message.hasPrefix("invalid YAML") == true)
    }

    @Test func everySuiteProblemIsReportedAtOnce() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let yaml = """
            title: Broken
            kind: poetry
            grader: vibes
            prompt:
              template: "Q: {{question}} {{context}}"
            requires: [text, smell]
            colour: blue
            """
        let path = try suite(
            dir, yaml: yaml, cases: #"{"id": "a", "input": {"question": "q"}, "expected": "x"}"# + "\n")
        let messages = SuiteLoader.validate(path).map(\.description)
        let file = path + "/suite.yaml"
        #expect(messages.contains("\(file):1: missing required field 'id'"))
        #expect(
            messages.contains(
                "\(file):2: unknown kind 'poetry'; expected one of: code, math, classification, ocr, transcription, tools, extraction, chat, long-context, agent"
            ))
        #expect(messages.contains { $0.hasPrefix("\(file):3: unknown grader 'vibes'; expected one of: exact-label") })
        #expect(messages.contains { $0.hasPrefix("\(file):6: unknown capability 'smell'") })
        #expect(messages.contains { $0.hasPrefix("\(file):7: unknown key 'colour' in suite.yaml") })
        // The cases are still checked: the template's {{context}} slot has no field.
        #expect(
            messages.contains(
                "\(path)/cases.jsonl:1: template slot '{{context}}' has no field 'context' in this case's input"))
    }

    @Test func everyCaseProblemIsReportedWithItsLine() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let fixture = Fixtures.sentimentSuite()
        let cases = [
            #"{"id": "a", "input": {"review": "fine"}, "expected": {"label": "positive"}}"#,  // 1: fine
            #"{"id": "b", "input": {"review": "x"}, "expected": {"label": "negative"}"#,  // 2: unclosed
            "",  // 3: blank lines are allowed
            #"{"input": {"review": "x"}, "expected": {"label": "negative"}}"#,  // 4: no id
            #"{"id": "a", "input": {"review": "again"}, "expected": {"label": "negative"}}"#,  // 5: duplicate
            #"{"id": "c", "input": {"text": "wrong field"}, "expected": {"label": "negative"}}"#,  // 6: slot
            // 7: file
            #"{"id": "d", "input": {"review": "x", "image": "images/missing.png"}, "expected": {"label": "x"}}"#,
            #"{"id": "e", "input": {"review": "x"}}"#,  // 8: no expected
            #"["not", "an", "object"]"#,  // 9
            #"{"id": "f", "input": "text", "expected": "x", "tags": "one", "extra": 1}"#,  // 10
        ].joined(separator: "\n")
        let path = try suite(dir, yaml: fixture.yaml, cases: cases)
        let file = path + "/cases.jsonl"
        let messages = SuiteLoader.validate(path).map(\.description)
        #expect(messages.contains { $0.hasPrefix("\(file):2: invalid JSON") })
        #expect(messages.contains("\(file):4: missing required field 'id'"))
        #expect(messages.contains("\(file):5: duplicate case id 'a' (first used on line 1)"))
        #expect(messages.contains("\(file):6: template slot '{{review}}' has no field 'review' in this case's input"))
        #expect(
            messages.contains { $0.hasPrefix("\(file):7: referenced file 'images/missing.png': the file is missing") })
        #expect(messages.contains("\(file):8: missing required field 'expected'"))
        #expect(messages.contains("\(file):9: each line must be a JSON object with id, input and expected"))
        #expect(messages.contains("\(file):10: 'input' must be an object of template fields"))
        #expect(messages.contains("\(file):10: 'tags' must be a list of text"))
        #expect(messages.contains { $0.hasPrefix("\(file):10: unknown field 'extra'") })
        #expect(!messages.contains { $0.hasPrefix("\(file):1:") }, "the good line has no problem")
        #expect(throws: InputError.self) { try SuiteLoader.load(path) }
    }

    @Test func missingFilesAreNamed() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let fixture = Fixtures.sentimentSuite()
        let path = try suite(dir, yaml: fixture.yaml + "\ncases: other.jsonl\n", cases: fixture.cases)
        #expect(
            SuiteLoader.validate(path).map(\.description) == [
                "\(path)/other.jsonl: missing referenced file: the cases file does not exist"
            ])
        #expect(SuiteLoader.validate(dir.path("nothing-here")).map(\.message) == ["no such suite directory"])
        try dir.write("empty/readme.txt", "")
        #expect(
            SuiteLoader.validate(dir.path("empty")).map(\.message) == [
                "no suite.yaml in this directory or in any directory below it"
            ])
    }

    @Test func anExistingImageReferenceIsAccepted() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let fixture = Fixtures.sentimentSuite()
        try dir.write("s/images/one.png", "not really a png")
        let cases =
            #"{"id": "a", "input": {"review": "x", "image": ["images/one.png"]}, "expected": {"label": "positive"}}"#
        let path = try suite(dir, yaml: fixture.yaml, cases: cases)
        #expect(SuiteLoader.validate(path) == [])
    }

    @Test func aDirectoryOfSuitesListsEachSuite() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let fixture = Fixtures.sentimentSuite()
        _ = try suite(dir, yaml: fixture.yaml, cases: fixture.cases, name: "b")
        _ = try suite(dir, yaml: fixture.yaml, cases: fixture.cases, name: "a")
        try dir.write("notes/readme.md", "")
        #expect(SuiteLoader.suitePaths(under: dir.path) == [dir.path("a"), dir.path("b")])
        #expect(SuiteLoader.suitePaths(under: dir.path("a")) == [dir.path("a")])
    }
}

@Suite struct PromptTemplateTests {
    @Test func slotsAreFilledAndMissingOnesReported() {
        let template = PromptTemplate(
            system: "You grade {{ subject }}.",
            template: "Q: {{question}}\nData: {{data}} {{ missing }} {{not a slot}} {{}}")
        #expect(template.slots == ["subject", "question", "data", "missing"])
        let rendered = template.render(["subject": "math", "question": "2+2?", "data": ["a": 1]])
        #expect(rendered.system == "You grade math.")
        #expect(rendered.user == "Q: 2+2?\nData: {\"a\":1} {{ missing }} {{not a slot}} {{}}")
        #expect(rendered.missing == ["missing"])
    }

    @Test func slotsAmongWideTextAndExtraBracesAreFoundWhereTheyAre() {
        let template = PromptTemplate(template: "中文{{x}}文 {{{y}}} {{ z }}}")
        #expect(template.slots == ["x", "z"])
        #expect(template.render(["x": "甲", "y": "no", "z": "乙"]).user == "中文甲文 {{{y}}} 乙}")
    }

    @Test func valuesAreNotReinterpreted() {
        // A field value that itself looks like a slot stays as written.
        let template = PromptTemplate(template: "{{a}}")
        #expect(template.render(["a": "{{b}}", "b": "no"]).user == "{{b}}")
    }
}

/// `lines` splits in UTF-8 bytes; a split by Character (what it was) is the reference.
@Suite struct LinesTests {
    @Test(arguments: [
        "", "a", "a\n", "\n", "\n\n", "a\r\nb\rc\nd", "\r\n\r\n", "a\r", "\r", "中文\n\u{301}é\r\ne\u{301}\n😀",
        "x\u{2028}y\u{85}z\n", "a\n\r\nb",
    ])
    func linesAreThoseASplitByCharacterFinds(_ text: String) {
        for omitting in [false, true] {
            let reference = text.split(omittingEmptySubsequences: omitting) {
                $0 == "\n" || $0 == "\r\n" || $0 == "\r"
            }
            #expect(text.lines(omittingEmpty: omitting) == reference, "\(text.debugDescription) omitting \(omitting)")
        }
    }
}
