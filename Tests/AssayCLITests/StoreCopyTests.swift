import AssayCore
import AssayStore
import AssayTestServer
import AssayTestSupport
import Foundation
import Testing

/// `assay store copy` moves runs between a SQLite file and the shared PostgreSQL (when
/// `scripts/test` started one; otherwise between two files) without changing what they say.
@Suite struct StoreCopyTests {
    @Test func aRunCopiedThereAndBackReportsTheSame() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let shards = ShardMergeTests()
        let script = try shards.setUp(dir)
        try await TestServer.withTestServer(script: script) { server in
            let runID = TestPostgres.uniqueRunID("copied")
            let made = try await shards.run(dir, server, store: "made.sqlite", ["--run-id", runID])
            #expect(made.status == 0, "\(made)")
            // With a password in the URL (the throwaway cluster trusts loopback and ignores it),
            // which nothing may print.
            let middle =
                TestPostgres.url.map {
                    $0.replacingOccurrences(of: "postgres://postgres@", with: "postgres://postgres:s3cret-pw@")
                } ?? dir.path("middle.sqlite")
            let there = try await runAssay(["store", "copy", dir.path("made.sqlite"), middle, "--run", runID])
            #expect(there.status == 0, "\(there)")
            #expect(there.stdout.contains("copied 1 run (\(runID))"), "\(there.stdout)")
            let back = try await runAssay(["store", "copy", middle, dir.path("back.sqlite"), "--run", runID])
            #expect(back.status == 0, "\(back)")
            #expect(back.stdout.contains("48 results, 48 attempts"), "\(back.stdout)")

            let again = try await runAssay(["store", "copy", dir.path("made.sqlite"), middle, "--run", runID])
            #expect(again.status == 2 && again.stderr.contains("run \(runID) is already in this store"), "\(again)")
            let missing = try await runAssay([
                "store", "copy", dir.path("made.sqlite"), dir.path("new.sqlite"), "--run", "no-such-run",
            ])
            #expect(missing.status == 2 && missing.stderr.contains("no run 'no-such-run'"), "\(missing)")
            #expect(!dir.exists("new.sqlite"), "a refused copy leaves no store behind")

            func summary(_ store: String, _ reports: String) async throws -> JSONValue {
                let report = try await runAssay(["report", runID, "--store", store, "--reports", dir.path(reports)])
                #expect(report.status == 0, "\(report)")
                return ShardMergeTests.untimed(
                    try JSONDecoder().decode(
                        JSONValue.self,
                        from: Data(contentsOf: URL(fileURLWithPath: dir.path("\(reports)/\(runID)/summary.json")))))
            }
            for output in [there.stdout, there.stderr, back.stdout, back.stderr, again.stdout, again.stderr] {
                #expect(!output.contains("s3cret-pw"), "a password is never printed: \(output)")
            }
            let original = try await summary(dir.path("made.sqlite"), "r1")
            #expect(try await summary(middle, "r2") == original)
            #expect(try await summary(dir.path("back.sqlite"), "r3") == original)
        }
    }
}
