import Testing
@testable import AssayGraders

@Suite struct MathGoldParseTests {
    @Test func everyGoldAnswerParses() throws {
        let problems = try Math500Fixture.load()
        #expect(problems.count == 500)
        var failures: [String] = []
        var textual: [String] = []
        for p in problems {
            do {
                let e = try MathParser.parse(p.answer)
                if case .text = e { textual.append(p.answer) }
                #expect(MathEquivalence.compare(e, e).equal, "gold not equal to itself: \(p.answer)")
            } catch {
                failures.append("\(p.answer)  -> \(error.reason)")
            }
        }
        print(
            "gold answers parsed: \(problems.count - failures.count)/\(problems.count); textual: \(textual.count) \(textual)"
        )
        for f in failures { print("UNPARSED: \(f)") }
        #expect(failures.isEmpty)
    }
}
