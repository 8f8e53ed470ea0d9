/// A counting semaphore for async code: at most `limit` holders at a time, the rest wait in
/// arrival order. A waiter is not woken by cancellation: it gets its slot in turn and should
/// check for cancellation then.
public actor AsyncSemaphore {
    private let limit: Int
    private var held = 0
    private var waiters: [(id: Int, continuation: CheckedContinuation<Void, Never>)] = []
    private var nextID = 0

    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Runs `body` while holding one of the semaphore's slots.
    public func withSlot<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    public func acquire() async {
        if held < limit {
            held += 1
            return
        }
        nextID += 1
        let id = nextID
        await withCheckedContinuation { continuation in
            waiters.append((id, continuation))
        }
        // The releaser handed its slot over: `held` already counts this holder.
    }

    public func release() {
        if waiters.isEmpty {
            held = max(0, held - 1)
        } else {
            waiters.removeFirst().continuation.resume()
        }
    }
}
