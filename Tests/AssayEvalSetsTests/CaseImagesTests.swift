import AssayCore
import AssayEvalSets
import AssayTestSupport
import Foundation
import Testing

@Suite struct CaseImagesTests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 9, 9]

    @Test func pngAndJpegBecomeDataURLs() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try Data(Self.png).write(to: URL(fileURLWithPath: dir.path("a.png")))
        try Data(Self.jpeg).write(to: URL(fileURLWithPath: dir.path("b.bin")))
        #expect(
            try CaseImages.dataURL(dir.path("a.png")) == "data:image/png;base64," + Data(Self.png).base64EncodedString()
        )
        #expect(
            try CaseImages.dataURL(dir.path("b.bin")).hasPrefix("data:image/jpeg;base64,"), "by content, not extension")
    }

    @Test func missingTooLargeAndForeignFilesAreNamedAtTheirCase() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try Data(Self.png + [UInt8](repeating: 0, count: 200)).write(
            to: URL(fileURLWithPath: dir.path("s/big.png")).creatingDirectory())
        try dir.write("s/notes.png", "just text")
        let cases = [
            Case(id: "ok", input: ["image": "big.png"], expected: "x", line: 1),
            Case(id: "gone", input: ["image": ["missing.png"]], expected: "x", line: 2),
            Case(id: "text", input: ["image": "notes.png"], expected: "x", line: 3),
        ]
        let suite = Suite(
            id: "s", title: "s", kind: .ocr, grader: GraderSpec(name: .ocr), prompt: PromptTemplate(template: "read"),
            cases: cases,
            directory: dir.path("s"))
        let error = #expect(throws: InputError.self) { try CaseImages.load(suite) }
        let text = error?.description ?? ""
        #expect(text.contains(dir.path("s/cases.jsonl") + ":2: case 'gone': image 'missing.png': the file is missing"))
        #expect(
            text.contains(dir.path("s/cases.jsonl") + ":3: case 'text': image 'notes.png': not a PNG or JPEG image"))
        #expect(!text.contains("'ok'"))
        #expect(throws: CaseImages.ImageError.self) { try CaseImages.dataURL(dir.path("s/big.png"), maxBytes: 100) }
        let over = (try? CaseImages.dataURL(dir.path("s/big.png"), maxBytes: 100)) == nil
        #expect(over)
    }
}

extension URL {
    func creatingDirectory() throws -> URL {
        try FileManager.default.createDirectory(at: deletingLastPathComponent(), withIntermediateDirectories: true)
        return self
    }
}
