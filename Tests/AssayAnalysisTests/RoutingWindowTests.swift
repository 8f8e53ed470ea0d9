import AssayAnalysis
import AssayCore
import Foundation
import Testing

/// The windowed failover of seed 001 played over a stored run, against a hand computation.
@Suite struct RoutingWindowTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// `count` items of one suite; item i was sent at `start + i` seconds by both models (the
    /// case ids run backwards, so that the order by key is not the order sent).
    static func records(
        _ count: Int, failing: Set<Int> = [], slow: [Int: Double] = [:], cost: Double
    ) -> [ItemKey: ItemRecord] {
        var records: [ItemKey: ItemRecord] = [:]
        for index in 0..<count {
            let failed = failing.contains(index)
            var record = ItemRecord(
                suite: "s", caseID: String(format: "c%03d", count - index), epoch: 1, kind: .classification,
                status: failed ? .error : .graded,
                outcome: failed ? nil : .pass, score: failed ? 0 : 1, cost: failed ? nil : cost,
                latencyMs: failed ? nil : slow[index] ?? 100)
            record.sentAt = start.addingTimeInterval(Double(index))
            records[record.key] = record
        }
        return records
    }

    static func policy(errorRate: Double? = 0.005, p99: Double? = 800) -> RoutingPolicy {
        RoutingPolicy(
            name: "windowed",
            rules: [
                RoutingPolicy.Rule(
                    name: "flash", model: "flash",
                    fallback: RoutingPolicy.Fallback(
                        model: "qwen",
                        window: FailoverWindow.Rule(
                            errorRateOver: errorRate, p99OverMs: p99, window: 100, minRequests: 50)))
            ])
    }

    static func manifest() -> RunManifest {
        RunManifest(
            id: "r", plan: nil,
            suites: [SuiteRef(id: "s", path: "s", kind: .classification, grader: .label, cases: 200)],
            models: ["flash", "qwen"],
            epochs: 1, concurrency: 1, catalog: Catalog(endpoints: [], models: []), gitCommit: nil)
    }

    /// Errors at sends 20 and 70. The first comes during the warm-up (50 answers); once 50 are
    /// in, 1 in 50 (2.0%) is past 0.5%: the 51st item (send 50) is the first diverted, and the
    /// 150 after it go to Qwen unasked (the error at send 70 is never seen).
    @Test func anErrorRateOverTheLimitAfterTheWarmUpFiresWhereTheHandCountSays() throws {
        let flash = Self.records(200, failing: [20, 70], cost: 0.01)
        let qwen = Self.records(200, cost: 0.02)
        let route = try RouteSimulation.simulate(
            Self.policy(), manifest: Self.manifest(), results: ["flash": flash, "qwen": qwen])
        let firing = try #require(route.firings["flash"])
        #expect(firing.afterAnswers == 50, "\(firing)")
        #expect(firing.firstItem.caseID == String(format: "c%03d", 200 - 50))
        #expect(firing.items == 150 && firing.reason == "error rate 2.0% over the last 50 requests (limit 0.5%)")
        #expect(route.fallbackCounts["flash"] == 150 + 1, "the diverted items and the one failed request of send 20")
        // Diverted items pay only Qwen's price.
        #expect(abs(route.overall.costPerThousand - (49.0 * 0.01 + 1 * 0.02 + 150 * 0.02) / 200 * 1000) < 1e-9)
    }

    /// Clean until send 120, whose answer takes 2 s. The users' router takes the p99 as
    /// sorted(window)[int(len x 0.99)]: with 100 answers in the window, index 99, the slowest.
    /// So the one slow answer fires it: the item of send 121 is the first diverted. (The
    /// nearest-rank p99, the 99th smallest, would have waited for a second slow answer.)
    @Test func aLatencySpikeFiresWhereTheRoutersP99Says() throws {
        let flash = Self.records(200, slow: [120: 2000], cost: 0.01)
        let qwen = Self.records(200, cost: 0.02)
        let route = try RouteSimulation.simulate(
            Self.policy(errorRate: nil), manifest: Self.manifest(), results: ["flash": flash, "qwen": qwen])
        let firing = try #require(route.firings["flash"])
        #expect(
            firing.afterAnswers == 121 && firing.firstItem.caseID == String(format: "c%03d", 200 - 121), "\(firing)")
        #expect(firing.reason == "p99 2000 ms over the last 100 requests (limit 800 ms)")
        #expect(firing.items == 79)
        // 700 ms is under the limit: nothing fires.
        let quiet = try RouteSimulation.simulate(
            Self.policy(errorRate: nil), manifest: Self.manifest(),
            results: ["flash": Self.records(200, slow: [120: 700], cost: 0.01), "qwen": qwen])
        #expect(quiet.firings.isEmpty)
    }

    /// The index the routers use, against the nearest rank, at the sizes where they differ.
    @Test func theP99IndexIsTheRoutersOwn() {
        func firesWithOneSlow(in count: Int) -> Bool {
            var window = FailoverWindow(rule: FailoverWindow.Rule(p99OverMs: 800, window: 1000, minRequests: 1))
            for index in 0..<count { window.record(failed: false, latencyMs: index == 0 ? 2000 : 100) }
            return window.reason != nil
        }
        #expect(firesWithOneSlow(in: 100), "int(100 x 0.99) = 99: the slowest of 100")
        #expect(!firesWithOneSlow(in: 101), "int(101 x 0.99) = 99: the second slowest of 101")
        #expect(firesWithOneSlow(in: 50))
    }

    /// GLM-4-9B escalating to GLM-5 when unsure (seed 001): on an invalid answer, on an
    /// ambiguous one, and on an answer off the declared labels; a bare label stays.
    @Test func escalationTriggersOnEachKindOfUnsureAnswer() throws {
        func record(_ id: String, outcome: Grade.Outcome, evidence: [String: JSONValue]) -> ItemRecord {
            ItemRecord(
                ItemResult(
                    runID: "r", suiteID: "s", caseID: id, model: "small", epoch: 1, requestHash: id, status: .graded,
                    grade: Grade(outcome: outcome, score: outcome == .pass ? 1 : 0, evidence: evidence),
                    cost: Cost(amount: 0.001, basis: .full),
                    timing: Timing(ttftMs: 10, latencyMs: 100)),
                kind: .classification)
        }
        let small = [
            record("bare", outcome: .pass, evidence: [:]),
            record("hedged", outcome: .pass, evidence: ["off_label": true]),
            record("both", outcome: .fail, evidence: ["ambiguous": true]),
            record("none", outcome: .invalid, evidence: ["off_label": true]),
        ]
        let big = small.map { item -> ItemRecord in
            var copy = item
            copy.outcome = .pass
            copy.score = 1
            return copy
        }
        func escalated(_ triggers: (inout RoutingPolicy.Fallback) -> Void) throws -> Set<String> {
            var fallback = RoutingPolicy.Fallback(model: "big", onError: true)
            triggers(&fallback)
            let policy = RoutingPolicy(
                name: "escalation", rules: [RoutingPolicy.Rule(name: "small", model: "small", fallback: fallback)])
            let route = try RouteSimulation.simulate(
                policy, manifest: Self.manifest(),
                results: [
                    "small": Dictionary(uniqueKeysWithValues: small.map { ($0.key, $0) }),
                    "big": Dictionary(uniqueKeysWithValues: big.map { ($0.key, $0) }),
                ])
            return Set(route.side.records.values.filter { ($0.cost ?? 0) > 0.0015 }.map(\.caseID))
        }
        #expect(try escalated { $0.onInvalid = true } == ["none"])
        #expect(try escalated { $0.onAmbiguous = true } == ["both"])
        #expect(try escalated { $0.onOffLabel = true } == ["hedged", "none"])
        #expect(try escalated { _ in } == [], "on errors only: nothing here failed")
    }
}
