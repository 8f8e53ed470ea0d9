import AssayAnalysis
import AssayConfig
import AssayCore
import AssayEvalSets
import AssayProviders
import AssayReports
import AssayRunner
import AssayRuns
import AssayStore
import AssayTestServer
import AssayTestSupport
import Foundation
import Testing

/// The math, Chinese classification and OCR suites, run against the test server with
/// scripted answers (some right, some wrong, some ambiguous or empty): the scores, macro-F1
/// and CER come out as an independent count of the script says.
@Suite struct GradedSuitesRunTests {
    static let root = PackagePaths.root + "/evalsets/"

    @Test func everyShippedSuitePassesEveryCheck() {
        for suite in SuiteLoader.suitePaths(under: PackagePaths.root + "/evalsets") {
            #expect(SuiteCheck.problems(at: suite) == [], "\(suite)")
        }
    }

    @Test func scriptedAnswersGiveTheExpectedScoresF1AndCER() async throws {
        let math = try SuiteLoader.load(Self.root + "multistep-math")
        let sentiment = try SuiteLoader.load(Self.root + "chinese-classification/sentiment")
        let ocr = try SuiteLoader.load(Self.root + "vision-ocr")
        let images = try CaseImages.load(ocr)
        var script = TestScript(defaultReply: .init(text: "?"))

        // Math: right, wrong, no number, in turn.
        var mathCounts = (pass: 0, fail: 0, invalid: 0)
        for (index, item) in math.cases.enumerated() {
            let prompt = math.prompt.render(item.input).user
            let answer = item.expected["answer"]?.stringValue ?? ""
            let text: String
            switch index % 3 {
            case 0: (text, mathCounts.pass) = ("Step by step...\nAnswer: \(answer)", mathCounts.pass + 1)
            case 1: (text, mathCounts.fail) = ("Answer: 987654321", mathCounts.fail + 1)
            default: (text, mathCounts.invalid) = ("I am not sure.", mathCounts.invalid + 1)
            }
            script.rules.append(.init(promptEquals: prompt, reply: .init(text: text)))
        }

        // Sentiment: the right label, the other label, both labels (ambiguous), in turn.
        var truthPrediction: [(String, String)] = []
        for (index, item) in sentiment.cases.enumerated() {
            let prompt = sentiment.prompt.render(item.input).user
            let truth = item.expected["label"]?.stringValue ?? ""
            let other = truth == "正面" ? "负面" : "正面"
            let (text, predicted): (String, String) =
                switch index % 3 {
                case 0: ("情感：\(truth)", truth)
                case 1: ("\(other)。", other)
                default: ("可能是正面也可能是负面", "?")
                }
            truthPrediction.append((truth, predicted))
            script.rules.append(.init(promptEquals: prompt, reply: .init(text: text)))
        }

        // OCR: exact text, or the text with "XYZ" appended (3 insertions), in turn.
        var edits = 0, referenceCharacters = 0, ocrPasses = 0
        for (index, item) in ocr.cases.enumerated() {
            let text = item.expected["text"]?.stringValue ?? ""
            let length = text.precomposedStringWithCompatibilityMapping.unicodeScalars.filter {
                !$0.properties.isWhitespace
            }.count
            referenceCharacters += length
            let exact = index % 2 == 0
            if exact { ocrPasses += 1 } else { edits += 3 }
            if !exact && 3.0 / Double(length) <= 0.05 { ocrPasses += 1 }
            guard let image = images[CaseImages.paths(of: item)[0]] else {
                Issue.record("no image for \(item.id)"); return
            }
            script.rules.append(.init(imageEquals: image, reply: .init(text: exact ? text : text + "XYZ")))
        }

        let dir = try TempDirectory()
        defer { dir.remove() }
        let (manifest, store) = try await TestServer.withTestServer(script: script, keepRequests: false) { server in
            try dir.write(
                "catalog.yaml", Fixtures.catalog(baseURL: server.baseURL, models: ["reader-vision", "texter"]))
            let plan = Plan(
                suites: [math.directory, sentiment.directory, ocr.directory], models: ["reader-vision", "texter"],
                concurrency: 8,
                catalog: dir.path("catalog.yaml"), store: dir.path("assay.sqlite"), reports: dir.path("reports"))
            let session = try await RunSession.prepare(plan, environment: [:])
            return (try await session.run(), session.store)
        }
        let summary = try await RunSummary.load(run: manifest.id, from: store)

        for model in summary.models {
            let mathStats = try #require(model.suites.first { $0.suite == "multistep-math" }?.stats)
            #expect(mathStats.passed == mathCounts.pass)
            #expect(mathStats.failed == mathCounts.fail)
            #expect(mathStats.invalid == mathCounts.invalid)
            #expect(mathStats.score == Double(mathCounts.pass) / Double(math.cases.count))

            // Macro-F1 by hand: per label, 2TP / (2TP + FP + FN); ambiguous answers predict nothing.
            let metrics = try #require(model.suites.first { $0.suite == "zh-sentiment" }?.classification)
            var f1s: [Double] = []
            for label in ["正面", "负面"] {
                let tp = truthPrediction.filter { $0.0 == label && $0.1 == label }.count
                let fp = truthPrediction.filter { $0.0 != label && $0.1 == label }.count
                let fn = truthPrediction.filter { $0.0 == label && $0.1 != label }.count
                f1s.append(Double(2 * tp) / Double(2 * tp + fp + fn))
            }
            #expect(abs((metrics.macroF1 ?? -1) - (f1s[0] + f1s[1]) / 2) < 1e-12)
            #expect(metrics.labels.sorted() == ["正面", "负面"].sorted())
            #expect(metrics.confusion.values.reduce(0) { $0 + ($1["(ambiguous)"] ?? 0) } == sentiment.cases.count / 3)
        }

        let reader = try #require(summary.models.first { $0.model == "reader-vision" })
        let ocrSummary = try #require(reader.suites.first { $0.suite == "vision-ocr" })
        let metrics = try #require(ocrSummary.ocr)
        #expect(metrics.characterEdits == edits)
        #expect(metrics.referenceCharacters == referenceCharacters)
        #expect(abs((metrics.cer ?? -1) - Double(edits) / Double(referenceCharacters)) < 1e-12)
        #expect(ocrSummary.stats.passed == ocrPasses)

        // The text-only model is never sent an image: unsupported everywhere, never a zero.
        let texter = try #require(summary.models.first { $0.model == "texter" })
        let unsupported = try #require(texter.suites.first { $0.suite == "vision-ocr" })
        #expect(unsupported.isUnsupported)
        #expect(unsupported.stats.unsupported == ocr.cases.count)
        #expect(unsupported.stats.score == nil)
        let table = SummaryTable.render(summary)
        #expect(table.split(separator: "\n").contains { $0.contains("vision-ocr") && $0.contains("unsupported") })
        #expect(table.contains("reader-vision on vision-ocr: CER"))
        #expect(table.contains("macro-F1"))
        let json = SummaryJSON.document(summary)
        let texterSuites = json["models"]?.arrayValue?.first { $0["model"] == "texter" }?["suites"]?.arrayValue
        let ocrEntry = texterSuites?.first { $0["suite"] == "vision-ocr" }
        #expect(ocrEntry?["status"] == "unsupported")
        #expect(ocrEntry?["score"] == .null)
    }
}
