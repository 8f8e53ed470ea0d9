import AssayCore

/// BFCL's string normalisation (`standardize_string`): spaces and `,./-_*^` removed,
/// lower-cased, single quotes turned into double ones. "April 1, 2024", "april 1 2024" and
/// "April-1-2024" compare equal.
enum BFCLText {
    static func standardize(_ text: String) -> String {
        if let ascii = standardizeASCII(text) { return ascii }
        var kept = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where !removed.contains(scalar) {
            kept.append(scalar == "'" ? "\"" : scalar)
        }
        return String(kept).lowercased()
    }

    /// ASCII text standardized byte by byte (nearly every argument is ASCII); nil for any other.
    private static func standardizeASCII(_ text: String) -> String? {
        var kept: [UInt8] = []
        kept.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case 0x80...: return nil
            case UInt8(ascii: " "), UInt8(ascii: ","), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "-"),
                UInt8(ascii: "_"), UInt8(ascii: "*"), UInt8(ascii: "^"):
                continue
            case UInt8(ascii: "'"): kept.append(UInt8(ascii: "\""))
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): kept.append(byte + 0x20)
            default: kept.append(byte)
            }
        }
        return String(decoding: kept, as: UTF8.self)
    }

    /// A string standardized; any other value as it is.
    static func standardize(_ value: JSONValue) -> JSONValue {
        if case .string(let text) = value { return .string(standardize(text)) }
        return value
    }

    private static let removed: Set<Unicode.Scalar> = [" ", ",", ".", "/", "-", "_", "*", "^"]
}
