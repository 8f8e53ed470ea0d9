import AssayCore
import Foundation

/// Receipt fields read from OCR text by fixed rules: the $0 floor of a field-extraction suite.
///
/// No model, no training: the same text always gives the same fields, and no input can make it
/// fail. The text is read line by line, after the spaces OCR puts between Chinese characters
/// ("合 计", "* 纸 制品 *") are taken out:
///
/// - `merchant`: on a fapiao (发票代码, 发票号码, 开票日期, 销售方 or 价税合计 in the text), the
///   text after 名称 on the name line nearest the seller's (销售方) block; elsewhere the first
///   line that looks like a name (mostly letters, no date, no amount, not a greeting).
/// - `date`: the first date-like writing (2026-03-14, 2026/03/14, 03/14/2026, 14 Mar 2026,
///   March 14, 2026, 2026年3月14日), as ISO `YYYY-MM-DD`.
/// - `currency`: `"CNY"` on a fapiao or if ¥, 元, RMB, 人民币 or 发票 appears, else `"USD"` if `$` does.
/// - `total`: the last amount on the last line naming a total (Total, Amount Due, Balance Due,
///   合计, 总计, 价税合计, 小写, 应付; not Subtotal); failing that, the largest amount written
///   with a currency sign that is not a payment or change line.
/// - `items`: lines between the header and the first total line that end in an amount and are
///   not subtotal, tax or payment lines: `{"name", "amount"}`, the name without trailing number
///   columns (quantity, unit price); on a table row with a tax rate (`13%`), the amount is the
///   one before the rate.
///
/// Amounts come out as plain two-decimal numbers ("1234.50"). A field that is not found is left out.
public enum ReceiptExtractor {
    public static func fields(fromOCR text: String) -> JSONValue {
        let lines = text.split(whereSeparator: \.isNewline).map {
            joiningChinese(String($0)).trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        var fields: [String: JSONValue] = [:]
        let fapiao = isFapiao(lines)
        if let name = fapiao ? seller(in: lines) : merchant(in: lines) { fields["merchant"] = .string(name) }
        if let found = firstDate(in: lines) { fields["date"] = .string(found) }
        if let code = currency(in: lines, fapiao: fapiao) { fields["currency"] = .string(code) }
        if let amount = total(in: lines) { fields["total"] = .string(amount) }
        let rows = items(in: lines)
        if !rows.isEmpty { fields["items"] = .array(rows) }
        return .object(fields)
    }
}

// MARK: - Lines and amounts

extension ReceiptExtractor {
    /// An amount found in a line: its plain value ("1234.50"), where it was printed, and whether a
    /// currency sign ($, ¥, RMB, or OCR's Y for ¥) or 元 came with it.
    struct Amount {
        var value: String
        var range: Range<String.Index>
        var hasCurrency: Bool
    }

    static func isChinese(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first?.value else { return false }
        return (0x4E00...0x9FFF).contains(scalar) || (0x3400...0x4DBF).contains(scalar)
            || (0x3000...0x303F).contains(scalar) || (0xFF00...0xFFEF).contains(scalar)
    }

    /// The line without the spaces between two Chinese characters (or a Chinese character and `*`).
    static func joiningChinese(_ line: String) -> String {
        var out = ""
        var pending = ""
        for character in line {
            if character.isWhitespace {
                pending.append(character)
                continue
            }
            if let before = out.last, !pending.isEmpty, joins(before, character) { pending = "" }
            out += pending
            out.append(character)
            pending = ""
        }
        return out
    }

    private static func joins(_ a: Character, _ b: Character) -> Bool {
        (isChinese(a) || a == "*") && (isChinese(b) || b == "*") && (isChinese(a) || isChinese(b))
    }

    static func amounts(in line: String) -> [Amount] {
        let pattern =
            /([$¥￥]\s?|RMB\s?|Y(?=[0-9]))?([0-9]{1,3}(?:,[0-9]{3})+\.[0-9]{2}|[0-9]+\.[0-9]{2})(?![0-9])(\s?元)?/
        return line.matches(of: pattern).map { match in
            Amount(
                value: match.output.2.replacingOccurrences(of: ",", with: ""), range: match.range,
                hasCurrency: match.output.1 != nil || match.output.3 != nil)
        }
    }

