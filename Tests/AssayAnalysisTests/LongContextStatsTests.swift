import AssayAnalysis
import AssayCore
import Foundation
import Testing

@Suite struct LongContextStatsTests {
    func result(_ length: String, pass: Bool, status: ItemResult.Status = .graded, depth: Int? = nil) -> ItemResult {
        var tags = ["length:\(length)"]
        if let depth { tags.append("depth:\(depth)") }
        var result = ItemResult(
            runID: "r", suiteID: "s", caseID: UUID().uuidString, model: "m", epoch: 0, requestHash: "",
            status: status, tags: tags, attempts: 1, recordedAt: Date())
        if status == .graded {
            result.grade = Grade(outcome: pass ? .pass : .fail, score: pass ? 1 : 0)
            result.usage = Usage(promptTokens: 1000, completionTokens: 5, cachedPromptTokens: 500)
        }
        return result
    }

    func stats(_ results: [ItemResult]) -> LongContextStats {
        RunSummary.build(RankingTests.manifest(["m"]), results: results).models[0].longContext
    }

    func batch(
        _ count: Int, _ length: String, status: ItemResult.Status = .graded, depth: Int? = nil,
        passing: (Int) -> Bool
    ) -> [ItemResult] {
        (0..<count).map { index in result(length, pass: passing(index), status: status, depth: depth) }
    }

    @Test func theEffectiveLengthHoldsWithinTheMarginOfTheShortestLength() {
        // 1k 100%, 4k 90% (within 10 points), 16k 80% (not), 32k 100% (after a failure: not counted).
        var results = batch(10, "1k", depth: 50) { _ in true }
        results += batch(10, "4k") { $0 < 9 }
        results += batch(10, "16k") { $0 < 8 }
        results += batch(10, "32k") { _ in true }
        let stats = stats(results)
        #expect(stats.effectiveLength == ContextLength(tokens: 4096))
        #expect(stats.byLength[ContextLength(tokens: 16384)]?.score == 0.8)
        #expect(stats.byDepth[50]?.asked == 10)
        #expect(stats.cachedShare == 0.5)
    }

    @Test func aLengthNeverSentEndsTheWalkAndAFailingStartHasNone() {
        var results = batch(4, "1k") { _ in true }
        results += batch(4, "8k", status: .unsupported) { _ in false }
        results += batch(4, "16k") { _ in true }
        let unsent = stats(results)
        #expect(unsent.effectiveLength == ContextLength(tokens: 1024))
        #expect(unsent.byLength[ContextLength(tokens: 8192)]?.unsupported == 4)
        // Below the 50% floor at the shortest length: no effective length at all.
        let weak = stats(batch(10, "1k") { $0 < 4 } + batch(10, "4k") { $0 < 4 })
        #expect(weak.effectiveLength == nil)
        #expect(stats([result("1k", pass: true)]).isEmpty == false)
    }
}
