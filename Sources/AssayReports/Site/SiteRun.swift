import AssayAnalysis
import AssayCore
import Foundation

/// A run as the site shows it: its manifest and its points (per model and suite).
struct SiteRun: Sendable {
    var manifest: RunManifest
    var points: [SitePoint]

    /// The models with a result in the run (each has a page).
    var models: [String] { Array(Set(points.map(\.model))).sorted() }

    static func newestFirst(_ a: SiteRun, _ b: SiteRun) -> Bool {
        (a.manifest.startedAt, a.manifest.id) > (b.manifest.startedAt, b.manifest.id)
    }
}

/// What the last publish wrote, kept in the site (`.assay-site.json`): each run's key (what
/// its report was made from) and points, so that the next publish writes a run's report
/// again only when the run changed; and every file written, so that files of runs gone from
/// the stores are removed (and nothing else is).
struct SiteState: Codable {
    struct RunEntry: Codable {
        var key: String
        var points: [SitePoint]
    }

    /// Raised when what the pages show changes, so that a new Assay rewrites every report.
    static let format = 1

    var format = SiteState.format
    var runs: [String: RunEntry] = [:]
    var files: [String] = []

    static func read(_ path: String) -> SiteState? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        guard let state = try? decoder.decode(SiteState.self, from: data), state.format == format else { return nil }
        return state
    }

    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}
