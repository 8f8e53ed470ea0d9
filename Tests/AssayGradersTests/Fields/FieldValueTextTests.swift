import AssayCore
@testable import AssayGraders
import Testing

@Suite struct FieldValueTextTests {
    @Test(arguments: [
        "2026-12-03", "2026/12/03", "2026/12/3", "2026.12.03", "2026年12月3日", "2026 年 12 月 03 日", "2026年12月3号",
        "3 Dec 2026", "3 December 2026", "Dec 3, 2026", "December 3rd, 2026", "Thu, 3 Dec 2026", "03-Dec-2026",
        "12/03/2026", "03.12.2026", "3-12-2026", "2026-12-03T10:15:00Z", "2026-12-03 10:15", "２０２６年１２月３日",
        "Thursday, December 3, 2026",
    ])
    func commonWritingsOfADayAreOneDay(written: String) {
        #expect(DateText.iso(written) == "2026-12-03", "\(written)")
    }

    @Test func anOrderOnlyOneWayMakesADayIsReadThatWay() {
        #expect(DateText.iso("14/03/2026") == "2026-03-14")
        #expect(DateText.iso("03/14/2026") == "2026-03-14")
        #expect(DateText.iso("14.03.2026") == "2026-03-14")
    }

    @Test(arguments: [
        "", "2026", "2026-13-01", "2026-02-30", "2025-02-29", "3/12/26", "Dec 2026", "next Tuesday", "2026-12",
        "3 Dec 2026 and 4 Dec 2026", "Smarch 3, 2026",
    ])
    func whatIsNotOneDayIsNotADate(written: String) {
        #expect(DateText.iso(written) == nil, "\(written)")
    }

    @Test func aLeapDayIsADay() {
        #expect(DateText.iso("2028年2月29日") == "2028-02-29")
    }

    @Test(arguments: [
        "1234.50", "1,234.50", "¥1,234.50", "￥1,234.5", "$1234.5", "RMB 1,234.50", "CNY1234.50", "1234.50元",
        "1,234.50 元", "人民币1234.50元", "USD 1,234.50", "1234.504", "1234.495", "  $ 1,234.50\t", "1,234.50 usd",
        "HK$1234.5", "Usd1234.50 ",
    ])
    func writingsOfAnAmountAreOneAmount(written: String) {
        #expect(AmountText.cents(written) == 123_450, "\(written)")
    }

    @Test func numbersAreAmountsToo() {
        #expect(AmountText.cents(.double(1234.5)) == 123_450)
        #expect(AmountText.cents(.int(12)) == 1200)
        #expect(AmountText.cents(.double(0.1 + 0.2)) == 30)
        #expect(AmountText.cents("-¥3.20") == -320)
        #expect(AmountText.cents("- $3.20") == -320)
        #expect(AmountText.cents("-3.2 USD") == -320)
        #expect(AmountText.cents(".5") == 50)
        #expect(AmountText.text(cents: -5) == "-0.05")
        #expect(AmountText.text(cents: 123_450) == "1234.50")
    }

    @Test(arguments: [
        "", "12,5", "1,23,456", "about 12", "12.3.4", "¥", "1e5", "NaN", "12 34", "9999999999999999", "--5",
        "1,234.5.0", "１２,５",
        // Too many digits for an amount (a model wrote one such: it overflowed, 2026-12-05).
        "$99999999999999999999999999999999999999", "99999999999999999999", "1,000,000,000,000,000,000,000.00",
        "¥123456789012345678901234567890",
    ])
    func whatIsNotAnAmountIsNot(written: String) {
        #expect(AmountText.cents(written) == nil, "\(written)")
    }

    @Test func textIsFoldedByWidthCaseAndSpace() {
        #expect(FoldedText.fold("  Ａｃｍｅ   Coffee\tCo. ") == "acme coffee co.")
        #expect(FoldedText.fold("北京 市 朝阳区") == "北京市朝阳区")
        #expect(FoldedText.fold("星巴克 Starbucks") == "星巴克starbucks")
    }
}
