import PostgresNIO

/// Runs the PostgreSQL clients a piece of work opens as child tasks of that work: a store
/// opened inside `ClientHost.run` has its client's run loop in the host's task group, which
/// ends it (gracefully: the client closes its connections when its task is cancelled) once
/// the work is done, however it ends. The CLI runs every command in a host; code outside one
/// (tests, benchmarks) gets a run loop that `PostgresStore.close` ends.
public enum ClientHost {
    /// Where a store opened in this task hands its client to be run.
    @TaskLocal static var current: Registrar?

    final class Registrar: Sendable {
        let continuation: AsyncStream<PostgresClient>.Continuation
        init(_ continuation: AsyncStream<PostgresClient>.Continuation) { self.continuation = continuation }
    }

    /// Runs `work` in this task, and the run loop of every PostgreSQL client it opens in a
    /// child task; when `work` returns or throws, those are cancelled and awaited.
    public static func run<T>(_ work: () async throws -> T) async throws -> T {
        let (clients, continuation) = AsyncStream.makeStream(of: PostgresClient.self)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await withDiscardingTaskGroup { loops in
                    for await client in clients { loops.addTask { await client.run() } }
                }
            }
            defer {
                continuation.finish()
                group.cancelAll()
            }
            return try await $current.withValue(Registrar(continuation)) { try await work() }
        }
    }
}
