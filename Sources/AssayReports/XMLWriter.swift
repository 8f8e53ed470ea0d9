import CLibXML2
import Foundation

/// Writes an XML file with libxml2's xmlTextWriter, indented, UTF-8.
///
/// Text and attribute values are escaped by libxml2; before that, characters XML 1.0
/// forbids (control characters other than tab, LF and CR; U+FFFE and U+FFFF) are replaced
/// by U+FFFD, so the file is well-formed whatever a model wrote. No libxml2 type leaves
/// this file.
final class XMLWriter {
    private let writer: xmlTextWriterPtr
    let path: String
    private var failed = false

    init(path: String) throws(ReportError) {
        guard let writer = xmlNewTextWriterFilename(path, 0) else {
            throw ReportError(path: path, "cannot open the file for writing")
        }
        self.writer = writer
        self.path = path
        xmlTextWriterSetIndent(writer, 1)
        xmlTextWriterSetIndentString(writer, "  ")
        check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil))
    }

    deinit {
        xmlFreeTextWriter(writer)
    }

    func start(_ name: String) {
        check(xmlTextWriterStartElement(writer, name))
    }

    func end() {
        check(xmlTextWriterEndElement(writer))
    }

    func attribute(_ name: String, _ value: String?) {
        guard let value else { return }
        check(xmlTextWriterWriteAttribute(writer, name, Self.clean(Self.clipped(value))))
    }

    /// The longest attribute written: attributes name and label things, and libxml2's readers
    /// refuse one past 10 MB ("AttValue length too long"). Long text goes in element content.
    static let attributeLimit = 1_000

    static func clipped(_ value: String) -> String {
        value.count > attributeLimit ? String(value.prefix(attributeLimit)) + "..." : value
    }

    func attribute(_ name: String, _ value: Double?) {
        guard let value, value.isFinite else { return }
        attribute(name, Self.number(value))
    }

    func attribute(_ name: String, _ value: Int?) {
        guard let value else { return }
        attribute(name, String(value))
    }

    func attribute(_ name: String, _ value: Bool) {
        attribute(name, value ? "true" : "false")
    }

    /// `<name>text</name>`, omitted when text is nil.
    func element(_ name: String, text: String?) {
        guard let text else { return }
        start(name)
        check(xmlTextWriterWriteString(writer, Self.clean(text)))
        end()
    }

    /// Text inside the element that is open.
    func textContent(_ text: String) {
        check(xmlTextWriterWriteString(writer, Self.clean(text)))
    }

    /// An element with attributes only.
    func empty(_ name: String, _ attributes: [(String, String?)]) {
        start(name)
        for (key, value) in attributes { attribute(key, value) }
        end()
    }

    /// Ends the document and closes the file.
    func finish() throws(ReportError) {
        check(xmlTextWriterEndDocument(writer))
        check(xmlTextWriterFlush(writer))
        if failed { throw ReportError(path: path, "libxml2 could not write the file (is the disk full?)") }
    }

    private func check(_ status: Int32) {
        if status < 0 { failed = true }
    }

    /// The text with every character XML 1.0 forbids replaced by U+FFFD.
    static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !isXMLCharacter($0) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            out.append(isXMLCharacter(scalar) ? scalar : "\u{FFFD}")
        }
        return String(out)
    }

    /// Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
    static func isXMLCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// Shortest round-trip decimal text of a finite number.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}

/// A report file that could not be written or read.
public struct ReportError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
