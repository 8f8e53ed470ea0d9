import AssayCore
import Testing

@testable import AssayEvalSets

@Suite struct RedactionTests {
    func redact(_ text: String, _ names: [String] = Redaction.builtInNames, custom: [String] = []) throws -> (
        String, [String: Int]
    ) {
        var counts: [String: Int] = [:]
        let redaction = try Redaction(named: names, custom: custom)
        guard case .success(let out) = redaction.apply(to: text, counts: &counts) else {
            Issue.record("timed out on \(text)")
            return (text, counts)
        }
        return (out, counts)
    }

    @Test func everyBuiltInPatternIsReplacedAndCounted() throws {
        let (out, counts) = try redact(
            """
            Mail jane.doe+x@mail.example.com or JD@corp.cn. Call +1 (555) 123-4567, 555-123-4567 or 13800138000.
            Card 4111 1111 1111 1111, also 5555-5555-5555-4444. Server 192.168.1.20. 身份证 11010519491231002X 和 440304199001011233.
            """)
        #expect(
            out == """
                Mail [EMAIL] or [EMAIL]. Call [PHONE], [PHONE] or [PHONE].
                Card [CARD], also [CARD]. Server [IPV4]. 身份证 [CN-ID] 和 [CN-ID].
                """)
        #expect(counts == ["email": 2, "phone": 3, "card": 2, "ipv4": 1, "cn-id": 2])
    }

    @Test func lookAlikesAreLeftAlone() throws {
        let text = """
            On 2024-01-15 10:30:00 (order 1990-2020), version 1.2.3.4.5, 999.1.1.1, card 4111 1111 1111 1112,
            id 110105194912310021, ref 1234 5678 9012 3456 7890, a 7-digit 555-1234, the price 1,299.00 and me@localhost.
            """
        let (out, counts) = try redact(text)
        #expect(out == text)
        #expect(counts.isEmpty)
    }

    @Test func onlyThePatternsAskedForAreApplied() throws {
        let (out, counts) = try redact("a@b.co at 10.0.0.1", ["ipv4"])
        #expect(out == "a@b.co at [IPV4]" && counts == ["ipv4": 1])
        #expect(try Redaction(named: ["email,phone"], custom: []).names == ["email", "phone"])
    }

    @Test func customPatternsComeFirstAndBecomeTheirMarker() throws {
        let (out, counts) = try redact(
            "ORD-12345678901 for a@b.co, employee E-0042", ["email", "phone"],
            custom: ["order=ORD-[0-9]{11}", "Staff=E-[0-9]{4}"])
        #expect(out == "[ORDER] for [EMAIL], employee [STAFF]")
        #expect(counts == ["order": 1, "staff": 1, "email": 1])
    }

    @Test func badPatternsAreRefusedEachWithItsReason() throws {
        let error = #expect(throws: InputError.self) {
            try Redaction(
                named: ["email", "ssn"],
                custom: [
                    "no-equals", "bad name=x", "loop=(\\w+\\s?)*#", "broken=(", "empty=x?", "email=@", "order=O-1",
                    "order=O-2",
                ])
        }
        let text = error?.description ?? ""
        for message in [
            "--redact: no built-in pattern 'ssn'", "'no-equals': write it NAME=REGEX",
            "'bad name=x': the name may use only letters",
            "'loop=(\\w+\\s?)*#': the regular expression can backtrack catastrophically",
            "'broken=(': not a regular expression", "'empty=x?': the regular expression matches empty text",
            "'email=@': 'email' is a built-in pattern", "'order=O-2': two patterns are named 'order'",
        ] {
            #expect(text.contains(message), "\(message)\nin:\n\(text)")
        }
        #expect(error?.diagnostics.count == 8)
    }
}
