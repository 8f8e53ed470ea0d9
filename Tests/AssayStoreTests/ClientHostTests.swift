import AssayCore
import AssayStore
import AssayTestSupport
import Testing

/// A PostgreSQL store opened inside `ClientHost.run` (as every CLI command is) has its
/// client's run loop in the host: it serves queries while the work runs, and is over, its
/// connections closed, when the work is, without anyone calling `close`.
@Suite struct ClientHostTests {
    struct Escaped: Error {}

    @Test(.enabled(if: TestPostgres.url != nil, "set ASSAY_TEST_POSTGRES (scripts/test starts one)"))
    func theHostEndsTheClientWithTheWork() async throws {
        let url = try #require(TestPostgres.url)
        let store = try await ClientHost.run {
            let store = try await StoreLocation.open(url)
            _ = try await store.runs()  // the client runs in the host
            return store
        }
        await #expect(throws: (any Error).self, "the client's run loop ended with the work") {
            _ = try await store.runs()
        }
        // Work that throws ends its clients too, and the error comes out as it was.
        await #expect(throws: Escaped.self) {
            try await ClientHost.run {
                _ = try await StoreLocation.open(url).runs()
                throw Escaped()
            }
        }
    }
}
