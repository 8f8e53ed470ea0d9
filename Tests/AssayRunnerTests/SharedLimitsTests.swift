import AssayCore
@testable import AssayRunner
import AssayStore
import AssayTestSupport
import Foundation
import Synchronization
import Testing

/// Workers sharing a key's rate limits: each limiter keeps its share of the limits, a rate one
/// worker learned is adopted by the others, the slices live in the store, and the traffic of
/// workers that overlapped adds up to the run's as a whole.
struct SharedLimitsTests {
    @Test func aLimiterKeepsItsShareOfTheConfiguredAndLearnedLimits() {
        let limiter = EndpointLimiter(limits: EndpointLimits(requestsPerMinute: 600), name: "e")
        #expect(limiter.traffic.limitPerSecond == 10)
        limiter.share(holders: 4)
        #expect(limiter.traffic.limitPerSecond == 2.5, "a quarter of the key's 10/s")
        limiter.share(holders: 1)
        #expect(limiter.traffic.limitPerSecond == 10, "the whole again once alone")

        // Another worker learned the key's rate from 429s: this one takes its share of it.
        limiter.share(holders: 2)
        limiter.adopt(keyPerSecond: 4)
        #expect(limiter.traffic.limitPerSecond == 2 && limiter.traffic.limitSource == .adaptive)
        #expect(limiter.learnedKeyRate?.cutAt == nil, "an adopted rate is not published back")
        limiter.share(holders: 1)
        #expect(limiter.traffic.limitPerSecond == 4, "the learned rate scales with the share too")
    }

    @Test func aKeysFingerprintTellsKeysApartWithoutHoldingThem() {
        let one = SharedLimits.fingerprint(baseURLs: ["https://api.example/v1"], key: "sk-one")
        #expect(one == SharedLimits.fingerprint(baseURLs: ["https://api.example/v1"], key: "sk-one"))
        #expect(one != SharedLimits.fingerprint(baseURLs: ["https://api.example/v1"], key: "sk-two"))
        #expect(one != SharedLimits.fingerprint(baseURLs: ["https://other.example/v1"], key: "sk-one"))
        #expect(!one.contains("sk-one") && one.count == 64)
    }

    @Test func overlappingWorkersSpanTheirTrafficWhileSessionsOneAfterAnotherAddUp() {
        let t0 = Date(timeIntervalSince1970: 1_000)
        func traffic(_ attempts: Int, from start: Double, to end: Double) -> EndpointTraffic {
            var traffic = EndpointTraffic(endpoint: "e", attempts: attempts, activeSeconds: end - start)
            traffic.firstSentAt = t0.addingTimeInterval(start)
            traffic.lastAnsweredAt = t0.addingTimeInterval(end)
            return traffic
        }
        let workers = traffic(100, from: 0, to: 10).adding(traffic(100, from: 2, to: 12))
        #expect(workers.attempts == 200 && workers.activeSeconds == 12 && workers.achievedPerSecond == 200.0 / 12)
        let sessions = traffic(100, from: 0, to: 10).adding(traffic(50, from: 60, to: 65))
        #expect(sessions.activeSeconds == 15)
        let old = EndpointTraffic(endpoint: "e", attempts: 10, activeSeconds: 4).adding(traffic(10, from: 0, to: 6))
        #expect(old.activeSeconds == 10, "a session stored before the spans were kept adds up")
    }

