import Foundation

/// A number found in text, with where it was and what it looked like.
struct ScannedNumber: Sendable, Hashable {
    var value: ExactNumber
    var text: String
    var start: Int
    var end: Int
    var isPercent: Bool
}

/// Finds the numbers people write, in text normalised by `normalize` (NFKC, so full-width
/// digits and signs become ASCII; the Unicode minus sign becomes '-').
///
/// Read as one number: an optional sign (`-`, `+`, the Unicode minus `−`) and currency sign
/// (`$`, `¥`, `€`, `£`), in either order; digits with thousands separators (`,` or a space,
/// each followed by exactly three digits, after a first group of one to three digits: so
/// "1,234" and "1 234" are 1234, while "1,50" is the number 1 followed by a comma — the
/// European decimal comma is not read); a decimal part (`.5`); an exponent (`1e6`, `1E-3`,
/// `1×10^6`, `1 x 10^{6}`, `2*10^3`); a fraction (`3/4`) or a mixed number (`1 1/2`); a
/// percent sign or the word "percent". A trailing sentence period is not part of it. Digits
/// glued to a Latin letter before them ("x2", "H2O") are not a number.
enum NumberScanner {
    static func normalize(_ text: String) -> [Unicode.Scalar] {
        if text.utf8.allSatisfy({ $0 < 128 }) { return Array(text.unicodeScalars) }  // NFKC leaves ASCII alone
        var scalars: [Unicode.Scalar] = []
        for scalar in text.precomposedStringWithCompatibilityMapping.unicodeScalars {
            switch scalar.value {
            case 0x2212, 0x2012, 0xFE63: scalars.append("-")  // minus sign, figure dash, small hyphen-minus
            case 0x00A0, 0x202F, 0x2009, 0x2007: scalars.append(" ")  // no-break, narrow, thin, figure spaces
            default: scalars.append(scalar)
            }
        }
        return scalars
    }

    /// Every number in `s[from..<to]`, left to right.
    static func all(in s: [Unicode.Scalar], from: Int = 0, to: Int? = nil) -> [ScannedNumber] {
        let end = min(to ?? s.count, s.count)
        var found: [ScannedNumber] = []
        var i = from
        while i < end {
            if startsNumber(s, at: i), let number = scan(s, at: i, limit: end) {
                found.append(number)
                i = number.end
            } else {
                i += 1
            }
        }
        return found
    }

    /// The first number that starts in `s[from..<startsBefore]` (default: `to`) and ends by `to`.
    static func first(in s: [Unicode.Scalar], from: Int, to: Int, startsBefore: Int? = nil) -> ScannedNumber? {
        var i = from
        while i < min(startsBefore ?? to, to, s.count) {
            if startsNumber(s, at: i), let number = scan(s, at: i, limit: min(to, s.count)) { return number }
            i += 1
        }
        return nil
    }

    static func isDigit(_ s: [Unicode.Scalar], _ i: Int) -> Bool {
        i >= 0 && i < s.count && ("0"..."9").contains(s[i])
    }

    static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    static let signs: Set<Unicode.Scalar> = ["-", "+"]
    static let currencies: Set<Unicode.Scalar> = ["$", "¥", "€", "£"]
    static let spaces: Set<Unicode.Scalar> = [" "]

    /// Whether a number may start at `i`: not in the middle of a word or another number.
    static func startsNumber(_ s: [Unicode.Scalar], at i: Int) -> Bool {
        let scalar = s[i]
        guard
            isDigit(s, i) || signs.contains(scalar) || currencies.contains(scalar)
                || (scalar == "." && isDigit(s, i + 1))
        else {
            return false
        }
        guard i > 0 else { return true }
        let previous = s[i - 1]
        if isASCIILetter(previous) || ("0"..."9").contains(previous) || previous == "_" { return false }
        if previous == "." && isDigit(s, i - 2) { return false }
        return true
    }

