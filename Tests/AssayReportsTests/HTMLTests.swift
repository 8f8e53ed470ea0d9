import Testing

@testable import AssayReports

/// The escaping-by-default layer: what a renderer cannot get wrong by forgetting a call.
@Suite struct HTMLTests {
    static let hostile = "<script>alert('x')</script>\"&\u{0}"

    @Test func aStringInterpolatedIntoMarkupIsEscaped() {
        let text = Self.hostile
        let optional: String? = Self.hostile
        let page: HTML = "<p title=\"\(text)\">\(optional)</p>"
        #expect(
            page.markup
                == "<p title=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;\u{FFFD}\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;\u{FFFD}</p>"
        )
    }

    @Test func markupGoesInAsMarkupAndNumbersAsDigits() {
        let cell: HTML = "<td>\(42)</td>"
        let nothing: String? = nil
        var row: HTML = "<tr>\(cell)\(nothing)"
        row += "</tr>"
        #expect(row.markup == "<tr><td>42</td></tr>")
        #expect([cell, cell].joined(separator: "<br>").markup == "<td>42</td><br><td>42</td>")
    }

    /// A String that happens to hold markup is text until someone says otherwise: the
    /// mistake this layer allows is escaping too much (visible), never too little.
    @Test func aStringHoldingMarkupStaysTextUnlessTrusted() {
        let built = "<b>" + "bold" + "</b>"
        let escaped: HTML = "\(built)"
        #expect(escaped.markup == "&lt;b&gt;bold&lt;/b&gt;")
        let trusted: HTML = "\(HTML(trusted: built))"
        #expect(trusted.markup == "<b>bold</b>")
    }
}
