import Synchronization

/// The prompt files whose text a store holds already, by path (issue 34): a result whose
/// prompt names one of them (`PromptFile`'s marker) is recorded by its hash, without reading
/// the file again or carrying its text to the writer. A file is remembered only once a
/// commit that stored its text has succeeded, and only when its text goes into a JSON body
/// as it is (a cached body can then name it), so that nothing refers to a piece not stored.
final class PromptFilePieces: Sendable {
    private let hashes = Mutex<[String: String]>([:])

    /// The hash of the file's text, when the store holds it.
    func hash(of path: String) -> String? { hashes.withLock { $0[path] } }

    /// Remembers that the store holds `path`'s text under `hash`.
    func remember(_ path: String, hash: String) { hashes.withLock { $0[path] = hash } }
}
