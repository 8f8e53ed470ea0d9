import AssayCore
import AssayProviders
@testable import AssayRunner
import Testing

/// An instant `seconds` after a fixed start, for tests that drive time themselves.
func at(_ seconds: Double) -> ContinuousClock.Instant {
    testEpoch + .seconds(seconds)
}

private let testEpoch = ContinuousClock.now

@Suite struct TokenBucketTests {
    @Test func aBucketHoldsItsCapacityAndRefillsAtItsRate() {
        var bucket = TokenBucket(perMinute: 120, burst: .seconds(60), now: at(0))  // 2 a second, holds a minute's 120
        for _ in 0..<120 { #expect(bucket.take(1, now: at(0)) == .zero) }
        #expect(bucket.take(1, now: at(0)) == .milliseconds(500), "empty: the next token in half a second")
        #expect(bucket.take(1, now: at(0.5)) == .zero)
        #expect(bucket.take(3, now: at(1)) > .zero, "one token back after 0.5 s")
        #expect(bucket.take(3, now: at(2)) == .zero)
    }

    /// A minute's limit is a steady rate: by default the bucket holds one second's worth, so
    /// 6,000 a minute lets 100 go at once, then 100 a second, never 6,000 in the first instant.
    @Test func aPerMinuteLimitBurstsOneSecondsWorthByDefault() {
        var bucket = TokenBucket(perMinute: 6000, now: at(0))
        #expect(bucket.capacity == 100)
        for _ in 0..<100 { #expect(bucket.take(1, now: at(0)) == .zero) }
        #expect(abs(bucket.take(1, now: at(0)).inSeconds - 0.01) < 1e-9, "the 101st waits for the refill")
        var slow = TokenBucket(perMinute: 30, now: at(0))
        #expect(slow.capacity == 1, "under one a second, still one request at a time")
        #expect(slow.take(1, now: at(0)) == .zero && slow.take(1, now: at(0)) == .seconds(2))
    }

    @Test func usageIsSettledAfterTheFact() {
        var bucket = TokenBucket(perMinute: 600, burst: .seconds(60), now: at(0))
        #expect(bucket.take(500, now: at(0)) == .zero)
        bucket.adjust(by: -200, now: at(0))  // used 200 more than estimated
        #expect(bucket.take(100, now: at(0)) > .zero)
        bucket.adjust(by: 300, now: at(0))
        #expect(bucket.take(100, now: at(0)) == .zero)
    }

    /// A rate of nothing (a catalog's `requests_per_minute: 0`, which no plan check saw) is a
    /// wait that never ends, not a trap: a `Duration` cannot be infinite.
    @Test func aRateOfNothingWaitsForever() {
        var bucket = TokenBucket(perMinute: 0, now: at(0))
        #expect(bucket.take(1, now: at(0)) == .zero, "the one token it starts with")
        #expect(bucket.take(1, now: at(1)) == .forever)
        #expect(Duration.clamped(seconds: .infinity) == .forever && Duration.clamped(seconds: -1) == .zero)
    }
}

@Suite struct RetryPolicyTests {
    @Test func whatIsRetried() {
        #expect(RetryPolicy.isRetryable(.rateLimited, status: 429))
        #expect(RetryPolicy.isRetryable(.server, status: 500))
        #expect(RetryPolicy.isRetryable(.server, status: 503))
        #expect(RetryPolicy.isRetryable(.timeout, status: nil))
        #expect(RetryPolicy.isRetryable(.connection, status: nil))
        #expect(RetryPolicy.isRetryable(.decode, status: nil))
        #expect(RetryPolicy.isRetryable(.http, status: 408))
        #expect(RetryPolicy.isRetryable(.http, status: 409))
        for status in [400, 401, 403, 404, 422] {
            #expect(!RetryPolicy.isRetryable(.http, status: status), "\(status) is never retried")
        }
        #expect(!RetryPolicy.isRetryable(.configuration, status: nil))
    }

    @Test func backoffIsFullJitterUnderACappedExponential() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: 0.5, maxDelay: 4)
        #expect(policy.backoff(after: 1, draw: 0.999) < 0.5)
        #expect(abs(policy.backoff(after: 3, draw: 0.5) - 1.0) < 1e-12, "ceiling 0.5 x 2^2 = 2, half of it")
        #expect(policy.backoff(after: 9, draw: 0.999) <= 4, "capped")
        #expect(policy.backoff(after: 2, draw: 0) == 0)
    }
}

@Suite struct BaseURLSelectorTests {
    @Test func repeatedFailuresMoveRequestsToTheNextRegionAndBack() {
        let selector = BaseURLSelector(urls: ["https://a", "https://b"], threshold: 3, cooldown: .seconds(30))
        #expect(selector.next(now: at(0)) == "https://a")
        selector.failed("https://a", now: at(1))
        selector.failed("https://a", now: at(2))
        #expect(selector.next(now: at(2)) == "https://a", "two failures: still closed")
        selector.failed("https://a", now: at(3))
        #expect(selector.isOpen("https://a", now: at(3)))
        #expect(selector.next(now: at(4)) == "https://b")
        #expect(selector.next(now: at(34)) == "https://a", "half-open after the cooldown")
        selector.succeeded("https://a")
        #expect(!selector.isOpen("https://a", now: at(35)))
    }

    @Test func whenEveryRegionIsDownTheOldestOpenedIsTried() {
        let selector = BaseURLSelector(urls: ["https://a", "https://b"], threshold: 1, cooldown: .seconds(30))
        selector.failed("https://b", now: at(1))
        selector.failed("https://a", now: at(2))
        #expect(selector.next(now: at(3)) == "https://b", "b opened first")
        selector.failed("https://b", now: at(2.5))
        #expect(selector.next(now: at(3)) == "https://a", "now a did")
    }
}

@Suite struct BudgetAndFallbackTests {
    @Test func theBudgetCountsWhatIsInFlight() async {
        let budget = ProcessBudget(cap: 1.0, alreadySpent: 0.5)
        #expect(await budget.reserve(0.3))
        #expect(!(await budget.reserve(0.3)), "0.5 spent + 0.3 in flight + 0.3 > 1.0")
        #expect(await budget.stopped)
        #expect(!(await budget.reserve(0.0001)), "once stopped, stopped")
        await budget.settle(reserved: 0.3, actual: 0.1)
        #expect(await budget.spent == 0.6)
        let unlimited = ProcessBudget(cap: nil)
        #expect(await unlimited.reserve(1e9))
    }

    @Test func aFallbackIsChosenWhenErrorsOrP99PassTheThreshold() async {
        let monitor = FallbackMonitor(rules: [
            "flaky": FallbackRule(model: "b", errorRate: 0.2, window: 10),
            "slow": FallbackRule(model: "b", p99Ms: 1000, window: 10),
        ])
        for index in 0..<10 { await monitor.record("flaky", failed: index < 3, latencyMs: 100) }
        #expect(await monitor.routeReason("flaky") == "error rate 30.0% over the last 10 requests (limit 20%)")
        for _ in 0..<10 { await monitor.record("flaky", failed: false, latencyMs: 100) }
        #expect(await monitor.routeReason("flaky") == nil, "the window moved on")
        for index in 0..<10 { await monitor.record("slow", failed: false, latencyMs: index == 9 ? 5000 : 200) }
        #expect(await monitor.routeReason("slow")?.hasPrefix("p99 5000 ms over the last 10 requests") == true)
        #expect(await monitor.routeReason("other") == nil)
    }
}
