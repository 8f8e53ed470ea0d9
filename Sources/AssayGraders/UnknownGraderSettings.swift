import AssayCore
import SystemPackage

extension Suite {
    /// The grader settings `allowed` does not name, each at its line in suite.yaml: "the
    /// NAME grader takes no setting 'key'; it takes: a, b" (without the list when it takes none).
    /// Every grader refuses a setting it does not read, so that a misspelt one is not ignored.
    func unknownGraderSettings(_ settings: [String: JSONValue], grader name: String, allowed: [String] = [])
        -> [Diagnostic]
    {
        let file = FilePath(directory).appending("suite.yaml").string
        let takes = allowed.isEmpty ? "" : "; it takes: " + allowed.joined(separator: ", ")
        return settings.keys.sorted().filter { !allowed.contains($0) }.map { key in
            grader.diagnostic(key, file: file, "the \(name) grader takes no setting '\(key)'\(takes)")
        }
    }
}
