import AssayCore
import Foundation
import Synchronization

/// What stands between a request and its endpoint: the endpoint's concurrency, its requests
/// and tokens per minute (token buckets), any pause a server asked for with Retry-After, and
/// a refusal once the endpoint has rejected the key `refuseAfter` times in a row (401 or
/// 403): a wrong key would otherwise be sent with every item of the run.
///
/// A request's tokens are known only once it is answered: it reserves an estimate, the
/// bucket is corrected with the real usage, and the gate learns the average usage it sees
/// (a moving average), so that later estimates are no lower than what requests really take.
/// A lock, not an actor: passing a gate with no limits costs a lock, not a hop.
final class EndpointGate: Sendable {
    let slots: AsyncSemaphore?

    private struct State {
        var requests: TokenBucket?
        var tokens: TokenBucket?
        var pausedUntil = 0.0
        var learnedTokens: Double?
        var keyRejections = 0
        var refusal: String?
    }

    private let state: Mutex<State>
    /// The endpoint's name and its key's variable, for the refusal's message.
    private let name: String
    private let keyVariable: String?
    static let refuseAfter = 3

    init(limits: EndpointLimits, name: String = "", keyVariable: String? = nil, now: Double = ProcessInfo.processInfo.systemUptime) {
        self.name = name
        self.keyVariable = keyVariable
        slots = limits.concurrency.map { AsyncSemaphore(limit: $0) }
        let burst = limits.burstSeconds ?? EndpointLimits.defaultBurstSeconds
        state = Mutex(
            State(
                requests: limits.requestsPerMinute.map { TokenBucket(perMinute: $0, burstSeconds: burst, now: now) },
                tokens: limits.tokensPerMinute.map { TokenBucket(perMinute: $0, burstSeconds: burst, now: now) }))
    }

    /// Waits until a request estimated at `estimatedTokens` may go (it then counts against the
    /// buckets), and returns the tokens it reserved (the estimate, or the learned average when
    /// higher), which `settle` takes back. Throws `CancellationError` when cancelled while
    /// waiting, and `PastDeadline` when the wait would end after `deadline` (seconds of
    /// `systemUptime`): an item never waits past its own deadline, whatever a server asked.
    @discardableResult
    func admit(estimatedTokens: Int, deadline: Double = .infinity) async throws -> Int {
        while true {
            let (wait, reserved) = reserve(estimatedTokens)
            if wait <= 0 { return reserved }
            if ProcessInfo.processInfo.systemUptime + wait > deadline { throw PastDeadline(wait: wait) }
            try await Task.sleep(for: .seconds(min(wait, 60)) + .milliseconds(1))
        }
    }

    /// The endpoint is held (Retry-After, rate limits) past an item's deadline.
    struct PastDeadline: Error {
        var wait: Double
    }

    private func reserve(_ estimatedTokens: Int) -> (wait: Double, reserved: Int) {
        state.withLock { state in
            let reserved = max(estimatedTokens, Int((state.learnedTokens ?? 0).rounded(.up)))
            guard state.requests != nil || state.tokens != nil || state.pausedUntil > 0 else { return (0, reserved) }
            let now = ProcessInfo.processInfo.systemUptime
            if state.pausedUntil > now { return (state.pausedUntil - now, reserved) }
            var tokens = state.tokens, requests = state.requests
            let tokenWait = tokens?.take(Double(reserved), now: now) ?? 0
            let requestWait = requests?.take(1, now: now) ?? 0
            guard tokenWait <= 0, requestWait <= 0 else { return (max(tokenWait, requestWait), reserved) }
            state.tokens = tokens
            state.requests = requests
            return (0, reserved)
        }
    }

    /// Corrects the token bucket once the real usage is known, and learns from it.
    func settle(reservedTokens: Int, actualTokens: Int?) {
        guard let actualTokens else { return }
        state.withLock { state in
            guard state.tokens != nil else { return }
            state.tokens?.adjust(by: Double(reservedTokens - actualTokens), now: ProcessInfo.processInfo.systemUptime)
            state.learnedTokens = state.learnedTokens.map { 0.8 * $0 + 0.2 * Double(actualTokens) } ?? Double(actualTokens)
        }
    }

    /// Why requests to this endpoint are no longer sent, once its key was rejected too often.
    var refusal: String? { state.withLock { $0.refusal } }

    /// Counts answers: `refuseAfter` key rejections (401, 403) in a row refuse the endpoint.
    func record(status: Int?, message: String) {
        state.withLock { state in
            guard status == 401 || status == 403 else {
                state.keyRejections = 0
                return
            }
            state.keyRejections += 1
            if state.keyRejections >= Self.refuseAfter && state.refusal == nil {
                let key = keyVariable.map { "the key in $\($0)" } ?? "its credentials"
                state.refusal =
                    "not sent: endpoint '\(name)' rejected \(key) \(state.keyRejections) times in a row "
                    + "(\(message)); check the key and run again (`assay run --resume` asks these items again)"
            }
        }
    }

    /// Holds every request to this endpoint for `seconds` (a 429 or 503 with Retry-After).
    func pause(for seconds: Double) {
        state.withLock { $0.pausedUntil = max($0.pausedUntil, ProcessInfo.processInfo.systemUptime + seconds) }
    }
}
