import AssayAnalysis
import AssayCore
import Foundation
import Testing

@Suite struct PassAtKTests {
    /// C(n, k) as a double, directly.
    func choose(_ n: Int, _ k: Int) -> Double {
        guard k >= 0, k <= n else { return 0 }
        var result = 1.0
        for i in 0..<k { result = result * Double(n - i) / Double(i + 1) }
        return result
    }

    @Test func knownValues() throws {
        #expect(abs((PassAtK.estimate(n: 10, c: 3, k: 1) ?? 0) - 0.3) < 1e-12)
        let five = try #require(PassAtK.estimate(n: 10, c: 3, k: 5))
        #expect(abs(five - (1 - 21.0 / 252.0)) < 1e-12)
        #expect(PassAtK.estimate(n: 10, c: 0, k: 5) == 0)
        #expect(PassAtK.estimate(n: 10, c: 6, k: 5) == 1, "n - c < k: every draw holds a pass")
        #expect(PassAtK.estimate(n: 4, c: 4, k: 4) == 1)
        #expect(PassAtK.estimate(n: 3, c: 1, k: 4) == nil, "only for k <= n")
    }

    @Test func theProductFormMatchesTheBinomialFormula() throws {
        for n in 1...30 {
            for c in 0...n {
                for k in 1...n {
                    let direct = 1 - choose(n - c, k) / choose(n, k)
                    let stable = try #require(PassAtK.estimate(n: n, c: c, k: k))
                    #expect(abs(direct - stable) < 1e-9, "n \(n) c \(c) k \(k)")
                }
            }
        }
    }

    @Test func itStaysStableWhereTheBinomialsOverflow() throws {
        // C(2000, 1000) overflows a double; the product form does not.
        let value = try #require(PassAtK.estimate(n: 2000, c: 1, k: 1000))
        #expect(abs(value - 0.5) < 1e-12)
        #expect(choose(2000, 1000).isInfinite)
    }

    @Test func reportedKsStopAtN() {
        #expect(PassAtK.reportedKs(samples: 1) == [1])
        #expect(PassAtK.reportedKs(samples: 3) == [1, 3])
        #expect(PassAtK.reportedKs(samples: 10) == [1, 5, 10])
        #expect(PassAtK.reportedKs(samples: 12) == [1, 5, 10, 12])
        #expect(PassAtK.mean([(n: 5, c: 5), (n: 5, c: 0)], k: 1) == 0.5)
        #expect(PassAtK.mean([(n: 5, c: 5), (n: 2, c: 0)], k: 5) == nil)
    }

    /// Cases with different numbers of samples (an open-loop load cut mid-pass, a resumed run):
    /// pass@k over the fewest samples counts every case, not only those with exactly that many.
    @Test func unevenSamplesCountEveryCase() {
        var results: [ItemResult] = []
        for (caseID, samples, passes) in [("a", 8, 8), ("b", 7, 7), ("c", 7, 0), ("d", 8, 4)] {
            for epoch in 1...samples {
                let pass = epoch <= passes
                results.append(
                    ItemResult(
                        runID: "r", suiteID: "s", caseID: caseID, model: "m", epoch: epoch,
                        requestHash: "\(caseID)\(epoch)", status: .graded,
                        grade: Grade(outcome: pass ? .pass : .fail, score: pass ? 1 : 0)))
            }
        }
        let summary = RunSummary.build(RankingTests.manifest(["m"]), results: results)
        let passAtK = summary.models.first?.suites.first?.passAtK ?? [:]
        #expect(passAtK.keys.sorted() == [1, 5, 7])
        // a and b always pass, c never; d: 4 of 8, pass@7 = 1 - C(4,7)/C(8,7) = 1.
        #expect(passAtK[7] == 0.75, "\(passAtK)")
        let d1 = 0.5
        #expect(abs((passAtK[1] ?? 0) - (1 + 1 + 0 + d1) / 4) < 1e-12)
    }
}
