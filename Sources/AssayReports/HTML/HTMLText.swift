/// Escaping for HTML text and attribute values: `&`, `<`, `>`, `"` and `'`, and the
/// characters a browser would choke on (NUL and the other C0 controls but tab, LF and CR)
/// replaced by U+FFFD. Every string that came from a model, a suite or a catalog goes
/// through here; markup is only ever written by Assay's own code.
enum HTMLText {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0xFFFE...0xFFFF).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// At most `limit` characters, with a note of how many more there were.
    static func truncated(_ text: String, _ limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit))
            + "\n[... \(text.count - limit) more characters: the store and report.xml have them all]"
    }
}