    @Test(.enabled(if: TestPostgres.url != nil, "needs the PostgreSQL that scripts/test starts"))
    func slicesOfAKeyAreCountedPublishedAndGivenBack() async throws {
        let url = try #require(TestPostgres.url)
        let opened = try await StoreLocation.open(url)
        defer { Task { await opened.close() } }
        let store = try #require(opened as? any SharedRateLimits)
        let key = TestPostgres.uniqueRunID("key")
        #expect(
            try await store.shareLimits(key: key, holder: "a", lease: .seconds(60), learned: nil, learnedChanged: false)
                .holders == 1)
        let b = try await store.shareLimits(
            key: key, holder: "b", lease: .seconds(60), learned: 7.5, learnedChanged: true)
        #expect(b.holders == 2 && b.learned == nil, "b sees a, which published nothing")
        let a = try await store.shareLimits(
            key: key, holder: "a", lease: .seconds(60), learned: nil, learnedChanged: false)
        #expect(a.holders == 2 && a.learned?.holder == "b" && a.learned?.perSecond == 7.5)
        // Renewed without a new estimate, b's stays published.
        _ = try await store.shareLimits(key: key, holder: "b", lease: .seconds(60), learned: nil, learnedChanged: false)
        #expect(
            try await store.shareLimits(key: key, holder: "a", lease: .seconds(60), learned: nil, learnedChanged: false)
                .learned?.perSecond == 7.5)
        // Another key is another limit.
        #expect(
            try await store.shareLimits(
                key: key + "-other", holder: "a", lease: .seconds(60), learned: nil, learnedChanged: false
            ).holders == 1)
        // b stops cleanly; then a dead worker's slice (a lease already run out) is not counted.
        try await store.leaveLimits(key: key, holder: "b")
        #expect(
            try await store.shareLimits(key: key, holder: "a", lease: .seconds(60), learned: nil, learnedChanged: false)
                == LimitShare(holders: 1))
        _ = try await store.shareLimits(key: key, holder: "dead", lease: .zero, learned: 3, learnedChanged: true)
        try await Task.sleep(for: .milliseconds(5))
        #expect(
            try await store.shareLimits(key: key, holder: "a", lease: .seconds(60), learned: nil, learnedChanged: false)
                == LimitShare(holders: 1))
    }

    /// A store that answers the first renewal and then is unreachable.
    final class UnreachableAfterFirst: SharedRateLimits, @unchecked Sendable {
        private let calls = Mutex(0)
        func shareLimits(key: String, holder: String, lease: Duration, learned: Double?, learnedChanged: Bool)
            async throws(StoreError) -> LimitShare
        {
            let call = calls.withLock { count in
                count += 1
                return count
            }
            if call > 1 { throw StoreError(location: "test", message: "connection refused") }
            return LimitShare(holders: 1)
        }
        func leaveLimits(key: String, holder: String) async throws(StoreError) {}
    }

    /// A worker that cannot renew its slices for as long as their lease holds its requests:
    /// the others may have taken up its share by then.
    @Test func aWorkerThatCannotRenewItsSliceHoldsItsRequests() async throws {
        let limiter = EndpointLimiter(limits: EndpointLimits(), name: "e")
        let shares = SharedLimits(
            store: UnreachableAfterFirst(), holder: "w", limiters: ["e": limiter], keys: ["e": "key"])
        try await shares.join()
        _ = try await limiter.admit(estimatedTokens: 1, deadline: .now + .milliseconds(50))
        let keeping = Task { await shares.keep() }
        defer { keeping.cancel() }
        // Held once the lease could have run out (polled: a loaded machine delays the renewals).
        let start = ContinuousClock.now
        var held = false
        while !held && ContinuousClock.now - start < .seconds(60) {
            try await Task.sleep(for: .milliseconds(200))
            do {
                _ = try await limiter.admit(estimatedTokens: 1, deadline: .now + .milliseconds(50))
            } catch is EndpointLimiter.PastDeadline {
                held = true
            }
        }
        #expect(held, "requests are held")
        #expect(
            ContinuousClock.now - start >= SharedLimits.lease - SharedLimits.refresh,
            "not before the lease could have run out")
        // And held for good, not for a while: until a renewal succeeds.
        try await Task.sleep(for: .seconds(2))
        await #expect(throws: EndpointLimiter.PastDeadline.self) {
            _ = try await limiter.admit(estimatedTokens: 1, deadline: .now + .milliseconds(50))
        }
    }
}
