import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// The prompt a routing rule matches is stored with its result and read back as it was
/// built; rows stored without it read none (routing then reads the transcript).
@Suite struct RoutedPromptStoreTests {
    static let request = ChatRequest(
        model: "m",
        messages: [
            ChatMessage(role: .system, text: "Answer.\n\nuser: not the user"),
            ChatMessage(role: .user, parts: [.text("Which label?"), .imageURL("data:image/png;base64,iVBO")]),
        ])

    @Test func theRoutedPromptRoundTripsAndOldRowsHaveNone() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.path("assay.sqlite"))
        try await store.createRun(StoreTests.manifest("r"))
        var typed = StoreTests.result("r", case: "typed")
        typed.prompt = Self.request.transcript
        typed.routedPrompt = Self.request.routedPrompt
        var old = StoreTests.result("r", case: "old")
        old.prompt = Self.request.transcript
        try await store.record(typed)
        try await store.record(old)
        let read = Dictionary(uniqueKeysWithValues: try await store.results(run: "r").map { ($0.caseID, $0) })
        let stored = try #require(read["typed"]?.routedPrompt)
        #expect(stored == RoutedPrompt(text: "Which label?\n[image]", hasImage: true))
        #expect(read["old"]?.routedPrompt == nil)
    }
}

extension RoutedPromptStoreTests {
    /// A store written before v6 (no `routed_prompt` column), opened by a reading verb (read
    /// only: not migrated), reads its results with no routed prompt.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "needs the sqlite3 shell"))
    func aStoreFromBeforeV6ReadsWithoutMigrating() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = dir.path("assay.sqlite")
        do {
            let store = try Store(path: path)
            try await store.createRun(StoreTests.manifest("r"))
            var result = StoreTests.result("r", case: "c")
            result.prompt = Self.request.transcript
            try await store.record(result)
        }
        try Self.sqlite3(
            path,
            "PRAGMA journal_mode=DELETE; ALTER TABLE results DROP COLUMN routed_prompt; DELETE FROM grdb_migrations WHERE identifier LIKE 'v6%';"
        )
        let read = try await Store(readingOnly: path).results(run: "r")
        #expect(read.map(\.caseID) == ["c"])
        #expect(read.first?.routedPrompt == nil && read.first?.prompt == Self.request.transcript)
    }

    /// A column `ResultRecord` declares and the table lacks (here dropped behind the
    /// migrations' back, as a field added after the store was made would be) is added when
    /// the store is next opened for writing: a new result field needs no migration.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "needs the sqlite3 shell"))
    func aColumnTheTableLacksIsAddedWhenTheStoreOpens() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = dir.path("assay.sqlite")
        do {
            let store = try Store(path: path)
            try await store.createRun(StoreTests.manifest("r"))
        }
        try Self.sqlite3(
            path,
            "PRAGMA journal_mode=DELETE; ALTER TABLE results DROP COLUMN routed_prompt; ALTER TABLE results DROP COLUMN cached_at;"
        )
        let store = try Store(path: path)
        var result = StoreTests.result("r", case: "c")
        result.routedPrompt = Self.request.routedPrompt
        try await store.record(result)
        let read = try await store.results(run: "r")
        #expect(read.first?.routedPrompt == RoutedPrompt(text: "Which label?\n[image]", hasImage: true))
    }

    /// Runs `sql` on the store at `path` with the sqlite3 shell, behind GRDB's back.
    static func sqlite3(_ path: String, _ sql: String) throws {
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        shell.arguments = [path, sql]
        try shell.run()
        shell.waitUntilExit()
        #expect(shell.terminationStatus == 0, "sqlite3: \(sql)")
    }
}
