import CLibXML2
import Foundation

/// The schema of report.xml (namespace `urn:assay:report:1`), and validation against it
/// with libxml2's schema validator, which reads the file as a stream (a report of a million
/// items validates in flat memory).
///
/// The schema is `schemas/assay-report-1.xsd`, built into the tool (the EmbedFiles plugin)
/// so that `assay report --validate` works anywhere; `assay report --print-schema` prints it.
public enum ReportSchema {
    public static let namespace = "urn:assay:report:1"

    /// Checks the XML file at `path`; the errors say where and what.
    public static func validate(_ path: String) -> [String] {
        let errors = ErrorCollector()
        let text = Array(xsd.utf8CString)
        let parsed: xmlSchemaPtr? = text.withUnsafeBufferPointer { buffer in
            guard let parser = xmlSchemaNewMemParserCtxt(buffer.baseAddress, Int32(buffer.count - 1)) else {
                return nil
            }
            defer { xmlSchemaFreeParserCtxt(parser) }
            return xmlSchemaParse(parser)
        }
        guard let schema = parsed else { return ["the built-in schema does not parse"] }
        defer { xmlSchemaFree(schema) }
        guard let context = xmlSchemaNewValidCtxt(schema) else { return ["cannot create a schema validator"] }
        defer { xmlSchemaFreeValidCtxt(context) }
        let unmanaged = Unmanaged.passUnretained(errors)
        xmlSchemaSetValidStructuredErrors(
            context,
            { userData, error in
                guard let userData, let error else { return }
                let collector = Unmanaged<ErrorCollector>.fromOpaque(userData).takeUnretainedValue()
                let message =
                    error.pointee.message.map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines)
                    ?? "invalid"
                collector.add("line \(error.pointee.line): \(message)")
            }, unmanaged.toOpaque())
        let status = xmlSchemaValidateFile(context, path, 0)
        if status != 0 && errors.messages.isEmpty { errors.add("not valid (libxml2 status \(status))") }
        return errors.messages
    }

    final class ErrorCollector {
        var messages: [String] = []
        func add(_ message: String) {
            if messages.count < 50 { messages.append(message) }
        }
    }

    /// The schema's text: `schemas/assay-report-1.xsd`, built in by the EmbedFiles plugin.
    public static var xsd: String { EmbeddedFiles.assayReport1Xsd }
}
