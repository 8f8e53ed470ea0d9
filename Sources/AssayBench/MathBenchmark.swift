import AssayCore
import AssayGraders
import Foundation

/// The math grader's bound on hostile answers: each graded against a few golds, the slowest
/// grade against the target of 100 ms, and against an ordinary answer (a worked solution of
/// about 2 KB ending in a box) graded in the same run.
public enum MathBenchmark {
    public struct Row: Sendable {
        public var name: String
        public var characters: Int
        public var slowestMs: Double
        public var outcomes: [String]
        /// Passes that no gold should have given.
        public var unexpectedPasses: Int
    }

    public struct Result: Sendable {
        public var reference: Row
        public var rows: [Row]
        public var peakRSSMegabytes: Double
    }

    static let targetMs = 100.0

    static let golds = ["2", "\\sqrt{2}", "(1, 2)", "$x \\in [-2, 7]$"]

    /// Each hostile answer; none may pass, except the last: its final box is the gold "2" after a
    /// megabyte of unclosed `<think>`.
    static var hostile: [(String, String)] {
        [
            ("10^{10^{10}}", "The final answer is $\\boxed{10^{10^{10}}}$."),
            ("2^{2^{2^{2^{2}}}}", "Answer: 2^{2^{2^{2^{2}}}}"),
            (
                "10,000 nested braces",
                String(repeating: "{", count: 10_000) + "1" + String(repeating: "}", count: 10_000)
            ),
            ("1 MB sum", String(repeating: "1+", count: 500_000) + "1"),
            ("1 MB of \\frac", String(repeating: "\\frac", count: 200_000)),
            ("1 MB of 'Answer: '", String(repeating: "Answer: ", count: 125_000)),
            (
                "1 MB of nested boxes",
                String(repeating: "\\boxed{", count: 70_000) + String(repeating: "}", count: 70_000)
            ),
            ("1 MB of unclosed boxes", String(repeating: "\\boxed{1", count: 125_000)),
            ("1 MB of '$$' and '\\['", String(repeating: "$$ \\[ ", count: 170_000)),
            ("1 MB of boxes joined by 'and'", String(repeating: "\\boxed{1} and ", count: 75_000)),
            ("1 MB of '<think>'", String(repeating: "<think>", count: 150_000) + "\\boxed{2}"),
        ]
    }

    static var ordinary: String {
        let step = "We have $x^2 - 5x + 6 = 0$, so $(x-2)(x-3) = 0$ and the roots are $x = 2$ and $x = 3$. "
        return String(repeating: step, count: 20) + "So the answer is $\\boxed{2}$."
    }

    public static func measure(rounds: Int = 3) async throws -> Result {
        func row(_ name: String, _ answer: String, mayPass: String? = nil) async throws -> Row {
            var slowest = 0.0
            var outcomes: [String] = []
            var unexpected = 0
            for gold in golds {
                let item = Case(id: "q", input: ["problem": "?"], expected: ["answer": .string(gold)], line: 1)
                let suite = Suite(
                    id: "m", title: "m", kind: .math, grader: GraderSpec(name: .math),
                    prompt: PromptTemplate(template: "{{problem}}"), cases: [item],
                    directory: ".")
                let grader = try Graders.make(for: suite)
                var goldSlowest = 0.0
                var outcome = ""
                for _ in 0..<rounds {
                    let start = ContinuousClock.now
                    let grade = await grader.grade(item, answer: answer)
                    goldSlowest = max(goldSlowest, (ContinuousClock.now - start).milliseconds)
                    outcome = grade.outcome.rawValue
                }
                slowest = max(slowest, goldSlowest)
                if outcome == "pass" && gold != mayPass { unexpected += 1 }
                outcomes.append(String(format: "%@ %.0f ms", outcome, goldSlowest))
            }
            return Row(
                name: name, characters: answer.unicodeScalars.count, slowestMs: slowest, outcomes: outcomes,
                unexpectedPasses: unexpected)
        }
        let reference = try await row("ordinary 2 KB solution", ordinary, mayPass: "2")
        var rows: [Row] = []
        for (index, (name, answer)) in hostile.enumerated() {
            rows.append(try await row(name, answer, mayPass: index == hostile.count - 1 ? "2" : nil))
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Result(reference: reference, rows: rows, peakRSSMegabytes: Double(usage.ru_maxrss) / 1024)
    }

    public static func text(_ result: Result) -> String {
        var out =
            "math grader: hostile answers, each graded against \(golds.count) golds, slowest of \(golds.count) x rounds\n"
        out += String(format: "  reference: %@: %.2f ms\n", result.reference.name, result.reference.slowestMs)
        for row in result.rows {
            out += String(
                format: "  %@ %8d chars  %8.2f ms  %6.1fx the reference  %5.2fx the target  %@%@\n",
                row.name.padding(toLength: 30, withPad: " ", startingAt: 0), row.characters, row.slowestMs,
                row.slowestMs / max(result.reference.slowestMs, 0.001), row.slowestMs / targetMs,
                row.outcomes.joined(separator: ", "),
                row.unexpectedPasses > 0 ? "  PASSED" : "")
        }
        let worst = result.rows.map(\.slowestMs).max() ?? 0
        out += String(
            format: "  slowest %.2f ms: %.2fx the target of %.0f ms; peak RSS %.1f MB\n", worst, worst / targetMs,
            targetMs, result.peakRSSMegabytes)
        return out
    }
}

extension Duration {
    fileprivate var milliseconds: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}
