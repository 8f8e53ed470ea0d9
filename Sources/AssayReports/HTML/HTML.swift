/// Markup that Assay wrote, and the only type the HTML renderers build pages from.
///
/// Escaping is what happens by default: a `String` interpolated into an `HTML` literal is
/// escaped (`HTMLText.escape`), an `HTML` value goes in as markup, an integer as its digits.
/// A string literal in source code is markup, because a person wrote it. The one way to
/// turn a runtime `String` into markup unescaped is `HTML(trusted:)`, which is greppable
/// and kept for text Assay itself produced (the stylesheet, the script, SVG geometry).
///
/// Why not Plot or swift-mustache (both in the package list): Plot would rewrite every
/// page as a nested DSL whose type-checking costs seconds per expression and whose output
/// differs byte for byte from the golden reports; a Mustache template's escaping is
/// checked only when it renders, and the charts (computed SVG) do not fit a template. A
/// string-interpolation type gives the compile-time guarantee (a `String` does not
/// convert to `HTML`) in sixty lines and keeps the pages as they were.
struct HTML: Sendable, Equatable, CustomStringConvertible, ExpressibleByStringInterpolation {
    private(set) var markup: String

    static let empty = HTML(trusted: "")

    /// Markup from a runtime string, unescaped: only for text Assay produced itself.
    init(trusted markup: String) { self.markup = markup }

    init(stringLiteral value: String) { markup = value }

    init(stringInterpolation: StringInterpolation) { markup = stringInterpolation.markup }

    var description: String { markup }

    var isEmpty: Bool { markup.isEmpty }

    static func += (lhs: inout HTML, rhs: HTML) { lhs.markup += rhs.markup }

    static func + (lhs: HTML, rhs: HTML) -> HTML { HTML(trusted: lhs.markup + rhs.markup) }

    struct StringInterpolation: StringInterpolationProtocol {
        fileprivate var markup = ""

        init(literalCapacity: Int, interpolationCount: Int) {
            markup.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        mutating func appendLiteral(_ literal: String) { markup += literal }

        /// Text: escaped.
        mutating func appendInterpolation(_ text: String) { markup += HTMLText.escape(text) }

        /// Text or nothing: escaped; nil is empty.
        mutating func appendInterpolation(_ text: String?) { markup += HTMLText.escape(text ?? "") }

        mutating func appendInterpolation(_ html: HTML) { markup += html.markup }

        mutating func appendInterpolation<Number: BinaryInteger>(_ number: Number) { markup += String(number) }
    }
}

extension Sequence<HTML> {
    func joined(separator: HTML = .empty) -> HTML {
        HTML(trusted: map(\.markup).joined(separator: separator.markup))
    }
}
