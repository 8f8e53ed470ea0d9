import AssayCore
import Foundation
import SystemPackage

/// The site's files as a publish writes them: a file is written (aside, then renamed) only
/// when its bytes differ from what is there, and every file the site holds is noted, so that
/// what the last publish wrote and this one did not can be removed.
struct SiteFiles {
    let root: String
    private(set) var present: Set<String> = []
    private(set) var written = 0
    private(set) var unchanged = 0

    init(root: String) { self.root = root }

    func createRoot() throws(InputError) {
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw InputError(file: root, "cannot create the site's directory: \(error.localizedDescription)")
        }
    }

    func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: SiteLayout.path(relative, under: root))
    }

    /// Notes files written by another (a run's report).
    mutating func keep(_ relatives: [String]) { present.formUnion(relatives) }

    mutating func put(_ text: String, at relative: String) throws(InputError) {
        try put(Data(text.utf8), at: relative)
    }

    mutating func put(_ data: Data, at relative: String) throws(InputError) {
        present.insert(relative)
        let path = SiteLayout.path(relative, under: root)
        if FileManager.default.contents(atPath: path) == data {
            unchanged += 1
            return
        }
        let directory = FilePath(path).removingLastComponent().string
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw InputError(file: directory, "cannot create the site's directory: \(error.localizedDescription)")
        }
        try ReportFiles.writeText(String(decoding: data, as: UTF8.self), to: path)
        written += 1
    }

    /// A file another writer makes at a path it is given (libxml2's): made aside, then put.
    mutating func put(written relative: String, _ make: (String) throws -> Void) throws {
        let aside = SiteLayout.path(relative, under: root) + ".partial"
        try make(aside)
        defer { try? FileManager.default.removeItem(atPath: aside) }
        guard let data = FileManager.default.contents(atPath: aside) else {
            throw InputError(file: aside, "the site's file was not written")
        }
        try put(data, at: relative)
    }

    /// Removes the files of `previous` (the last publish's) that this publish did not write,
    /// and the folders that leaves empty; returns how many files went.
    func removeStale(_ previous: [String]) -> Int {
        var removed = 0
        for relative in previous where !present.contains(relative) && !relative.hasPrefix("/") {
            guard !relative.split(separator: "/").contains("..") else { continue }
            let path = SiteLayout.path(relative, under: root)
            guard (try? FileManager.default.removeItem(atPath: path)) != nil else { continue }
            removed += 1
            var directory = FilePath(path).removingLastComponent()
            while directory.string.count > root.count,
                (try? FileManager.default.contentsOfDirectory(atPath: directory.string))?.isEmpty == true
            {
                try? FileManager.default.removeItem(atPath: directory.string)
                directory = directory.removingLastComponent()
            }
        }
        return removed
    }
}
