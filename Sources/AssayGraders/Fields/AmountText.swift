import AssayCore
import Foundation

/// Money as the `fields` grader compares it: a number of cents.
///
/// Read from a JSON number, or from text with a currency sign or word (`¥`, `$`, `RMB`, `CNY`,
/// `USD`, `元`, `人民币`, ...) before or after it and thousands separators in it:
/// `"¥1,234.50"`, `"RMB 1234.5"`, `"1,234.50元"`. Rounded half up to the cent. A comma is
/// a thousands separator only between groups of three digits; anything else (`"12,5"`,
/// `"about 12"`) is not an amount.
enum AmountText {
    /// Currency marks taken off either end, longest first.
    private static let marks = [
        "人民币", "us$", "usd", "rmb", "cny", "cn¥", "hk$", "¥", "$", "元", "圆", "块",
    ]

    static func cents(_ value: JSONValue) -> Int? {
        switch value {
        case .int(let number):
            return number.multipliedReportingOverflow(by: 100).overflow ? nil : number * 100
        case .double(let number):
            guard number.isFinite, abs(number) < 1e15 else { return nil }
            return Int((number * 100).rounded(.toNearestOrAwayFromZero))
        case .string(let text):
            return cents(text)
        default:
            return nil
        }
    }

    static func cents(_ written: String) -> Int? {
        // The common case, plain digits (`"1234.50"`, `"1,234.5"`), without NFKC or marks.
        if written.utf8.allSatisfy({ (0x30...0x39).contains($0) || $0 == 0x2E || $0 == 0x2C }) {
            return plainCents(written)
        }
        let normalized =
            written.utf8.allSatisfy { $0 < 0x80 } ? written : written.precomposedStringWithCompatibilityMapping
        var text = Substring(normalized.lowercased())
        var negative = false
        var trimmed = true
        while trimmed {
            trimmed = false
            text = text.drop(while: \.isWhitespace)
            while text.last?.isWhitespace == true { text.removeLast() }
            if !negative, text.hasPrefix("-") {
                negative = true
                text.removeFirst()
                trimmed = true
            }
            for mark in marks {
                if text.hasPrefix(mark) {
                    text.removeFirst(mark.count)
                    trimmed = true
                }
                if text.hasSuffix(mark) {
                    text.removeLast(mark.count)
                    trimmed = true
                }
            }
        }
        guard let value = plainCents(String(text)) else { return nil }
        return negative ? -value : value
    }

    /// Digits, optional thousands separators, an optional fraction: cents, rounded half up.
    private static func plainCents(_ text: String) -> Int? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty || parts.count == 2 else { return nil }
        let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
        if groups.count > 1 {
            guard (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
                return nil
            }
        }
        let digits = groups.joined()
        let fraction = parts.count == 2 ? parts[1] : ""
        guard digits.count <= 15, digits.allSatisfy(\.isASCIIDigit), fraction.allSatisfy(\.isASCIIDigit),
            !(digits.isEmpty && fraction.isEmpty)
        else { return nil }
        let units = Int(digits.isEmpty ? "0" : digits) ?? 0
        let padded = Array(fraction) + ["0", "0", "0"]
        let cents = Int(String(padded[0...1])) ?? 0
        let roundUp = (padded[2].wholeNumberValue ?? 0) >= 5 ? 1 : 0
        return units * 100 + cents + roundUp
    }

    /// Cents as the reports show an amount: `1234.50`, `-0.05`.
    static func text(cents: Int) -> String {
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return (cents < 0 ? "-" : "") + "\(magnitude / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
