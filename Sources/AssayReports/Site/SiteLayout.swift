import AssayCore
import SystemPackage

/// Where a published site keeps each page, and the relative links between them: every link
/// is relative, so the site works from `file://`, any static host and a sub-path of GitHub
/// Pages alike.
///
/// ```
/// index.html                  the leaderboard: per suite and tag slice, ranked by value
/// runs/index.html             every run, newest first
/// runs/<run>/index.html ...   each run's own report (index.html, report.xml, summary.json, ...)
/// models/<model>.html         a model's history across runs
/// suites/<suite>.html         a suite's versions (fingerprints) and its runs
/// decisions/<id>/index.html   each compare, gate and route compare kept in the stores
/// leaderboard.json            the front page as data (schemas/assay-leaderboard-1.schema.json)
/// feed.xml                    an Atom feed of runs
/// .assay-site.json            what the last publish wrote (for the next one to skip)
/// ```
enum SiteLayout {
    static let front = "index.html"
    static let runsList = "runs/index.html"
    static let leaderboard = "leaderboard.json"
    static let feed = "feed.xml"
    static let state = ".assay-site.json"

    static func runDirectory(_ id: String) -> String { "runs/\(id)" }
    static func runPage(_ id: String) -> String { "runs/\(id)/index.html" }
    static func decisionDirectory(_ id: String) -> String { "decisions/\(id)" }
    static func decisionPage(_ id: String) -> String { "decisions/\(id)/index.html" }
    static func modelPage(_ model: String) -> String { "models/\(slug(model)).html" }
    static func suitePage(_ suite: String) -> String { "suites/\(slug(suite)).html" }

    /// `target` (a path from the site's root) as a link from the page at `page`.
    static func href(_ target: String, from page: String) -> String {
        let depth = page.split(separator: "/").count - 1
        return String(repeating: "../", count: depth) + target
    }

    /// A name as a file name: letters, digits, `.`, `_` and `-` kept; when anything had to
    /// change, a hash of the name is added so that two names never share a page.
    static func slug(_ name: String) -> String {
        let kept = String(
            name.unicodeScalars.map { scalar -> Character in
                isSafe(scalar) ? Character(scalar) : "-"
            })
        let safe = kept == name && name != "." && name != ".." && !name.isEmpty && name.count <= 100
        return safe ? name : String(kept.prefix(60)) + "-" + String(StableHash.hex([name]).prefix(8))
    }

    private static func isSafe(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
            || "._-".unicodeScalars.contains(scalar)
    }

    /// The path `relative` under the site's root `root`.
    static func path(_ relative: String, under root: String) -> String {
        FilePath(root).appending(relative).string
    }
}
