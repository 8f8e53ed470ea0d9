import AssayCore
import AssayEvalSets
import AssayTestSupport
import Foundation
import Testing

@testable import AssayGraders
@testable import AssayProviders

/// Assay's tools grader against BFCL's own checker, on BFCL's own single-turn data.
///
/// `scripts/test` unpacks PyPI's bfcl-eval wheel (pinned) into the folder `ASSAY_BFCL` names
/// and runs `scripts/bfcl-reference`, which writes, for every case of the eleven single-turn
/// categories, eleven answers (the right calls three ways, seven kinds of mistake (two are
/// arguments that are not a JSON object), plain text; and the right calls under the wire's
/// names where a function's name has a dot)
/// with the verdict of BFCL's `ast_checker` on each, to `assay-reference.jsonl` there. Each
/// answer is graded here three ways: as calls, read from a stream of fragments (under the
/// wire's names), and read from a whole response; the three must agree, and with BFCL on at
/// least 99.5% of pairs. The suites `assay import bfcl` writes, loaded back from their files,
/// must grade every answer as the data itself does (a whole float stays a float: `5.0` is
/// written and read back as `5.0`, and BFCL's checker tells it from `5`). Skipped without the folder; `scripts/test` requires it to have passed.
@Suite struct BFCLAgreementTests {
    static var root: String? {
        guard let path = ProcessInfo.processInfo.environment["ASSAY_BFCL"],
            FileManager.default.fileExists(atPath: path + "/assay-reference.jsonl")
        else { return nil }
        return path
    }

    struct Reference: Decodable {
        struct Call: Decodable {
            var name: String
            var arguments: String
        }

        var id: String
        var category: String
        var answer: String
        var tool_calls: [Call]?
        var content: String?
        var bfcl_valid: Bool?
        var bfcl_error: String?
    }

