/// A problem found in a file a user wrote, with where it is: `file:line: message`.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based line; nil when the problem concerns the file as a whole.
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var location: String {
        if let line { return "\(file):\(line)" }
        return file
    }

    public var description: String { "\(location): \(message)" }
}

/// Bad input or configuration: one or more problems, each with its location.
///
/// The CLI maps this error to exit code 2. Its text never carries secrets: it is built
/// from file names, line numbers and what was wrong, not from values read from the
/// environment.
public struct InputError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public init(file: String, line: Int? = nil, _ message: String) {
        self.diagnostics = [Diagnostic(file: file, line: line, message)]
    }

    /// A problem that has no file, such as a flag combination or a missing variable.
    public init(_ message: String) {
        self.diagnostics = [Diagnostic(file: "assay", message)]
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
