import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// The run manifest's sandbox mode: typed in new runs, read off the description in old ones.
@Suite struct ManifestSandboxTests {
    static let unsafe =
        "none: model code ran unsandboxed (--unsafe-no-sandbox); no control group here: memory and processes bounded per process only"
    static let safe = "bubblewrap 0.8.0; memory and processes bounded for the whole sandbox (cgroup v2)"

    /// A manifest's JSON as stores held it before the mode was kept: the description only.
    func legacy(sandbox: String?) throws -> RunManifest {
        var manifest = StoreTests.manifest("old")
        manifest.sandbox = sandbox
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        var object = try #require(JSONSerialization.jsonObject(with: encoder.encode(manifest)) as? [String: Any])
        #expect(object["sandboxMode"] == nil)
        object["sandboxMode"] = nil
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode(RunManifest.self, from: JSONSerialization.data(withJSONObject: object))
    }

    @Test func oldManifestsGiveTheSameAnswer() throws {
        let unsafe = try legacy(sandbox: Self.unsafe)
        #expect(unsafe.sandboxMode == nil)
        #expect(unsafe.codeSandbox == .unsandboxed && unsafe.ranCodeUnsandboxed)
        let safe = try legacy(sandbox: Self.safe)
        #expect(safe.codeSandbox == .bubblewrap && !safe.ranCodeUnsandboxed)
        let none = try legacy(sandbox: nil)
        #expect(none.codeSandbox == nil && !none.ranCodeUnsandboxed)
    }

    @Test func theModeIsStoredAndWinsOverTheDescription() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.path("assay.sqlite"))
        var manifest = StoreTests.manifest("typed")
        manifest.sandbox = "a description that names no mode"
        manifest.sandboxMode = .unsandboxed
        try await store.createRun(manifest)
        let read = try #require(try await store.run("typed"))
        #expect(read.sandboxMode == .unsandboxed && read.ranCodeUnsandboxed)
        #expect(read.sandbox == manifest.sandbox)
        let encoded = String(decoding: try JSONEncoder().encode(read), as: UTF8.self)
        #expect(encoded.contains(#""sandboxMode":"none""#))
    }
}