    @Test(.enabled(if: root != nil, "ASSAY_BFCL names no folder with assay-reference.jsonl"))
    func assayAgreesWithBFCLsCheckerOnItsOwnData() async throws {
        let root = try #require(Self.root)
        let data = root + "/bfcl_eval/data"
        var graders: [String: ToolCallGrader] = [:]
        var cases: [String: Case] = [:]
        for category in BFCLImport.categories {
            let items = try BFCLImport.items(category: category, data: data).map(\.asCase)
            let suite = Suite(
                id: category, title: category, kind: .tools, grader: GraderSpec(name: .tools),
                prompt: PromptTemplate(template: ""),
                cases: items, directory: data)
            graders[category] = try ToolCallGrader(settings: [:], suite: suite)
            for item in items { cases[item.id] = item }
        }
        // The same cases as `assay import bfcl` writes them, read back from the files.
        let scratch = try TempDirectory("bfcl-import")
        defer { try? FileManager.default.removeItem(atPath: scratch.path) }
        try BFCLImport.run(data, to: scratch.path)
        var fileGraders: [String: ToolCallGrader] = [:]
        var fileCases: [String: Case] = [:]
        for category in BFCLImport.categories {
            let suite = try SuiteLoader.load(scratch.path(BFCLImport.suiteID(category)))
            fileGraders[category] = try ToolCallGrader(settings: suite.grader.settings, suite: suite)
            for item in suite.cases { fileCases[item.id] = item }
        }
        var fileDisagreements: [String] = []
        let lines = try String(contentsOfFile: root + "/assay-reference.jsonl", encoding: .utf8).split(separator: "\n")
        let decoder = JSONDecoder()
        var pairs = 0
        var checkerErrors = 0
        var disagreements: [String] = []
        var byKind: [String: Int] = [:]
        var readingDiffers: [String] = []
        for line in lines {
            let reference = try decoder.decode(Reference.self, from: Data(line.utf8))
            let item = try #require(cases[reference.id], "no case \(reference.id)")
            let grader = try #require(graders[reference.category])
            guard let bfcl = reference.bfcl_valid else {
                checkerErrors += 1
                continue
            }
            pairs += 1
            let calls = (reference.tool_calls ?? []).map { ToolCall(name: $0.name, argumentsText: $0.arguments) }
            let grade = grader.grade(item, calls: calls)
            if (grade.outcome == .pass) != bfcl {
                let mismatch = ToolCallMismatch(evidence: grade.evidence)?.description ?? "passed"
                disagreements.append(
                    "\(reference.id) \(reference.answer): BFCL \(bfcl ? "passes" : "fails (\(reference.bfcl_error ?? "?"))"), Assay \(grade.outcome.rawValue): \(mismatch)"
                )
                byKind["\(reference.category)/\(reference.answer)", default: 0] += 1
            }
            let fromFile = try #require(fileGraders[reference.category]).grade(
                try #require(fileCases[reference.id]), calls: calls)
            if fromFile.outcome != grade.outcome {
                fileDisagreements.append(
                    "\(reference.id) \(reference.answer): the data \(grade.outcome.rawValue), the imported suite \(fromFile.outcome.rawValue)"
                )
            }
            let names = ToolNames((item.input["tools"]?.arrayValue ?? []).compactMap(ToolDefinition.init).map(\.name))
            let streamed = try Self.streamed(reference, names: names)
            let whole = try Self.whole(reference, names: names)
            for (how, completion) in [("streamed", streamed), ("whole", whole)] {
                let read = await grader.grade(item, completion: completion)
                let readCalls = (completion.toolCalls ?? []).map { [$0.name, $0.argumentsText] }
                // Read from the wire, a call under a wire name comes back under its declared one.
                if read.outcome != grade.outcome
                    || readCalls != calls.map({ [names.declaredName($0.name), $0.argumentsText] })
                {
                    readingDiffers.append(
                        "\(reference.id) \(reference.answer) \(how): \(read.outcome) vs \(grade.outcome)")
                }
            }
        }
        let agreement = Double(pairs - disagreements.count) / Double(max(pairs, 1))
        print(
            "BFCL agreement: \(pairs - disagreements.count) of \(pairs) (case, answer) pairs (\(String(format: "%.3f", agreement * 100))%); \(checkerErrors) where BFCL's checker raised"
        )
        for (kind, count) in byKind.sorted(by: { $0.value > $1.value }) { print("  disagreements \(kind): \(count)") }
        for line in disagreements.prefix(60) { print("  " + line) }
        #expect(pairs > 30_000)
        #expect(agreement >= 0.995, "\(disagreements.count) disagreements of \(pairs)")
        print("from the imported suites' files: \(pairs - fileDisagreements.count) of \(pairs) graded as from the data")
        for line in fileDisagreements.prefix(20) { print("  " + line) }
        #expect(
            fileDisagreements.isEmpty, "\(fileDisagreements.count) answers graded otherwise from the imported files")
        #expect(
            readingDiffers.isEmpty,
            "\(readingDiffers.count) answers graded otherwise when read: \(readingDiffers.prefix(10))")
    }

    /// The answer as a vendor streams it: a role chunk, the text, then each call as a first
    /// fragment (index, id, wire name) and its arguments in three pieces; fed to the parser
    /// in 5-byte reads.
    static func streamed(_ reference: Reference, names: ToolNames) throws -> Completion {
        var events: [JSONValue] = [["choices": [["index": 0, "delta": ["role": "assistant", "content": ""]]]]]
        if let content = reference.content, !content.isEmpty {
            events.append(["choices": [["index": 0, "delta": ["content": .string(content)]]]])
        }
        for (index, call) in (reference.tool_calls ?? []).enumerated() {
            let first: JSONValue = [
                "index": .int(index), "id": .string("call_\(index)"), "type": "function",
                "function": ["name": .string(names.wireName(call.name)), "arguments": ""],
            ]
            events.append(["choices": [["index": 0, "delta": ["tool_calls": [first]]]]])
            let scalars = Array(call.arguments.unicodeScalars)
            let third = max(1, scalars.count / 3)
            var start = 0
            while start < scalars.count {
                let end = min(scalars.count, start + third)
                var piece = String.UnicodeScalarView()
                piece.append(contentsOf: scalars[start..<end])
                let fragment: JSONValue = ["index": .int(index), "function": ["arguments": .string(String(piece))]]
                events.append(["choices": [["index": 0, "delta": ["tool_calls": [fragment]]]]])
                start = end
            }
        }
        let reason = (reference.tool_calls ?? []).isEmpty ? "stop" : "tool_calls"
        events.append(["choices": [["index": 0, "delta": [:], "finish_reason": .string(reason)]]])
        let stream = events.map { "data: \($0.compactJSON)\n\n" }.joined() + "data: [DONE]\n\n"
        var parser = SSEParser()
        var builder = CompletionBuilder(servedBy: "test", toolNames: names)
        let clock = ContinuousClock()
        let start = clock.now
        let bytes = Array(stream.utf8)
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + 5)
            for event in parser.feed(bytes[offset..<end]) { try builder.consume(event, at: clock.now) }
            offset = end
        }
        for event in parser.finish() { try builder.consume(event, at: clock.now) }
        return try builder.finishStream(start: start, end: clock.now)
    }

    /// The answer as a whole response: `message.tool_calls` under the wire's names.
    static func whole(_ reference: Reference, names: ToolNames) throws -> Completion {
        var message: [String: JSONValue] = [
            "role": "assistant", "content": reference.content.map(JSONValue.string) ?? .null,
        ]
        if let calls = reference.tool_calls {
            message["tool_calls"] = .array(
                calls.enumerated().map { index, call in
                    [
                        "id": .string("call_\(index)"), "type": "function",
                        "function": ["name": .string(names.wireName(call.name)), "arguments": .string(call.arguments)],
                    ]
                })
        }
        let body: JSONValue = ["choices": [["index": 0, "message": .object(message), "finish_reason": "stop"]]]
        var builder = CompletionBuilder(servedBy: "test", toolNames: names)
        let clock = ContinuousClock()
        let start = clock.now
        try builder.apply(ChatWireFormat.decode(Array(body.compactJSON.utf8)), at: clock.now)
        return try builder.finishWhole(start: start, end: clock.now)
    }
}
