import AssayCore
import Testing

@testable import AssayGraders

/// BFCL's string normalisation, read in ASCII bytes where the text is ASCII: the same strings
/// as the reading by Unicode scalars (`standardize_string`: `,./-_*^` and spaces removed,
/// lower-cased, `'` made `"`), on generated text; and blank arguments told without walking
/// characters, as `isWhitespace` tells them.
@Suite struct BFCLTextTests {
    /// `standardize_string` by Unicode scalars, as it was written before the ASCII reading.
    func reference(_ text: String) -> String {
        let removed: Set<Unicode.Scalar> = [" ", ",", ".", "/", "-", "_", "*", "^"]
        var kept = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where !removed.contains(scalar) {
            kept.append(scalar == "'" ? "\"" : scalar)
        }
        return String(kept).lowercased()
    }

    @Test func asciiAndScalarReadingsAgree() {
        var random = SeededGenerator(seed: 20261205)
        let pieces = [
            "A", "z", "Q", "0", " ", ",", ".", "/", "-", "_", "*", "^", "'", "\"", "\t", "~", "É", "中", "İ", "ß",
        ]
        var ascii = 0
        for _ in 0..<3000 {
            let text = (0..<Int.random(in: 0...12, using: &random)).map { _ in
                pieces[Int.random(in: 0..<pieces.count, using: &random)]
            }.joined()
            #expect(BFCLText.standardize(text) == reference(text), "\(text)")
            if text.utf8.allSatisfy({ $0 < 0x80 }) { ascii += 1 }
        }
        #expect(ascii > 500, "the ASCII reading is exercised (\(ascii))")
        #expect(BFCLText.standardize("April 1, 2024") == BFCLText.standardize("april-1-2024"))
        #expect(BFCLText.standardize("It's O.K.") == "it\"sok")
    }

    @Test func blankArgumentsAreToldAsWhitespaceTellsThem() {
        for text in ["", " ", "\n\t \r", "\u{3000}", " \u{00A0} ", "\r\n"] {
            #expect(text.isBlank, "\(text.debugDescription)")
            #expect(text.allSatisfy { $0.isWhitespace })
        }
        for text in ["{}", " {", "\u{3000}x", "  a", "\u{00A0}{"] {
            #expect(!text.isBlank, "\(text.debugDescription)")
        }
        #expect(ToolCall(name: "f", argumentsText: " \n").arguments == .json(.object([:])))
        #expect(ToolCall(name: "f", argumentsText: "\u{3000}").arguments == .json(.object([:])))
    }
}