    static func squeezed(_ line: String) -> String {
        line.filter { !$0.isWhitespace }.lowercased()
    }

    static func contains(_ line: String, anyOf words: [String]) -> Bool {
        let text = squeezed(line)
        return words.contains { text.contains($0) }
    }

    /// Whether the line has one of `words` as a whole Latin word (so "total" is not found in "Subtotal").
    static func mentions(_ line: String, anyOf words: Set<String>) -> Bool {
        let found = line.lowercased().split { !($0.isASCII && $0.isLetter) }.map(String.init)
        return found.contains(where: words.contains)
    }

    static func hasLetters(_ text: some StringProtocol) -> Bool {
        text.contains { $0.isLetter }
    }
}

// MARK: - Merchant

extension ReceiptExtractor {
    static let fapiaoWords = ["发票代码", "发票号码", "开票日期", "销售方", "价税合计"]

    static func isFapiao(_ lines: [String]) -> Bool {
        lines.contains { contains($0, anyOf: fapiaoWords) }
    }

    static func merchant(in lines: [String]) -> String? {
        lines.first(where: looksLikeName).map(cleaned)
    }

    static func looksLikeName(_ line: String) -> Bool {
        let visible = line.filter { !$0.isWhitespace }
        let letters = visible.filter(\.isLetter).count
        return letters >= 2 && letters * 2 >= visible.count && amounts(in: line).isEmpty
            && date(in: line) == nil && !contains(line, anyOf: ["welcome", "欢迎", "receipt"])
    }

    /// The text after 名称 on the name line nearest the 销售方 line (the last name line without one).
    static func seller(in lines: [String]) -> String? {
        let names = lines.indices.filter { lines[$0].contains("名称") && !lines[$0].contains("项目名称") }
        guard let sellerLine = lines.firstIndex(where: { $0.contains("销售方") }) else {
            return names.last.flatMap { value(after: "名称", in: lines[$0]) }
        }
        let nearest = names.min { abs($0 - sellerLine) < abs($1 - sellerLine) }
        return nearest.flatMap { value(after: "名称", in: lines[$0]) } ?? value(after: "销售方", in: lines[sellerLine])
    }

    static func value(after label: String, in line: String) -> String? {
        guard let range = line.range(of: label) else { return nil }
        var rest = String(line[range.upperBound...])
        if let stop = rest.range(of: "纳税人") { rest = String(rest[..<stop.lowerBound]) }
        let value = cleaned(rest)
        return hasLetters(value) ? value : nil
    }

    /// The text without table rules, quotes, colons and spaces at either end.
    static func cleaned(_ text: some StringProtocol) -> String {
        text.trimmingCharacters(in: CharacterSet(charactersIn: " \t|:：\"“”'‘’[]【】_-—"))
    }
}

// MARK: - Date and currency

extension ReceiptExtractor {
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func firstDate(in lines: [String]) -> String? {
        lines.lazy.compactMap(date(in:)).first
    }

    /// The earliest date-like writing in a line, as ISO, if its month and day are possible.
    /// A date found in a line: where it starts and its parts as written.
    struct DateParts {
        var start: String.Index
        var year: Substring
        var month: Substring
        var day: Substring
    }

