import AssayAnalysis
import AssayCore
import AssayRuns
import AssayStore
import Foundation
import Synchronization

/// A run, or one model's results in a run, as the comparing verbs name them: `RUN` or
/// `RUN@MODEL`, where RUN is a run id or `latest` and MODEL an id or alias. A run of one
/// model needs no `@MODEL`.
struct RunReference: CustomStringConvertible {
    var run: String
    var model: String?

    init(_ text: String) {
        if let at = text.firstIndex(of: "@") {
            run = String(text[..<at])
            model = String(text[text.index(after: at)...])
        } else {
            run = text
        }
    }

    init(run: String, model: String?) {
        self.run = run
        self.model = model
    }

    var description: String { model.map { "\(run)@\($0)" } ?? run }

    /// One model's own results in the run.
    func side(in store: any RunStore, inputRatio: Double? = nil) async throws -> Side {
        let manifest = try await StoredRuns.manifest(run, in: store)
        let model = try resolvedModel(in: manifest, store: store)
        return try await Side.load(run: manifest.id, model: model, from: store, inputRatio: inputRatio)
    }

    /// The model's id as the run stored it: an alias resolves through the run's catalog.
    func resolvedModel(in manifest: RunManifest, store: any RunStore) throws(InputError) -> String {
        guard let name = model, !name.isEmpty else {
            guard manifest.models.count == 1, let only = manifest.models.first else {
                throw InputError(
                    file: store.location,
                    "run \(manifest.id) has \(manifest.models.count) models (\(manifest.models.joined(separator: ", "))): name one, as \(manifest.id)@MODEL"
                )
            }
            return only
        }
        if manifest.models.contains(name) { return name }
        if let spec = manifest.catalog.model(named: name), manifest.models.contains(spec.id) { return spec.id }
        throw InputError(
            file: store.location,
            "run \(manifest.id) has no model '\(name)' (its models: \(manifest.models.joined(separator: ", ")))")
    }
}

/// Opening the store and finding runs in it, for the verbs that read stored results. Every
/// store a command opens is kept here and closed when the command ends (`withExitStatus`),
/// whatever way it ends: a PostgreSQL store's connections are closed, not dropped.
enum StoredRuns {
    /// The store at `location` (a SQLite file, which must exist: reading verbs never create
    /// one, and open it read-only unless `writing`, as the verbs that keep a label or a
    /// decision do; or a postgres:// URL).
    static func open(_ location: String, writing: Bool = false) async throws -> any RunStore {
        if StoreLocation.isPostgres(location) { return keep(try await StoreLocation.open(location)) }
        guard FileManager.default.fileExists(atPath: location) else {
            throw InputError(
                file: location, "no store here; `assay run` creates it, or pass --store FILE (or postgres://…)")
        }
        return keep(writing ? try Store(path: location) : try Store(readingOnly: location))
    }

    /// The store a command writes at `location`, created when needed (`StoreLocation.open`).
    static func openForWriting(_ location: String) async throws(InputError) -> any RunStore {
        keep(try await StoreLocation.open(location))
    }

    /// `store`, to be closed when the command ends.
    @discardableResult
    static func keep<S: RunStore>(_ store: S) -> S {
        opened.withLock { stores in
            if !stores.contains(where: { $0 === store }) { stores.append(store) }
        }
        return store
    }

    /// Every store the command opened, for `closeAll`.
    private static let opened = Mutex<[any RunStore]>([])

    /// Closes what the command opened: it is done with it (`withExitStatus` calls this).
    static func closeAll() async {
        for store in opened.withLock({ stores in
            defer { stores = [] }; return stores
        }) { await store.close() }
    }

    /// The run of that id, or the newest for `latest`.
    static func manifest(_ id: String, in store: any RunStore) async throws -> RunManifest {
        if id == "latest" {
            guard let newest = try await store.runs().first else {
                throw InputError(file: store.location, "the store has no runs yet")
            }
            return newest
        }
        guard let manifest = try await store.run(id) else {
            throw InputError(file: store.location, "no run '\(id)' in the store (`assay report --list` shows the runs)")
        }
        return manifest
    }

    /// A directory name made from labels: letters, digits, dot, dash and underscore kept.
    static func slug(_ parts: [String]) -> String {
        parts.map { part in
            String(part.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "-" })
        }.joined(separator: "_vs_")
    }
}
