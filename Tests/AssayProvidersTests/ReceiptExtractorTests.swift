import AssayCore
@testable import AssayProviders
import Testing

@Suite struct ReceiptExtractorTests {
    /// Text as `tesseract IMAGE stdout -l eng+chi_sim --psm 6` gives it, spaces between Chinese characters and all.
    static let english = """
        FRESH MART
        12 Harbor Road, Springfield
        2026-03-14 18:42
        Receipt #004217
        Item Qty Amount
        Milk 1gal 2 6.98
        Wood Screws 4x40 2 3.99 7.98
        Bread 1 2.25
        Subtotal 17.21
        Tax 8% 1.38
        Total $18.59
        Cash $20.00
        Change $1.41
        Thank you!
        """

    static let chinese = """
        好 邻居 便利 店
        朝阳 路 店
        日 期 : 2026 年 3 月 14 日 18:42
        品名 数量 ”金额
        牛奶 2 7.00
        矿泉 水 4 8.00
        合计 : ¥15.00
        实 收 : ¥20.00
        找 零 : ¥5.00
        谢谢 惠顾 ， 欢 迎 再 次 光临 !
        """

    static let fapiao = """
        增值 税 普通 发 票
        发 票 号 码 : 08736125
        开票 日 期 : 2026 年 03 月 14 日
        名 称 : 北京 云 帆 科技 有 限 公司
        购买 方 | 纳税 人 识别 号 : 91110108MA01ABCD3X
        项目 名称 规格 型号 单位 数量 单价 金额 税率 税额
        * 纸 制品 * 复 印 纸 | A4 70g | 箱 | 3 | 100.00 | 300.00 | 13% | 39.00
        * 文具 * 中性 笔 | 0.5mm | 盒 | 5 | 18.00 | 90.00 | 13% | 11.70
        合计 ¥390.00 ¥50.70
        价 税 合计 (大写) 肆佰肆拾元柒角整 (小写) ¥440.70
        名 称 : 上海 鼎 新 办公 用品 有 限 公司
        销售 方 | 纳税 人 识别 号 : 91310115MA1K4F2Y7Q
        开票 人 : 陈 静
        """

    func item(_ name: String, _ amount: String) -> JSONValue {
        .object(["name": .string(name), "amount": .string(amount)])
    }

    @Test func anEnglishReceiptGivesEveryField() {
        let fields = ReceiptExtractor.fields(fromOCR: Self.english).objectValue ?? [:]
        #expect(fields["merchant"] == .string("FRESH MART"))
        #expect(fields["date"] == .string("2026-03-14"))
        #expect(fields["currency"] == .string("USD"))
        #expect(fields["total"] == .string("18.59"), "the Total line, not Subtotal or Cash")
        let items: [JSONValue] = [item("Milk 1gal", "6.98"), item("Wood Screws 4x40", "7.98"), item("Bread", "2.25")]
        #expect(fields["items"] == .array(items), "quantity and unit price columns dropped, tax lines skipped")
    }

    @Test func aChineseReceiptIsReadWithoutOCRsSpaces() {
        let fields = ReceiptExtractor.fields(fromOCR: Self.chinese).objectValue ?? [:]
        #expect(fields["merchant"] == .string("好邻居便利店"))
        #expect(fields["date"] == .string("2026-03-14"))
        #expect(fields["currency"] == .string("CNY"))
        #expect(fields["total"] == .string("15.00"))
        #expect(fields["items"] == .array([item("牛奶", "7.00"), item("矿泉水", "8.00")]))
    }

    @Test func aFapiaoNamesItsSellerAndTotalsTaxIncluded() {
        let fields = ReceiptExtractor.fields(fromOCR: Self.fapiao).objectValue ?? [:]
        #expect(fields["merchant"] == .string("上海鼎新办公用品有限公司"), "the seller, not the buyer")
        #expect(fields["date"] == .string("2026-03-14"))
        #expect(fields["currency"] == .string("CNY"))
        #expect(fields["total"] == .string("440.70"), "价税合计 (小写), not the pre-tax 合计")
        #expect(fields["items"] == .array([item("*纸制品*复印纸", "300.00"), item("*文具*中性笔", "90.00")]))
    }

    @Test func amountsLoseTheirSignsAndSeparators() {
        let fields = ReceiptExtractor.fields(fromOCR: "Bright Electronics\nLaptop 1 1,299.00\nTOTAL $1,234,567.89")
        #expect(fields.objectValue?["total"] == .string("1234567.89"))
        #expect(fields.objectValue?["items"] == .array([item("Laptop", "1299.00")]))
        let yuan = ReceiptExtractor.fields(fromOCR: "老街面馆\n牛肉面 2 36.00\n应付金额：1,036.00 元")
        #expect(yuan.objectValue?["total"] == .string("1036.00"))
        #expect(yuan.objectValue?["currency"] == .string("CNY"))
    }

    @Test func aShopReceiptThatMentionsInvoicesIsNotAFapiao() {
        let text = "老 街 面 馆\n2026/03/18 12:47\n牛肉 面 2 36.00\n合计: RMB36.00\n发 票 请 扫 码 开具"
        let fields = ReceiptExtractor.fields(fromOCR: text).objectValue ?? [:]
        #expect(fields["merchant"] == .string("老街面馆"))
        #expect(fields["total"] == .string("36.00"))
        #expect(fields["currency"] == .string("CNY"))
    }

    @Test func withoutATotalWordTheLargestSignedAmountThatIsNotPaymentIsTheTotal() {
        let text = "鲜果坊\n香蕉 2 8.60\n葡萄 1 22.80\nSit: ¥31.40\n实 收 : ¥50.00\nKS: ¥18.60"
        #expect(ReceiptExtractor.fields(fromOCR: text).objectValue?["total"] == .string("31.40"))
    }

    @Test(arguments: [
        ("2026-03-14 18:42", "2026-03-14"), ("Date: 2026/03/14", "2026-03-14"), ("03/14/2026 11:26", "2026-03-14"),
        ("14/03/2026", "2026-03-14"), ("19 Mar 2026 4:15 PM", "2026-03-19"), ("March 22, 2026 7:31 PM", "2026-03-22"),
        ("日期：2026年3月14日", "2026-03-14"), ("2026 年 04 月 08 日", "2026-04-08"),
        ("April 11,2026 8:47 PM", "2026-04-11"),
    ])
    func dateWritingsComeOutAsISO(line: String, iso: String) {
        #expect(ReceiptExtractor.date(in: line) == iso)
    }

    @Test func impossibleDatesAndLookalikesAreNotDates() {
        for line in ["2026-13-45", "Lane 4 Op 112", "Order 20260320-118", "Unleaded 12.345 gal 43.21", "Qty 2 1299.00"]
        {
            #expect(ReceiptExtractor.date(in: line) == nil, "\(line)")
        }
    }

    @Test func garbageAndEmptyTextGiveNoFields() {
        for text in [
            "", "   \n\n\t", "#### 0101 ////\n~~~ 3.1.4 ~~~", "\u{0}\u{FFFD}\u{202E}",
            String(repeating: " ", count: 5000),
        ] {
            #expect(ReceiptExtractor.fields(fromOCR: text) == .object([:]), "\(text.debugDescription)")
        }
    }

    @Test func noCutOfAReceiptMakesItFail() {
        for text in [Self.english, Self.chinese, Self.fapiao] {
            for cut in stride(from: 0, through: text.count, by: 7) {
                _ = ReceiptExtractor.fields(fromOCR: String(text.prefix(cut)))
                _ = ReceiptExtractor.fields(fromOCR: String(text.dropFirst(cut)))
            }
        }
    }
}
