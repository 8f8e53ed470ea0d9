import AssayCore
import AssayStore

/// Keeping a compare's, gate's or route compare's page in the store it read, for
/// `assay publish`. Its files are written to --out either way: a store that cannot take the
/// decision (a read-only file) costs a note, never the decision itself.
enum DecisionKeeping {
    static func keep(_ decision: Decision, in location: String) async {
        do {
            let store = try await StoredRuns.open(location, writing: true)
            try await store.record(decision: decision)
            Terminal.note("kept in \(store.location) as decision \(decision.id) (`assay publish` shows it)")
        } catch {
            Terminal.note("the decision was not kept in the store (`assay publish` will not show it): \(error)")
        }
    }

    /// The run ids that `references` name (`latest` resolved).
    static func runs(_ references: [RunReference], in store: any RunStore) async throws -> [String] {
        var ids: [String] = []
        for reference in references {
            let id = try await StoredRuns.manifest(reference.run, in: store).id
            if !ids.contains(id) { ids.append(id) }
        }
        return ids
    }
}