    /// The number that starts exactly at `i`, if one does.
    static func scan(_ s: [Unicode.Scalar], at i: Int, limit: Int) -> ScannedNumber? {
        var j = i
        let negative = skipSignAndCurrency(s, at: &j, limit: limit)
        guard j < limit, isDigit(s, j) || (s[j] == "." && isDigit(s, j + 1)) else { return nil }
        let (integer, grouped) = readIntegerPart(s, at: &j, limit: limit)
        let fraction = readDecimalPart(s, at: &j, limit: limit)
        var exponent = 0
        var hasExponent = false
        if let (value, next) = readExponent(s, at: j, limit: limit) {
            exponent = value
            hasExponent = true
            j = next
        }
        var value = decimal(integer: integer, fraction: fraction, exponent: exponent)
        if !grouped && fraction.isEmpty && !hasExponent {
            value = readFractionPart(s, at: &j, limit: limit, whole: value)
        }
        let isPercent = readPercent(s, at: &j, limit: limit)
        if negative { value = -value }
        return ScannedNumber(
            value: value, text: String(String.UnicodeScalarView(s[i..<j])), start: i, end: j, isPercent: isPercent)
    }

    /// Moves `j` past a sign and a currency sign, in either order; whether the sign was a minus.
    static func skipSignAndCurrency(_ s: [Unicode.Scalar], at j: inout Int, limit: Int) -> Bool {
        var negative = false
        var sawSign = false, sawCurrency = false
        for _ in 0..<2 where j < limit {
            if !sawSign && signs.contains(s[j]) {
                negative = s[j] == "-"
                sawSign = true
                j += 1
            } else if !sawCurrency && currencies.contains(s[j]) {
                sawCurrency = true
                j += 1
            }
        }
        return negative
    }

    /// The digits from `j` on, moving `j` past them.
    static func readDigits(_ s: [Unicode.Scalar], at j: inout Int, limit: Int) -> String {
        var digits = ""
        while j < limit, isDigit(s, j) {
            digits.unicodeScalars.append(s[j])
            j += 1
        }
        return digits
    }

    /// The integer part's digits, thousands groups ("1,234", "1 234") joined; whether it had any.
    static func readIntegerPart(_ s: [Unicode.Scalar], at j: inout Int, limit: Int) -> (digits: String, grouped: Bool) {
        var integer = readDigits(s, at: &j, limit: limit)
        var grouped = false
        if (1...3).contains(integer.count) {
            var separator: Unicode.Scalar?
            while j + 3 < limit {
                let candidate = s[j]
                guard candidate == "," || spaces.contains(candidate), separator == nil || separator == candidate else {
                    break
                }
                guard isDigit(s, j + 1), isDigit(s, j + 2), isDigit(s, j + 3), !(j + 4 < limit && isDigit(s, j + 4))
                else { break }
                // "1 1/2" and "2 100/3" are mixed numbers, not groups.
                if spaces.contains(candidate) && j + 4 < limit && s[j + 4] == "/" { break }
                separator = candidate
                integer += String(String.UnicodeScalarView(s[(j + 1)...(j + 3)]))
                grouped = true
                j += 4
            }
        }
        return (integer, grouped)
    }

    /// The digits after a decimal point at `j` (".5"); empty when there is none.
    static func readDecimalPart(_ s: [Unicode.Scalar], at j: inout Int, limit: Int) -> String {
        guard j + 1 < limit, s[j] == ".", isDigit(s, j + 1) else { return "" }
        j += 1
        return readDigits(s, at: &j, limit: limit)
    }

