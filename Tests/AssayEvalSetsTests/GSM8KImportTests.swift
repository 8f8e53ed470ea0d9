import AssayCore
import AssayEvalSets
import AssayTestSupport
import Testing

@Suite struct GSM8KImportTests {
    @Test func problemsBecomeAMathSuite() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let lines: [JSONValue] = [
            ["question": "A pen costs 3 dollars. How much do 4 pens cost?", "answer": "4 * 3 = <<4*3=12>>12\n#### 12"],
            [
                "question": "A town has 1,200 homes and builds 250 more. How many now?",
                "answer": "1200 + 250 = 1450\n#### 1,450",
            ],
        ]
        let file = try dir.write("gsm.jsonl", lines.map(\.compactJSON).joined(separator: "\n") + "\n")
        #expect(try GSM8KImport.run(file, to: dir.path("gsm")) == 2)
        let suite = try SuiteLoader.load(dir.path("gsm"))
        #expect(suite.kind == .math)
        #expect(suite.grader.name == .numeric)
        #expect(suite.cases.map(\.id) == ["gsm8k-0001", "gsm8k-0002"])
        #expect(suite.cases[1].expected["answer"] == "1450")
        #expect(suite.cases[0].expected["solution"] == "4 * 3 = <<4*3=12>>12")
        #expect(suite.prompt.render(suite.cases[0].input).user == "A pen costs 3 dollars. How much do 4 pens cost?")
    }

    @Test func linesWithoutAFinalNumberAreReported() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let file = try dir.write(
            "bad.jsonl",
            "{\"question\": \"q\", \"answer\": \"no marker\"}\n{\"question\": \"q\", \"answer\": \"#### many\"}\n"
                + "{\"answer\": \"#### 1\"}\n"
                + "{\"id\": \"p1\", \"question\": \"q\", \"answer\": \"#### 1\"}\n{\"id\": \"p1\", \"question\": \"r\", \"answer\": \"#### 2\"}\n"
        )
        let error = #expect(throws: InputError.self) { try GSM8KImport.run(file, to: dir.path("out")) }
        let text = error?.description ?? ""
        #expect(text.contains("bad.jsonl:1: 'answer' must end with '#### N'"))
        #expect(text.contains("bad.jsonl:2: the answer after '####' is not a number: 'many'"))
        #expect(text.contains("bad.jsonl:3: missing required field 'question'"))
        #expect(text.contains("bad.jsonl:5: duplicate id 'p1' (first on line 4)"))
        #expect(!dir.exists("out"))
    }
}

/// The suites Assay ships: each valid, each of the size its issue asks for.
@Suite struct ShippedSuitesTests {
    func cases(_ suite: String) throws -> [Case] {
        try SuiteLoader.load(PackagePaths.root + "/evalsets/" + suite).cases
    }

    @Test func theSuitesHaveTheirSizes() throws {
        let math = try cases("multistep-math")
        #expect(math.count >= 40)
        #expect(math.contains { $0.tags.contains("zh") })
        #expect(
            Set(math.compactMap { $0.expected["answer"]?.stringValue }).contains {
                $0.contains(".") || $0.contains("/")
            }, "non-integer answers")
        let sentiment = try cases("chinese-classification/sentiment")
        let intent = try cases("chinese-classification/intent")
        #expect(sentiment.count + intent.count >= 60)
        let sentimentLabels = Dictionary(grouping: sentiment, by: { $0.expected["label"]?.stringValue ?? "" })
            .mapValues(\.count)
        #expect(sentimentLabels.count == 2 && Set(sentimentLabels.values).count == 1, "balanced: \(sentimentLabels)")
        #expect(
            Set(intent.compactMap { $0.expected["label"]?.stringValue }) == ["billing", "support", "sales", "other"])
        let ocr = try cases("vision-ocr")
        #expect(ocr.count >= 30)
        for tag in ["en", "zh", "mixed", "receipt", "noise", "rotated"] {
            #expect(ocr.contains { $0.tags.contains(tag) }, "an OCR fixture tagged \(tag)")
        }
    }
}
