import AssayCore
import AssayGraders
import Testing

@Suite struct AllValuesGraderTests {
    func grade(_ answer: String, values: [String]) async throws -> Grade {
        let item = Case(id: "a", input: ["q": "?"], expected: ["values": .array(values.map { .string($0) })], line: 1)
        let suite = Suite(
            id: "s", title: "s", kind: .longContext, grader: GraderSpec(name: .allValues),
            prompt: PromptTemplate(template: "{{q}}"), cases: [item], directory: "evalsets/s")
        return await try Graders.make(for: suite).grade(item, answer: answer)
    }

    @Test func everyValueMustBeThere() async throws {
        #expect(
            try await grade("The numbers are 1234567 and 7654321.", values: ["1234567", "7654321"]).outcome == .pass)
        let one = try await grade("Only 1234567.", values: ["1234567", "7654321"])
        #expect(one.outcome == .fail && one.score == 0)
        #expect(one.valuesEvidence?.missing == ["7654321"])
    }

    @Test func aValueCountsOnlyAsAWholeWord() async throws {
        #expect(try await grade("12345678", values: ["1234567"]).outcome == .fail)
        #expect(try await grade("quiet-harbors", values: ["quiet-harbor"]).outcome == .fail)
        #expect(try await grade("Answer: KXQZA, BBDEF", values: ["kxqza", "bbdef"]).outcome == .pass)
    }

    @Test func widthCaseAndSpacingAreFolded() async throws {
        // Full-width digits (NFKC), and a Chinese value with no spaces around it.
        #expect(try await grade("答案是１２３４５６７。", values: ["1234567"]).outcome == .pass)
        #expect(try await grade("他出生在清河镇。", values: ["清河镇"]).outcome == .pass)
        #expect(try await grade("  ", values: ["x"]).outcome == .invalid)
    }

    @Test func aCaseWithoutValuesIsRefusedAtItsLine() throws {
        let item = Case(id: "a", input: ["q": "?"], expected: ["other": 1], line: 7)
        let suite = Suite(
            id: "s", title: "s", kind: .longContext, grader: GraderSpec(name: .allValues),
            prompt: PromptTemplate(template: "{{q}}"), cases: [item], directory: "evalsets/s")
        #expect(throws: InputError.self) { _ = try Graders.make(for: suite) }
    }
}
