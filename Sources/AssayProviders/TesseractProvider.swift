import AssayCore
import Foundation
import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// A local OCR baseline: answers a request by running Tesseract on its images.
///
/// Each `image_url` part (a base64 data URL) is written to a private temporary file and read
/// with `tesseract FILE stdout -l eng+chi_sim --psm 6` (a uniform block of text: better than
/// the default on receipts and mixed scripts); the texts are joined with newlines. The
/// request's text is ignored: Tesseract does one thing. There is no stream (no TTFT), no
/// token usage, and no price: it is the $0 row of an OCR report. A request without an
/// image is refused (HTTP 400). A request for structured output (`response_format`) is
/// answered with the receipt fields `ReceiptExtractor` reads from that text, as JSON: the $0
/// floor of a receipt-fields suite.
public struct TesseractProvider: ChatProvider {
    public let executable: String
    public let languages: String
    public let version: String
    private let slots: AsyncSemaphore

    /// Finds Tesseract and checks it has `languages`; the error says what to install.
    public static func make(languages: String = "eng+chi_sim") async throws(InputError) -> TesseractProvider {
        guard
            let executable = ["/usr/bin/tesseract", "/usr/local/bin/tesseract"].first(
                where: FileManager.default.isExecutableFile)
        else {
            throw InputError(
                file: "tesseract",
                "Tesseract is not installed (Debian: apt-get install tesseract-ocr tesseract-ocr-chi-sim)")
        }
        let listed = try? await Subprocess.run(
            .path(FilePath(executable)), arguments: ["--list-langs"], output: .string(limit: 65536),
            error: .string(limit: 65536))
        let installed = Set(
            ((listed?.standardOutput ?? "") + (listed?.standardError ?? "")).split(whereSeparator: \.isNewline).map(
                String.init))
        let missing = languages.split(separator: "+").map(String.init).filter { !installed.contains($0) }
        if !missing.isEmpty {
            throw InputError(
                file: "tesseract",
                "Tesseract lacks the language data \(missing.joined(separator: ", ")) (Debian: apt-get install \(missing.map { "tesseract-ocr-\($0.replacingOccurrences(of: "_", with: "-"))" }.joined(separator: " ")))"
            )
        }
        let versionOutput = try? await Subprocess.run(
            .path(FilePath(executable)), arguments: ["--version"], output: .string(limit: 65536),
            error: .string(limit: 65536))
        let first = ((versionOutput?.standardOutput ?? "") + (versionOutput?.standardError ?? "")).split(
            whereSeparator: \.isNewline
        ).first
        return TesseractProvider(
            executable: executable, languages: languages, version: first.map(String.init) ?? "tesseract",
            slots: AsyncSemaphore(limit: max(1, ProcessInfo.processInfo.activeProcessorCount)))
    }

    public func complete(_ prepared: PreparedRequest) async throws -> Completion {
        let request = prepared.request
        let images = request.messages.flatMap(\.parts).compactMap { part -> String? in
            if case .imageURL(let url) = part { return url }
            return nil
        }
        guard !images.isEmpty else {
            throw ProviderError(kind: .http, status: 400, message: "Tesseract reads images; this request has none")
        }
        let clock = ContinuousClock()
        let start = clock.now
        var texts: [String] = []
        for url in images {
            texts.append(try await slots.withSlot { try await read(url) })
        }
        let latency = clock.now - start
        let text = texts.joined(separator: "\n")
        return Completion(
            text: request.responseFormat == nil ? text : ReceiptExtractor.fields(fromOCR: text).compactJSON,
            finishReason: "stop", usage: nil,
            timing: Timing(ttftMs: nil, latencyMs: latency.inMilliseconds), servedBy: version)
    }

    private func read(_ dataURL: String) async throws -> String {
        guard dataURL.hasPrefix("data:"), let comma = dataURL.firstIndex(of: ","),
            dataURL[..<comma].hasSuffix(";base64"),
            let data = Data(base64Encoded: String(dataURL[dataURL.index(after: comma)...]))
        else {
            throw ProviderError(kind: .http, status: 400, message: "Tesseract takes base64 data URLs only")
        }
        let directory = FilePath(NSTemporaryDirectory()).appending("assay-ocr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            atPath: directory.string, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: directory.string) }
        let file = directory.appending("image").string
        try data.write(to: URL(fileURLWithPath: file))
        let result = try await Subprocess.run(
            .path(FilePath(executable)), arguments: [file, "stdout", "-l", languages, "--psm", "6"],
            environment: .inherit.updating(["OMP_THREAD_LIMIT": "1"]), output: .string(limit: 1 << 20),
            error: .string(limit: 1 << 16))
        guard result.terminationStatus.isSuccess else {
            throw ProviderError(
                kind: .server, message: "tesseract failed: \(String((result.standardError).prefix(300)))")
        }
        var text = result.standardOutput
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