    /// `whole` with the fraction after it: divided by "/d" ("3/4"), or plus a proper fraction
    /// after a space (the mixed number "1 1/2"); `whole` itself when none follows.
    static func readFractionPart(_ s: [Unicode.Scalar], at j: inout Int, limit: Int, whole value: ExactNumber)
        -> ExactNumber
    {
        if j + 1 < limit, s[j] == "/", isDigit(s, j + 1) {
            var k = j + 1
            let denominator = readDigits(s, at: &k, limit: limit)
            if let d = Int(denominator), d != 0 {
                j = k
                return value / .rational(d, 1)
            }
        } else if j + 3 < limit, spaces.contains(s[j]), isDigit(s, j + 1) {
            // A mixed number: "1 1/2".
            var k = j + 1
            let top = readDigits(s, at: &k, limit: limit)
            if k + 1 < limit, s[k] == "/", isDigit(s, k + 1) {
                var m = k + 1
                let bottom = readDigits(s, at: &m, limit: limit)
                if let a = Int(top), let b = Int(bottom), b != 0, a < b {
                    j = m
                    return value + .rational(a, over: b)
                }
            }
        }
        return value
    }

    /// Moves `j` past a percent sign or the word "percent" ("per cent"), a space before it
    /// allowed; whether there was one.
    static func readPercent(_ s: [Unicode.Scalar], at j: inout Int, limit: Int) -> Bool {
        var k = j
        if k < limit, spaces.contains(s[k]) { k += 1 }
        if k < limit, s[k] == "%" {
            j = k + 1
            return true
        }
        if let word = word(s, at: k, limit: limit), ["percent", "per cent"].contains(word.text) {
            j = word.end
            return true
        }
        return false
    }

    /// An exponent after a mantissa: `e6`, `E-3`, `×10^6`, ` x 10^{-3}`, `*10^3`.
    static func readExponent(_ s: [Unicode.Scalar], at start: Int, limit: Int) -> (Int, Int)? {
        var j = start
        if j < limit, s[j] == "e" || s[j] == "E" {
            j += 1
            return readInteger(s, at: j, limit: limit, allowBraces: false)
        }
        while j < limit, spaces.contains(s[j]) { j += 1 }
        guard j < limit, ["×", "x", "X", "*", "·"].contains(s[j]) else { return nil }
        j += 1
        while j < limit, spaces.contains(s[j]) { j += 1 }
        guard j + 2 < limit, s[j] == "1", s[j + 1] == "0", s[j + 2] == "^" else { return nil }
        return readInteger(s, at: j + 3, limit: limit, allowBraces: true)
    }

    static func readInteger(_ s: [Unicode.Scalar], at start: Int, limit: Int, allowBraces: Bool) -> (Int, Int)? {
        var j = start
        let braced = allowBraces && j < limit && s[j] == "{"
        if braced { j += 1 }
        var negative = false
        if j < limit, s[j] == "-" || s[j] == "+" {
            negative = s[j] == "-"
            j += 1
        }
        var digits = ""
        while j < limit, isDigit(s, j), digits.count < 6 {
            digits.unicodeScalars.append(s[j])
            j += 1
        }
        guard let value = Int(digits) else { return nil }
        if braced {
            guard j < limit, s[j] == "}" else { return nil }
            j += 1
        }
        return (negative ? -value : value, j)
    }

    static func decimal(integer: String, fraction: String, exponent: Int) -> ExactNumber {
        let digits = (integer.isEmpty ? "0" : integer) + fraction
        if let numerator = Int(digits) {
            return ExactNumber.rational(numerator, over: 1) * ExactNumber.powerOfTen(exponent - fraction.count)
        }
        return .real(
            Double("\(integer.isEmpty ? "0" : integer).\(fraction.isEmpty ? "0" : fraction)e\(exponent)") ?? .nan)
    }

    static func word(_ s: [Unicode.Scalar], at start: Int, limit: Int) -> (text: String, end: Int)? {
        var j = start
        var text = ""
        while j < limit, isASCIILetter(s[j]) || (s[j] == " " && text == "per") {
            text.unicodeScalars.append(s[j])
            j += 1
        }
        return text.isEmpty ? nil : (text.lowercased(), j)
    }
}
