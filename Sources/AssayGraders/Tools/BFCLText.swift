import AssayCore

/// BFCL's string normalisation (`standardize_string`): spaces and `,./-_*^` removed,
/// lower-cased, single quotes turned into double ones. "April 1, 2024", "april 1 2024" and
/// "April-1-2024" compare equal.
enum BFCLText {
    static func standardize(_ text: String) -> String {
        var kept = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where !removed.contains(scalar) {
            kept.append(scalar == "'" ? "\"" : scalar)
        }
        return String(kept).lowercased()
    }

    /// A string standardized; any other value as it is.
    static func standardize(_ value: JSONValue) -> JSONValue {
        if case .string(let text) = value { return .string(standardize(text)) }
        return value
    }

    private static let removed: Set<Unicode.Scalar> = [" ", ",", ".", "/", "-", "_", "*", "^"]
}
