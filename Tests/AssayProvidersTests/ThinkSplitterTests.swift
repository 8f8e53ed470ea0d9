@testable import AssayProviders
import Testing

@Suite struct ThinkSplitterTests {
    /// Feeds `chunks` and folds the pieces: (reasoning, answer, whether an orphan close moved the answer).
    func split(_ chunks: [String]) -> (reasoning: String, answer: String, orphan: Bool) {
        var splitter = ThinkSplitter(tag: "think")
        var reasoning = "", answer = "", orphan = false
        for piece in chunks.flatMap({ splitter.feed($0) }) + splitter.finish() {
            switch piece {
            case .reasoning(let text): reasoning += text
            case .answer(let text): answer += text
            case .closedWithoutOpening:
                orphan = true
                reasoning = answer + reasoning
                answer = ""
            }
        }
        return (reasoning, answer, orphan)
    }

    @Test func tagsSplitAcrossEveryChunkBoundaryAreFound() {
        let text = "<think>a < b, so b</think>\n\nb"
        for cut in 1..<text.count {
            let chunks = [String(text.prefix(cut)), String(text.dropFirst(cut))]
            let result = split(chunks)
            #expect(result.reasoning == "a < b, so b" && result.answer == "\n\nb", "cut at \(cut): \(result)")
        }
        let oneByOne = split(text.map(String.init))
        #expect(oneByOne.reasoning == "a < b, so b" && oneByOne.answer == "\n\nb")
    }

    @Test func aBlockOpenedInThePromptEndsWithAnOrphanClose() {
        let result = split(["the user wants", " 7</thi", "nk>7"])
        #expect(result.orphan && result.reasoning == "the user wants 7" && result.answer == "7")
    }

    @Test func afterTheFirstBlockTagsAreAnswerText() {
        let result = split(["<think>x</think>Use <think> tags like </think> this"])
        #expect(result.reasoning == "x" && result.answer == "Use <think> tags like </think> this")
        let unclosed = split(["<think>still thinking when cut off"])
        #expect(unclosed.reasoning == "still thinking when cut off" && unclosed.answer.isEmpty)
        let none = split(["no tags, a < b"])
        #expect(none.reasoning.isEmpty && none.answer == "no tags, a < b")
    }
}
