import Foundation
import GRDB
import PostgresNIO

/// A PostgreSQL query's rows handed to a synchronous reader a bounded number at a time, so
/// that a report reads a shared run of any size in flat memory, as it reads SQLite.
///
/// The query is read by a task (postgres-nio's row stream asks the server for more only as
/// rows are taken); the reader runs on a thread of its own (`RowPipe.read`) and blocks while
/// the pipe is empty, never a thread of Swift's cooperative pool. The task waits, without a
/// thread, while the pipe is full.
final class RowPipe: @unchecked Sendable {
    typealias Values = [String: DatabaseValue]

    /// Rows travel in chunks (fewer hand-offs); at most `chunks` chunks wait in the pipe.
    static let chunkSize = 256
    static let chunks = 4

    private let lock = NSCondition()
    // Guarded by `lock`.
    private var buffered: [[Values]] = []
    private var current: IndexingIterator<[Values]> = [Values]().makeIterator()
    private var ended = false
    private var failure: (any Error)?
    private var readerGone = false
    private var waitingWriter: CheckedContinuation<Void, Never>?

    // MARK: The writing side (async)

    /// Adds a chunk; false once the reader has gone (stop reading the query).
    func put(_ chunk: [Values]) async -> Bool {
        while true {
            let admitted: Bool? = lock.withLock {
                if readerGone { return false }
                guard buffered.count < Self.chunks else { return nil }
                buffered.append(chunk)
                lock.broadcast()
                return true
            }
            if let admitted { return admitted }
            await withCheckedContinuation { continuation in
                let resumeNow = lock.withLock {
                    if readerGone || buffered.count < Self.chunks { return true }
                    waitingWriter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
    }

    /// The query ended (with `error`, when it failed).
    func finish(_ error: (any Error)? = nil) {
        lock.withLock {
            ended = true
            failure = error
            lock.broadcast()
        }
    }

    // MARK: The reading side (blocking, on the reader's thread)

    /// The next row, nil at the end; throws the query's error.
    func next() throws -> Values? {
        if let row = current.next() { return row }
        let (chunk, writer): ([Values]?, CheckedContinuation<Void, Never>?) = try lock.withLock {
            while buffered.isEmpty && !ended { lock.wait() }
            if buffered.isEmpty {
                if let failure { throw failure }
                return (nil, nil)
            }
            let chunk = buffered.removeFirst()
            let writer = waitingWriter
            waitingWriter = nil
            return (chunk, writer)
        }
        writer?.resume()
        guard let chunk else { return nil }
        current = chunk.makeIterator()
        return current.next()
    }

    /// The reader is done (at the end, or early): the writer stops.
    func close() {
        let writer: CheckedContinuation<Void, Never>? = lock.withLock {
            readerGone = true
            buffered.removeAll()
            let writer = waitingWriter
            waitingWriter = nil
            return writer
        }
        writer?.resume()
    }

    /// Runs `query` on `client` and `body` on a thread of its own, `body` reading the rows
    /// through the pipe; returns what `body` returns once both have ended.
    static func read<T: Sendable>(
        _ query: PostgresQuery, on client: PostgresClient, _ body: @escaping @Sendable (RowPipe) throws -> T
    ) async throws -> T {
        let pipe = RowPipe()
        let writer = Task {
            do {
                var chunk: [Values] = []
                chunk.reserveCapacity(chunkSize)
                for try await row in try await client.query(query) {
                    chunk.append(try PostgresStore.values(row))
                    if chunk.count == chunkSize {
                        guard await pipe.put(chunk) else { return }
                        chunk.removeAll(keepingCapacity: true)
                    }
                }
                if !chunk.isEmpty { guard await pipe.put(chunk) else { return } }
                pipe.finish()
            } catch {
                pipe.finish(error)
            }
        }
        let result: Result<T, any Error> = await withCheckedContinuation { continuation in
            let thread = Thread {
                let result = Result { try body(pipe) }
                pipe.close()
                continuation.resume(returning: result)
            }
            thread.name = "assay.store.reader"
            thread.start()
        }
        await writer.value
        return try result.get()
    }
}