    /// The earliest date-like writing in a line, as ISO, if its month and day are possible.
    static func date(in line: String) -> String? {
        let found = [
            line.firstMatch(of: /([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日/).map {
                DateParts(start: $0.range.lowerBound, year: $0.output.1, month: $0.output.2, day: $0.output.3)
            },
            line.firstMatch(of: /([0-9]{4})[-\/.]([0-9]{1,2})[-\/.]([0-9]{1,2})(?![0-9])/).map {
                DateParts(start: $0.range.lowerBound, year: $0.output.1, month: $0.output.2, day: $0.output.3)
            },
            line.firstMatch(of: /([0-9]{1,2})\/([0-9]{1,2})\/([0-9]{4})/).map {
                DateParts(start: $0.range.lowerBound, year: $0.output.3, month: $0.output.1, day: $0.output.2)
            },
            line.firstMatch(of: /(?i)([0-9]{1,2})\s+([a-z]{3})[a-z]*\.?,?\s+([0-9]{4})/).map {
                DateParts(start: $0.range.lowerBound, year: $0.output.3, month: $0.output.2, day: $0.output.1)
            },
            line.firstMatch(of: /(?i)([a-z]{3})[a-z]*\.?\s+([0-9]{1,2})(?:,\s*|\s+)([0-9]{4})/).map {
                DateParts(start: $0.range.lowerBound, year: $0.output.3, month: $0.output.1, day: $0.output.2)
            },
        ].compactMap { $0 }
        return found.sorted { $0.start < $1.start }.lazy.compactMap(iso).first
    }

    static func iso(_ parts: DateParts) -> String? {
        let monthNumber = Int(parts.month) ?? months.firstIndex(of: parts.month.lowercased()).map { $0 + 1 }
        guard let year = Int(parts.year), var month = monthNumber, var day = Int(parts.day) else { return nil }
        if month > 12, day <= 12 { swap(&month, &day) }  // 14/03/2026: day first
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    static func padded(_ number: Int, _ width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    static func currency(in lines: [String], fapiao: Bool) -> String? {
        let text = squeezed(lines.joined())
        if fapiao || ["¥", "￥", "元", "rmb", "人民币", "cny", "发票"].contains(where: text.contains) { return "CNY" }
        return text.contains("$") || text.contains("usd") ? "USD" : nil
    }
}

// MARK: - Total and items

extension ReceiptExtractor {
    static let totalWords = ["amountdue", "balancedue", "合计", "总计", "小写", "应付"]
    static let notItemWords: Set<String> = [
        "subtotal", "tax", "vat", "discount", "cash", "change", "paid", "tendered", "tip",
    ]
    static let notItemChinese = ["小计", "税额", "折扣", "优惠", "实收", "找零", "现金"]

    static func isTotalLine(_ line: String) -> Bool {
        (mentions(line, anyOf: ["total"]) || contains(line, anyOf: totalWords)) && !amounts(in: line).isEmpty
    }

    static func isItemLike(_ line: String) -> Bool {
        !mentions(line, anyOf: notItemWords) && !contains(line, anyOf: notItemChinese)
    }

    static func total(in lines: [String]) -> String? {
        if let line = lines.last(where: isTotalLine) { return amounts(in: line).last?.value }
        let signed = lines.filter(isItemLike).flatMap(amounts(in:)).filter(\.hasCurrency)
        return signed.max { (Double($0.value) ?? 0) < (Double($1.value) ?? 0) }?.value
    }

    /// The first line after the column headings (or the date, or the merchant) that can hold an item.
    static func firstItemLine(in lines: [String]) -> Int {
        let headings = ["item", "qty", "amount", "品名", "商品", "项目名称", "金额", "数量"]
        if let heading = lines.firstIndex(where: { contains($0, anyOf: headings) && amounts(in: $0).isEmpty }) {
            return heading + 1
        }
        return (lines.firstIndex { date(in: $0) != nil } ?? 0) + 1
    }

    static func items(in lines: [String]) -> [JSONValue] {
        let start = min(firstItemLine(in: lines), lines.count)
        let end = lines[start...].firstIndex(where: isTotalLine) ?? lines.count
        return lines[start..<end].compactMap(item)
    }

    static func item(_ line: String) -> JSONValue? {
        guard isItemLike(line), let amount = itemAmount(in: line) else { return nil }
        let name = itemName(String(line[..<amount.range.lowerBound]))
        guard hasLetters(name) else { return nil }
        return .object(["name": .string(name), "amount": .string(amount.value)])
    }

    /// The amount before a tax rate on a table row, else the amount the line ends with.
    static func itemAmount(in line: String) -> Amount? {
        let found = amounts(in: line)
        if let rate = line.firstMatch(of: /[0-9]{1,2}\s?%/) {
            return found.last { $0.range.upperBound <= rate.range.lowerBound }
        }
        guard let last = found.last, cleaned(line[last.range.upperBound...]).isEmpty else { return nil }
        return last
    }

    /// The text before the first table rule, without trailing number columns (quantity, unit price).
    static func itemName(_ text: String) -> String {
        let cell = text.split(separator: "|").first { hasLetters($0) } ?? Substring(text)
        var words = cell.split(separator: " ").map { cleaned($0) }.filter { !$0.isEmpty }
        while let last = words.last, last.allSatisfy({ $0.isNumber || $0 == "." || $0 == "," }) {
            words.removeLast()
        }
        return joiningChinese(words.joined(separator: " "))
    }
}
