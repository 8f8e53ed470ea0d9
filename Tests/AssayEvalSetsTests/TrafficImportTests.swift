import AssayConfig
import AssayCore
import AssayEvalSets
import AssayTestSupport
import Foundation
import Testing

@Suite struct TrafficImportTests {
    /// Writes `lines` (one JSON text each) as a .jsonl file.
    func sample(_ dir: TempDirectory, _ lines: [String], name: String = "sample.jsonl") throws -> String {
        try dir.write(name, lines.joined(separator: "\n") + "\n")
    }

    @Test func everyLineShapeBecomesACaseWithItsMessages() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let file = try sample(
            dir,
            [
                #"{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi there"}], "id": "a1", "tags": ["support"]}"#,
                #"{"prompt": "Translate 'cat' to French", "label": "chat"}"#,
                #"{"model": "gpt-4o", "temperature": 0.2, "user": "u-17", "stream": true, "messages": [{"role": "developer", "content": [{"type": "text", "text": "Rules"}]}, {"role": "user", "content": [{"type": "text", "text": "first part"}, {"type": "text", "text": "second part"}]}]}"#,
                "",
                #"{"messages": [{"role": "user", "content": "Q1"}, {"role": "assistant", "content": "A1"}, {"role": "user", "content": "Q2"}], "id": 7, "reference": "A2"}"#,
            ])
        let summary = try TrafficImport.run(file, to: dir.path("prod"))
        #expect(summary.cases == 4 && summary.skipped == 0)
        let suite = try SuiteLoader.load(dir.path("prod"))
        #expect(suite.id == "prod" && suite.kind == .chat)
        #expect(suite.grader.name == .answered, "one label and one reference in four: nothing to judge by")
        #expect(suite.cases.map(\.id) == ["a1", "traffic-0002", "traffic-0003", "7"])
        #expect(
            suite.cases[0].input["messages"]
                == [["role": "system", "content": "Be brief."], ["role": "user", "content": "Hi there"]])
        #expect(suite.cases[1].input["messages"] == [["role": "user", "content": "Translate 'cat' to French"]])
        // A logged body: the model is a tag, the developer message a system one, the text parts
        // one a line, and nothing else of the body is kept (no user id, no temperature).
        #expect(
            suite.cases[2].input["messages"]
                == [["role": "system", "content": "Rules"], ["role": "user", "content": "first part\nsecond part"]])
        #expect(suite.cases[2].tags == ["model:gpt-4o"])
        #expect(!(try dir.read("prod/cases.jsonl")).contains("u-17"))
        #expect(suite.cases[0].tags == ["support"])
        #expect(suite.cases[1].expected == ["label": "chat"] && suite.cases[3].expected == ["text": "A2"])
        // The prompt a routing rule matches: the last user message, verbatim.
        #expect(
            suite.cases.map { CaseMessages.routedText(of: $0) } == [
                "Hi there", "Translate 'cat' to French", "first part\nsecond part", "Q2",
            ])
        #expect(dir.exists("prod/traffic.yaml"))
    }

    @Test func badLinesAreReportedAtTheirLinesAndNothingIsWritten() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let file = try sample(
            dir,
            [
                #"{"prompt": "fine", "id": "p1"}"#,
                #"not json"#,
                #"{"id": "x"}"#,
                #"{"prompt": "a", "messages": [{"role": "user", "content": "b"}]}"#,
                #"{"prompt": "a", "refrence": "typo"}"#,
                #"{"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:..."}}]}]}"#,
                #"{"messages": [{"role": "user", "content": "q"}, {"role": "tool", "content": "42"}]}"#,
                #"{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]}"#,
                #"{"messages": [{"role": "system", "content": "only rules"}]}"#,
                #"{"prompt": "a", "tags": "urgent"}"#,
                #"{"prompt": "again", "id": "p1"}"#,
                #"{"prompt": ""}"#,
                #"{"messages": []}"#,
                #"{"messages": [{"role": "user"}]}"#,
                #"{"prompt": "a", "label": ["x"]}"#,
            ])
        let error = #expect(throws: InputError.self) { try TrafficImport.run(file, to: dir.path("out")) }
        let text = error?.description ?? ""
        let expected = [
            "sample.jsonl:2: not a JSON object",
            "sample.jsonl:3: missing 'messages' (a list of messages) or 'prompt' (the user's text)",
            "sample.jsonl:4: give either 'messages' or 'prompt', not both",
            "sample.jsonl:5: unknown field 'refrence'; expected: messages, prompt, reference, label, id, tags",
            "sample.jsonl:6: messages[0].content[0] is an 'image_url' part: only text is imported",
            "sample.jsonl:7: messages[1] is a 'tool' message: only system, user and assistant messages are imported",
            "sample.jsonl:8: the last message is the assistant's: a request ends with the user's turn",
            "sample.jsonl:9: no user message",
            "sample.jsonl:10: 'tags' must be a list of non-empty text",
            "sample.jsonl:11: duplicate id 'p1' (first on line 1)",
            "sample.jsonl:12: 'prompt' must be non-empty text",
            "sample.jsonl:13: 'messages' must be a non-empty list of messages",
            "sample.jsonl:14: messages[0] has no 'content'",
            "sample.jsonl:15: 'label' must be text",
        ]
        for message in expected {
            #expect(text.contains(message), "\(message)\nin:\n\(text)")
        }
        #expect(error?.diagnostics.count == expected.count, "\(text)")
        #expect(!dir.exists("out"))
    }

    @Test func skipNonTextLeavesMediaRequestsOut() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let file = try sample(
            dir,
            [
                #"{"prompt": "text only"}"#,
                #"{"messages": [{"role": "user", "content": [{"type": "text", "text": "what is this"}, {"type": "image_url", "image_url": {"url": "https://x/y.png"}}]}]}"#,
            ])
        let summary = try TrafficImport.run(file, to: dir.path("out"), skipNonText: true)
        #expect(summary.cases == 1 && summary.skipped == 1)
        #expect(try SuiteLoader.load(dir.path("out")).cases.map(\.id) == ["traffic-0001"])

        let only = try sample(
            dir, [#"{"messages": [{"role": "user", "content": [{"type": "input_audio"}]}]}"#], name: "a.jsonl")
        let error = #expect(throws: InputError.self) {
            try TrafficImport.run(only, to: dir.path("none"), skipNonText: true)
        }
        #expect(error?.description.contains("no requests left: all 1 had parts that are not text") == true)
    }

    @Test(arguments: [
        (#""label": "refund""#, #""label": "other""#, GraderName.exactLabel),
        (#""reference": "Paris.""#, #""reference": "Four.""#, .ocr),
        (#""label": "refund""#, #""reference": "Four.""#, .answered),
        (#""tags": ["a"]"#, #""tags": ["b"]"#, .answered),
    ])
    func theGraderFollowsWhatTheSampleHolds(first: String, second: String, grader: GraderName) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let file = try sample(dir, [#"{"prompt": "one", "# + first + "}", #"{"prompt": "two", "# + second + "}"])
        let summary = try TrafficImport.run(file, to: dir.path("out"))
        #expect(summary.grader == grader)
        let suite = try SuiteLoader.load(dir.path("out"))
        #expect(suite.grader.name == grader)
        if grader == .ocr { #expect(suite.grader.settings["cer_threshold"] == 0.05) }
        #expect((try dir.read("out/suite.yaml")).contains("# " + summary.grading))
    }

    @Test func theSameSampleGivesTheSameBytes() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        var lines: [String] = []
        for index in 0..<60 {
            let tags = index % 3 == 0 ? #", "tags": ["billing", "vip"]"# : index % 3 == 1 ? #", "tags": ["vip"]"# : ""
            let text = index % 4 == 0 ? "退款问题 \(index)" : "Question \(index) from a@b.co"
            lines.append(#"{"prompt": ""# + text + #"", "label": "l\#(index % 2)""# + tags + "}")
        }
        let file = try sample(dir, lines)
        let redaction = try Redaction(named: ["email"], custom: [])
        try TrafficImport.run(file, to: dir.path("one"), id: "prod", redaction: redaction)
        try TrafficImport.run(file, to: dir.path("two"), id: "prod", redaction: redaction)
        for name in ["suite.yaml", "cases.jsonl", "traffic.yaml"] {
            #expect(
                try Data(contentsOf: URL(fileURLWithPath: dir.path("one/" + name)))
                    == Data(contentsOf: URL(fileURLWithPath: dir.path("two/" + name))), "\(name)")
        }
    }

    /// The derived mix, read back as `--traffic` reads it, gives each share exactly the
    /// requests it was counted for: the first share that matches an item takes it.
    @Test func theDerivedMixReproducesTheSampleCounts() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let file = try sample(
            dir,
            [
                #"{"prompt": "refund please", "tags": ["billing"]}"#,
                #"{"prompt": "refund now", "tags": ["vip", "billing"]}"#,
                #"{"prompt": "upgrade", "tags": ["vip"]}"#,
                #"{"model": "m1", "messages": [{"role": "user", "content": "hello"}]}"#,
                #"{"prompt": "你好"}"#,
                #"{"prompt": "你好 hello"}"#,
                #"{"prompt": "plain words"}"#,
                #"{"prompt": "more plain words"}"#,
                #"{"prompt": "12345 ??"}"#,
            ])
        let summary = try TrafficImport.run(file, to: dir.path("prod"))
        #expect(
            summary.shares.map(\.name) == [
                "tag:billing", "tag:model:m1", "tag:vip", "script:han", "script:latin", "script:mixed", "other",
            ])
        #expect(summary.shares.map(\.weight) == [2, 1, 1, 1, 2, 1, 1])
        let mix = try TrafficMixFile.load(dir.path("prod/traffic.yaml"))
        #expect(mix.shares == summary.shares)
        let suite = try SuiteLoader.load(dir.path("prod"))
        var taken: [String: Double] = [:]
        for item in suite.cases {
            let prompt = CaseMessages.routedText(of: item)
            let share = mix.shares.first {
                $0.match.matches(suite: suite.id, kind: .chat, tags: item.tags, prompt: prompt)
            }
            taken[share?.name ?? "none", default: 0] += 1
            #expect(
                !mix.shares.contains {
                    $0.match.matches(suite: "other-suite", kind: .chat, tags: item.tags, prompt: prompt)
                },
                "the mix weighs this sample's items only")
        }
        #expect(taken == Dictionary(uniqueKeysWithValues: summary.shares.map { ($0.name, $0.weight) }))
    }

    /// A pattern the static check lets through (no nested repeat) but that is polynomial on
    /// the text: the line is refused within the time limit, and nothing is written.
    @Test func aPatternThatRunsLongRefusesTheLineInsteadOfHanging() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let file = try dir.write(
            "s.jsonl",
            #"{"prompt": "short"}"# + "\n" + #"{"prompt": ""# + String(repeating: "a", count: 20_000) + #""}"# + "\n")
        let redaction = try Redaction(named: [], custom: ["slow=\\w*\\w*\\w*#"])
        let clock = ContinuousClock()
        let start = clock.now
        let error = #expect(throws: InputError.self) {
            try TrafficImport.run(file, to: dir.path("out"), redaction: redaction)
        }
        #expect(clock.now - start < .seconds(20))
        #expect(
            error?.description.contains(
                "s.jsonl:2: redacting 'slow' took more than 2.0 s on this request: nothing was written")
                == true, "\(error?.description ?? "")")
        #expect(!dir.exists("out"))
    }
}
