import AssayCore
import AssayStore
import Foundation

/// `--join`'s wait for its run: the workers of a CI matrix start together, and a joining worker
/// may start before the one that creates the run. The run and its queue appear in one
/// transaction, so a run found here has every item to claim.
enum JoinWait {
    static let defaultSeconds = 300.0
    static let poll = Duration.milliseconds(250)

    /// The run once it is in the store, or nil when it has not appeared within `seconds`.
    static func run(_ id: String, in store: any RunStore, seconds: Double) async throws -> RunManifest? {
        if let manifest = try await store.run(id) { return manifest }
        guard seconds > 0 else { return nil }
        Terminal.note(
            "waiting up to \(Int(seconds.rounded())) s for run \(id) to appear in \(store.location) (--join-timeout)")
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: poll)
            if let manifest = try await store.run(id) { return manifest }
        }
        return nil
    }
}
