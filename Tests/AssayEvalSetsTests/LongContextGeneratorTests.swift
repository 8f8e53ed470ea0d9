import AssayCore
import AssayEvalSets
import AssayTestSupport
import Foundation
import Testing

@Suite struct LongContextGeneratorTests {
    @Test func casesComeToTheirLengthAndHoldTheirNeedles() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let lengths = [ContextLength(tokens: 1024), ContextLength(tokens: 4096)]
        let written = try LongContextGenerator.run(.init(lengths: lengths, seed: 3), to: dir.path("lc"))
        #expect(written.suites.map(\.id) == ["long-context-1k", "long-context-4k"])
        for length in lengths {
            let suite = try SuiteLoader.load(dir.path("lc/long-context-\(length)"))
            #expect(suite.kind == .longContext && suite.grader.name == .allValues)
            #expect(suite.cases.count == 28)
            #expect(Set(suite.cases.map(\.id)).count == 28)
            for item in suite.cases {
                #expect(item.tags.contains(length.tag))
                let rendered = suite.prompt.render(try CasePromptFiles.filled(item, of: suite))
                let tokens = TokenEstimate.standard.tokens((rendered.system ?? "") + rendered.user)
                // The whole prompt comes to its length, within a few percent below it.
                #expect(tokens <= length.tokens && tokens >= length.tokens * 85 / 100, "\(item.id): \(tokens)")
                let context = try CasePromptFiles.filled(item, of: suite)["context"]?.stringValue ?? ""
                for value in item.expected["values"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                    #expect(context.contains(value), "\(item.id): \(value) is not in the haystack")
                }
                // The question comes last, after the haystack.
                #expect(rendered.user.hasSuffix(item.input["question"]?.stringValue ?? "?"))
            }
            // A needle at depth 0 opens the haystack; one at 100 closes it.
            let first = try #require(suite.cases.first { $0.id == "en-niah-single-d0" })
            #expect(
                try CasePromptFiles.filled(first, of: suite)["context"]?.stringValue?.hasPrefix(
                    "The special magic number") == true)
            let last = try #require(suite.cases.first { $0.id == "en-niah-single-d100" })
            let lastContext = try CasePromptFiles.filled(last, of: suite)["context"]?.stringValue
            #expect(lastContext?.hasSuffix(".") == true)
            #expect(lastContext?.suffix(80).contains("special magic number") == true)
            // The four multi-key cases share one haystack, one after another.
            let multi = suite.cases.enumerated().filter { $0.element.id.hasPrefix("en-niah-multikey") }
            #expect(multi.count == 4 && multi.last!.offset - multi.first!.offset == 3)
            #expect(Set(multi.map { $0.element.input["context_file"] }).count == 1)
        }
        // Questions are distinct across the whole generation: a question names one case.
        let questions = try lengths.flatMap { length in
            try SuiteLoader.load(dir.path("lc/long-context-\(length)")).cases.map {
                $0.input["question"]?.stringValue ?? ""
            }
        }
        #expect(Set(questions).count == questions.count)
    }

    @Test func anotherSeedWritesOtherNeedles() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let one = [ContextLength(tokens: 1024)]
        _ = try LongContextGenerator.run(.init(lengths: one, languages: [.zh], seed: 1), to: dir.path("a"))
        _ = try LongContextGenerator.run(.init(lengths: one, languages: [.zh], seed: 2), to: dir.path("b"))
        let a = try String(contentsOfFile: dir.path("a/long-context-1k/cases.jsonl"), encoding: .utf8)
        let b = try String(contentsOfFile: dir.path("b/long-context-1k/cases.jsonl"), encoding: .utf8)
        #expect(a != b && a.contains("特殊魔法数字"))
    }

    @Test func lengthsParseAsTokens() {
        #expect(ContextLength(parsing: "4k")?.tokens == 4096)
        #expect(ContextLength(parsing: "128K")?.tokens == 131_072)
        #expect(ContextLength(parsing: "3000")?.tokens == 3000)
        #expect(ContextLength(parsing: "4x") == nil && ContextLength(parsing: "10") == nil)
        #expect(ContextLength(tokens: 16384).tag == "length:16k")
    }

    @Test func theTokenRuleCountsCJKAndOtherCharactersApart() {
        #expect(TokenEstimate.standard.tokens("abcdefgh") == 2)
        #expect(TokenEstimate.standard.tokens("道可道非常道") == 4)
        #expect(ContextWindow.refusal(promptTokens: 4000, maxTokens: 128, window: 4096) != nil)
        #expect(ContextWindow.refusal(promptTokens: 3900, maxTokens: 128, window: 4096) == nil)
        #expect(ContextWindow.refusal(promptTokens: 9_000_000, maxTokens: 128, window: 0) == nil)
    }
}

extension LongContextGeneratorTests {
    /// Every kind of case, the word list too, comes to within a sentence of its length: a 4K
    /// case does not fit a 4K window once max_tokens is counted.
    @Test func everyKindOfCaseFillsItsLength() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let length = ContextLength(tokens: 8192)
        _ = try LongContextGenerator.run(.init(lengths: [length], seed: 9), to: dir.path("lc"))
        let suite = try SuiteLoader.load(dir.path("lc/long-context-8k"))
        for item in suite.cases {
            let rendered = suite.prompt.render(try CasePromptFiles.filled(item, of: suite))
            let tokens = TokenEstimate.standard.tokens((rendered.system ?? "") + rendered.user)
            #expect(tokens > length.tokens - 128 && tokens <= length.tokens, "\(item.id): \(tokens)")
        }
        // The three frequent words are the three most frequent, each clearly ahead of the rest.
        let words = try #require(suite.cases.first { $0.id == "en-frequent-words-1" })
        var counts: [Substring: Int] = [:]
        for word in (try CasePromptFiles.filled(words, of: suite)["context"]?.stringValue ?? "").split(separator: " ")
            .dropFirst(3)
        {
            counts[word, default: 0] += 1
        }
        let top = counts.sorted { $0.value > $1.value }.prefix(4)
        let expected = Set(words.expected["values"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        #expect(Set(top.prefix(3).map { String($0.key) }) == expected)
        #expect(top.count == 4 && top[2].value > top[3].value + 1)
    }
}

extension LongContextGeneratorTests {
    /// A haystack is written once, in a file of its own beside cases.jsonl, and a case names
    /// it (`input.context_file`): a loaded suite holds no haystack text (issue 34).
    @Test func haystacksAreFilesTheCasesName() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        _ = try LongContextGenerator.run(
            .init(lengths: [ContextLength(tokens: 4096)], languages: [.en], seed: 5), to: dir.path("lc"))
        let suite = try SuiteLoader.load(dir.path("lc/long-context-4k"))
        let files = Set(suite.cases.compactMap { $0.input["context_file"]?.stringValue })
        #expect(suite.cases.allSatisfy { $0.input["context"] == nil })
        // One file per haystack tag: the four multi-key cases and the two questions share theirs.
        let tags = Set(suite.cases.flatMap(\.tags).filter { $0.hasPrefix("haystack:") })
        #expect(files.count == tags.count && files.count < suite.cases.count)
        let listed = try FileManager.default.contentsOfDirectory(atPath: dir.path("lc/long-context-4k/haystacks"))
        #expect(Set(listed.map { "haystacks/" + $0 }) == files)
        let measured = try CasePromptFiles.load(suite)
        #expect(Set(measured.keys) == files && measured.values.allSatisfy { $0.other > 10_000 })
    }
}
