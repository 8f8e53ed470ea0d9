import AssayCore
import AssayEvalSets
import AssayGraders
import Foundation

/// Graded cases per second with the bubblewrap sandbox against the same submissions run as
/// plain `python3` processes (same harness, same rlimits, no namespaces), in one run, with
/// as many programs at once as there are cores. The ratio is the sandbox's cost.
public enum SandboxBenchmark {
    public struct Report: Sendable {
        public var submissions: Int
        public var concurrency: Int
        public var plainRate: Double
        public var sandboxRate: Double
        /// Plain rate over sandbox rate: 1.2 means the sandbox makes grading 1.2 times slower.
        public var overhead: Double { plainRate / sandboxRate }
        /// Submissions whose verdict differed between the two modes (should be none).
        public var disagreements: [String]

        public var text: String {
            """
            sandbox benchmark: \(submissions) submissions, \(concurrency) at a time
              plain python3   \(String(format: "%7.2f", plainRate)) graded cases/s
              bubblewrap      \(String(format: "%7.2f", sandboxRate)) graded cases/s
              overhead        \(String(format: "%7.2f", overhead))x   (target: at most 1.5x)
            \(disagreements.isEmpty ? "  verdicts: identical in both modes" : "  verdicts differ for: \(disagreements.joined(separator: ", "))")

            """
        }
    }

    /// - Parameters:
    ///   - suitePath: a code suite whose cases carry `expected.reference` (and `expected.wrong`).
    ///   - includeWrong: also grade the wrong solutions (slower: some run to their timeout).
    ///   - rounds: how many times each mode grades every submission (alternating modes).
    public static func run(suitePath: String, includeWrong: Bool, rounds: Int = 2) async throws -> Report {
        let suite = try SuiteLoader.load(suitePath)
        var submissions: [(item: Case, answer: String, label: String)] = []
        for item in suite.cases {
            for key in includeWrong ? ["reference", "wrong"] : ["reference"] {
                if let code = item.expected[key]?.stringValue {
                    submissions.append((item, "```python\n\(code)\n```", "\(item.id)/\(key)"))
                }
            }
        }
        guard !submissions.isEmpty else {
            throw InputError(file: suitePath, "no cases with expected.reference to benchmark")
        }
        let concurrency = Sandbox.defaultConcurrency
        let sandboxed: Sandbox
        do {
            sandboxed = try await Sandbox.bubblewrap(concurrency: concurrency)
        } catch {
            throw InputError(file: "sandbox", "cannot benchmark the sandbox: \(error.reason)")
        }
        let plain = Sandbox.unsandboxed(concurrency: concurrency)
        let sandboxGrader = try Graders.make(for: suite, context: GraderContext(sandbox: sandboxed))
        let plainGrader = try Graders.make(for: suite, context: GraderContext(sandbox: plain))

        var plainSeconds = 0.0, sandboxSeconds = 0.0
        var verdicts: [String: [Grade.Outcome]] = [:]
        for _ in 0..<max(1, rounds) {
            for (grader, isSandbox) in [(plainGrader, false), (sandboxGrader, true)] {
                let (seconds, outcomes) = try await timed(submissions, grader: grader, concurrency: concurrency)
                if isSandbox { sandboxSeconds += seconds } else { plainSeconds += seconds }
                for (label, outcome) in outcomes { verdicts[label, default: []].append(outcome) }
            }
        }
        let count = Double(submissions.count * max(1, rounds))
        let disagreements = verdicts.filter { Set($0.value).count > 1 }.keys.sorted()
        return Report(
            submissions: submissions.count, concurrency: concurrency, plainRate: count / plainSeconds,
            sandboxRate: count / sandboxSeconds, disagreements: disagreements)
    }

    static func timed(
        _ submissions: [(item: Case, answer: String, label: String)], grader: any Grader, concurrency: Int
    ) async throws -> (Double, [(String, Grade.Outcome)]) {
        let clock = ContinuousClock()
        let start = clock.now
        let outcomes = await withTaskGroup(of: (String, Grade.Outcome).self) { group in
            for submission in submissions {
                group.addTask {
                    (submission.label, await grader.grade(submission.item, answer: submission.answer).outcome)
                }
            }
            var outcomes: [(String, Grade.Outcome)] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        return ((clock.now - start).inSeconds, outcomes)
    }
}
