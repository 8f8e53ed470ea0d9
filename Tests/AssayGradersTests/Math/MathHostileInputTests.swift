import Foundation
import Testing
@testable import AssayGraders

/// Inputs built to crash or hang a naive parser: each must produce an error or a verdict quickly.
/// Time bounds are generous on purpose (debug build, shared 2-core machine): they catch hangs and
/// quadratic blow-ups (minutes), not microseconds.
@Suite struct MathHostileInputTests {
    /// Parses and compares against a small gold; returns elapsed seconds.
    @discardableResult
    func survive(_ input: String, gold: String = "1") -> Double {
        let start = Date()
        _ = try? MathEquivalence.compare(answer: input, gold: gold)
        _ = try? MathEquivalence.compare(answer: gold, gold: input)
        _ = FinalAnswer.extract(input)
        let elapsed = Date().timeIntervalSince(start)
        let label = input.prefix(24).replacingOccurrences(of: "\n", with: " ")
        print(String(format: "hostile %@… (%d chars): %.1f ms", label, input.count, elapsed * 1000))
        return elapsed
    }

    @Test func deeplyNestedFractions() {
        let depth = 10_000
        let s = String(repeating: "\\frac{", count: depth) + "1" + String(repeating: "}{2}", count: depth)
        #expect(throws: MathParseError.self) { try MathParser.parse(s) }
        #expect(survive(s) < 5)
    }

    @Test func deeplyNestedBracketsAndSigns() {
        for s in [
            String(repeating: "(", count: 50_000) + "1" + String(repeating: ")", count: 50_000),
            String(repeating: "-", count: 9_000) + "1",
            String(repeating: "\\sqrt{", count: 5_000) + "2" + String(repeating: "}", count: 5_000),
            String(repeating: "2^", count: 4_000) + "2",
            "1" + String(repeating: "/2", count: 4_000),
            String(repeating: "\\sin ", count: 3_000) + "x",
            "5" + String(repeating: "!", count: 5_000),
            String(repeating: "\\boxed{", count: 30_000),
        ] {
            #expect(survive(s) < 5)
        }
    }

    @Test func towerOfPowers() throws {
        #expect(survive("10^{10^{10^{10}}}", gold: "10") < 5)
        let v = try MathEquivalence.compare(answer: "10^{10^{10^{10}}}", gold: "10^{10^{10^{10}}}")
        #expect(!v.equal)  // not finite: never "equal" by value
        #expect(try !MathEquivalence.compare(answer: "2^{4097}", gold: "2^{4096}").equal)
        #expect(try MathEquivalence.compare(answer: "2^{62}", gold: "4611686018427387904").equal)
    }

    @Test func hugeNumbers() throws {
        let million = String(repeating: "9", count: 1_000_000)
        #expect(throws: MathParseError.self) { try MathParser.parse(million) }
        #expect(survive(million) < 15)
        let big = String(repeating: "9", count: 400)
        #expect(try !MathEquivalence.compare(answer: big, gold: "1").equal)
        // Beyond 15 decimal places the decimal rule steps aside and plain numeric tolerance decides.
        #expect(survive("1." + String(repeating: "0", count: 300) + "1") < 5)
    }

    @Test func unbalancedAndGarbage() {
        for s in [
            "\\frac{1}{", "}}}}", "{{{{", "\\left(", "\\sqrt[", "\\begin{pmatrix} 1 & 2", "(1,2", "[", "\\",
            "^^^", "x_", "1,\\!", "\\text{", "$$$$", "\\{1,2", "a =", "= 3", "\u{0}\u{1}", "∞∞∞", "((()))",
        ] {
            #expect(survive(s) < 5)
        }
    }

    @Test func hundredKilobyteText() {
        let noise = String(repeating: "The answer is maybe \\boxed{3 and (x+1) $x$ ", count: 2_500)
        #expect(noise.utf8.count > 100_000)
        #expect(survive(noise) < 5)
        let reply = String(repeating: "blah ", count: 20_000) + "\\boxed{\\frac{1}{2}}"
        #expect(FinalAnswer.extract(reply)?.answer == "\\frac{1}{2}")
        let longList = (0..<3_000).map(String.init).joined(separator: ",")
        #expect(survive(longList, gold: longList) < 5)
    }
}

/// The deepest inputs the parser accepts must also be safe on a small (512 KiB) thread stack, as used by
/// secondary threads on some platforms; run parse + compare there and wait.
@Suite struct MathSmallStackTests {
    final class Box: @unchecked Sendable { var verdicts: [Bool] = [] }

    @Test func deepestAcceptedInputsOnSmallStack() throws {
        var inputs: [String] = []
        for depth in [10, 20, 30, 40, 60] {
            inputs.append(String(repeating: "\\frac{1+", count: depth) + "1" + String(repeating: "}{2}", count: depth))
            inputs.append(String(repeating: "\\sqrt{", count: depth) + "2" + String(repeating: "}", count: depth))
            inputs.append(String(repeating: "(", count: depth) + "x" + String(repeating: "+1)", count: depth))
            inputs.append(String(repeating: "-", count: depth) + "1")
            inputs.append(String(repeating: "\\{", count: depth) + "1" + String(repeating: "\\}", count: depth))
            inputs.append(String(repeating: "\\sin ", count: depth) + "x")
        }
        let box = Box()
        let all = inputs
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            for s in all {
                _ = try? MathEquivalence.compare(answer: s, gold: "1")
                let parsed = try? MathParser.parse(s)
                box.verdicts.append(parsed.map { MathEquivalence.compare($0, $0).equal } ?? false)
            }
            done.signal()
        }
        thread.stackSize = 512 * 1024
        thread.start()
        done.wait()
        #expect(box.verdicts.count == inputs.count)
        // Depths 10 and 20 (12 inputs) are within the nesting limit and must compare equal to themselves.
        print("small-stack verdicts by depth 10/20/30/40/60:", box.verdicts.map { $0 ? 1 : 0 })
        #expect(box.verdicts.prefix(12).allSatisfy { $0 })
    }
}
