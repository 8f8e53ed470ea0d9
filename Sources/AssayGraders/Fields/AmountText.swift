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
        if written.utf8.allSatisfy({ $0 < 0x80 }) {
            return asciiCents(Array(written.utf8)[...])
        }
        var text = Substring(written.precomposedStringWithCompatibilityMapping.lowercased())
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
        guard let value = plainCents(Array(text.utf8)[...]) else { return nil }
        return negative ? -value : value
    }

    /// ASCII marks, lower case, as bytes.
    private static let asciiMarks = marks.filter { $0.utf8.allSatisfy { $0 < 0x80 } }.map { Array($0.utf8) }

    /// `cents` for ASCII text (where NFKC changes nothing): the same trimming, on bytes.
    private static func asciiCents(_ written: ArraySlice<UInt8>) -> Int? {
        // A plain number ("23.50", "1,234"): nothing to trim.
        if written.allSatisfy({ (0x30...0x39).contains($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ",") }) {
            return plainCents(written)
        }
        var text = written
        var negative = false
        var trimmed = true
        func lower(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte + 0x20 : byte }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        while trimmed {
            trimmed = false
            while let first = text.first, isSpace(first) { text.removeFirst() }
            while let last = text.last, isSpace(last) { text.removeLast() }
            if !negative, text.first == UInt8(ascii: "-") {
                negative = true
                text.removeFirst()
                trimmed = true
            }
            for mark in asciiMarks {
                if text.count >= mark.count, zip(text.prefix(mark.count), mark).allSatisfy({ lower($0) == $1 }) {
                    text.removeFirst(mark.count)
                    trimmed = true
                }
                if text.count >= mark.count, zip(text.suffix(mark.count), mark).allSatisfy({ lower($0) == $1 }) {
                    text.removeLast(mark.count)
                    trimmed = true
                }
            }
        }
        guard let value = plainCents(text) else { return nil }
        return negative ? -value : value
    }

    /// Digits, optional thousands separators, an optional fraction: cents, rounded half up.
    private static func plainCents(_ text: ArraySlice<UInt8>) -> Int? {
        let dot = UInt8(ascii: "."), comma = UInt8(ascii: ",")
        func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
        let point = text.firstIndex(of: dot)
        let whole = text[..<(point ?? text.endIndex)]
        let fraction = point.map { text[($0 + 1)...] } ?? []
        guard !fraction.contains(dot), !whole.isEmpty || point != nil else { return nil }
        if whole.contains(comma) {
            let groups = whole.split(separator: comma, omittingEmptySubsequences: false)
            guard (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
                return nil
            }
        }
        var units = 0
        var digits = 0
        for byte in whole where byte != comma {
            // At most 15 digits: more is no amount, and would overflow.
            guard isDigit(byte), digits < 15 else { return nil }
            units = units * 10 + Int(byte - 0x30)
            digits += 1
        }
        guard fraction.allSatisfy(isDigit), !(digits == 0 && fraction.isEmpty) else { return nil }
        var padded = fraction.prefix(3).map { Int($0 - 0x30) }
        while padded.count < 3 { padded.append(0) }
        return units * 100 + padded[0] * 10 + padded[1] + (padded[2] >= 5 ? 1 : 0)
    }

    /// Cents as the reports show an amount: `1234.50`, `-0.05`.
    static func text(cents: Int) -> String {
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return (cents < 0 ? "-" : "") + "\(magnitude / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }
}
