import Foundation

/// A day as the `fields` grader compares it: ISO `YYYY-MM-DD`, read from common English and
/// Chinese writings.
///
/// Read: `2026-12-03`, `2026/12/3`, `2026.12.03`, `2026年12月3日` (and `号`), `3 Dec 2026`,
/// `Dec 3, 2026`, `December 3rd 2026`, `Thu, 3 Dec 2026`, `03-Dec-2026`, and day, month and
/// year in digits with the year last: with `/` month first (`12/03/2026`, the US writing),
/// with `.` or `-` day first (`03.12.2026`), either way round when only one order makes a
/// date (`14/03/2026`). A time after the day (`2026-12-03T10:00`, `2026-12-03 10:00`) is
/// ignored. Two-digit years, and days that do not exist, are not dates.
enum DateText {
    static func iso(_ written: String) -> String? {
        if let day = isoDigits(written) { return day }
        let normalized =
            written.utf8.allSatisfy { $0 < 0x80 } ? written : written.precomposedStringWithCompatibilityMapping
        let text = withoutTime(normalized.lowercased())
        var numbers: [(value: Int, digits: Int)] = []
        var month: Int?
        var separators = Set<Character>()
        for token in tokens(text) {
            switch token {
            case .number(let digits):
                guard digits.count <= 4, let value = Int(digits) else { return nil }
                numbers.append((value, digits.count))
            case .word(let word):
                if let named = monthNumber(word) {
                    guard month == nil else { return nil }
                    month = named
                } else if !ignorable(word) {
                    return nil
                }
            case .separator(let mark):
                separators.insert(mark)
            }
        }
        return day(numbers: numbers, month: month, separators: separators)
    }

    /// The common writing, `2026-12-03` (or with `/` or `.`), read from its bytes: nil for
    /// anything else, which the general reading then reads.
    private static func isoDigits(_ written: String) -> String? {
        let bytes = written.utf8
        guard bytes.count == 10 else { return nil }
        var year = 0
        var month = 0
        var day = 0
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 7 {
                guard byte == UInt8(ascii: "-") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ".") else {
                    return nil
                }
                continue
            }
            guard (0x30...0x39).contains(byte) else { return nil }
            let digit = Int(byte - 0x30)
            switch index {
            case ..<4: year = year * 10 + digit
            case ..<7: month = month * 10 + digit
            default: day = day * 10 + digit
            }
        }
        return validated(year, month, day)
    }

    private static func day(numbers: [(value: Int, digits: Int)], month: Int?, separators: Set<Character>)
        -> String?
    {
        if let month {
            guard numbers.count == 2 else { return nil }
            let (year, day) = numbers[0].digits == 4 ? (numbers[0], numbers[1]) : (numbers[1], numbers[0])
            guard year.digits == 4, day.digits <= 2 else { return nil }
            return validated(year.value, month, day.value)
        }
        guard numbers.count == 3 else { return nil }
        if numbers[0].digits == 4 {
            guard numbers[1].digits <= 2, numbers[2].digits <= 2 else { return nil }
            return validated(numbers[0].value, numbers[1].value, numbers[2].value)
        }
        guard numbers[2].digits == 4, numbers[0].digits <= 2, numbers[1].digits <= 2 else { return nil }
        let (first, second, year) = (numbers[0].value, numbers[1].value, numbers[2].value)
        let monthFirst = separators.contains("/")
        let preferred = monthFirst ? validated(year, first, second) : validated(year, second, first)
        return preferred ?? (monthFirst ? validated(year, second, first) : validated(year, first, second))
    }

    private static func validated(_ year: Int, _ month: Int, _ day: Int) -> String? {
        guard (1...12).contains(month), (1...9999).contains(year) else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let length =
            switch month {
            case 2: leap ? 29 : 28
            case 4, 6, 9, 11: 30
            default: 31
            }
        guard (1...length).contains(day) else { return nil }
        // YYYY-MM-DD, written as bytes (every graded date is).
        var text: [UInt8] = []
        text.reserveCapacity(10)
        for (value, digits) in [(year, 4), (month, 2), (day, 2)] {
            if !text.isEmpty { text.append(UInt8(ascii: "-")) }
            var divisor = digits == 4 ? 1000 : 10
            while divisor > 0 {
                text.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The text before a time of day: cut at the last `t` or space before the first `:`.
    private static func withoutTime(_ text: String) -> String {
        guard let colon = text.firstIndex(of: ":") else { return text }
        let head = text[..<colon]
        guard let cut = head.lastIndex(where: { $0 == " " || $0 == "t" }) else { return text }
        return String(head[..<cut])
    }

    private enum Token {
        case number(String)
        case word(String)
        case separator(Character)
    }

    private static func tokens(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var current = ""
        var inNumber = false
        func flush() {
            guard !current.isEmpty else { return }
            tokens.append(inNumber ? .number(current) : .word(current))
            current = ""
        }
        for character in text {
            if character.isASCII, character.isNumber {
                if !inNumber { flush() }
                inNumber = true
                current.append(character)
            } else if character.isLetter && !"年月日号".contains(character) {
                if inNumber { flush() }
                inNumber = false
                current.append(character)
            } else {
                flush()
                if !character.isWhitespace { tokens.append(.separator(character)) }
            }
        }
        flush()
        return tokens
    }

    private static let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    private static let fullMonths = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ]

    private static func monthNumber(_ word: String) -> Int? {
        if let index = fullMonths.firstIndex(of: word) ?? months.firstIndex(of: word) { return index + 1 }
        return word == "sept" ? 9 : nil
    }

    /// Ordinal endings (`3rd`), weekdays and `of` may stand beside a date.
    private static func ignorable(_ word: String) -> Bool {
        ["st", "nd", "rd", "th", "of", "on"].contains(word)
            || ["mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"].contains(word)
            || word.hasSuffix("day")
                && ["mon", "tues", "wednes", "thurs", "fri", "satur", "sun"].contains(
                    String(word.dropLast(3)))
    }
}
