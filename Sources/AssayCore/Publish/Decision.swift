import Foundation

/// A decision made from stored runs: a `compare`, a `gate` or a `route compare`, kept in the
/// store as it was rendered, so that a published site shows it beside the runs it read.
///
/// The page is kept, not the inputs: a gate's verdict is an event (its policy file may change
/// or go), and the site must show what was decided then. `page` is rendered for the site's
/// layout (`decisions/<id>/index.html`, the runs it read at `runs/<run>/index.html`).
public struct Decision: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case compare
        case gate
        case route
    }

    /// Safe as a file name (`RunManifest.isSafeID`); the same decision asked again (same
    /// kind, sides and policy) has the same id and replaces the last.
    public var id: String
    public var kind: Kind
    /// "run-a@v3 → run-b@v4-flash", or the two policies for a route compare.
    public var title: String
    /// The runs it read, in the order the page names them.
    public var runs: [String]
    public var createdAt: Date
    /// A gate's verdict (or a route compare's under `--policy`); nil for a plain compare.
    public var passed: Bool?
    /// index.html for the site, and comparison.json.
    public var page: String
    public var json: String

    public init(
        id: String, kind: Kind, title: String, runs: [String], createdAt: Date, passed: Bool?, page: String,
        json: String
    ) {
        self.id = id
        self.kind = kind
        self.title = title
        self.runs = runs
        self.createdAt = createdAt
        self.passed = passed
        self.page = page
        self.json = json
    }

    /// An id from the decision's kind and what it names (runs, models, policies): readable
    /// when short, and a hash's prefix added past 100 characters so that it stays a file name.
    public static func id(kind: Kind, naming parts: [String]) -> String {
        let readable = ([kind.rawValue] + parts).joined(separator: "_").unicodeScalars.map {
            RunManifest.isSafeID(String($0)) ? String($0) : "-"
        }.joined()
        guard readable.count > 100 else { return readable }
        return String(readable.prefix(80)) + "-" + StableHash.hex([readable])
    }
}

/// A run's label and note (`assay run --label`, `assay label RUN`): what a person called it.
public struct RunLabel: Sendable, Hashable, Codable {
    public var text: String
    public var note: String?

    public init(text: String, note: String? = nil) {
        self.text = text
        self.note = note
    }
}
