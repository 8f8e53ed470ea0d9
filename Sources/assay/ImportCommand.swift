import ArgumentParser
import AssayCore
import AssayEvalSets
import AssayRunner
import Foundation
import SystemPackage

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert a public benchmark file into an Assay suite (no network).",
        discussion: """
            Examples:
              assay import humaneval HumanEval.jsonl --out evalsets/humaneval
              assay import gsm8k test.jsonl --out evalsets/gsm8k
              assay import math math500.jsonl --out evalsets/math500
              assay import bfcl bfcl_eval/data --out suites/bfcl
            """,
        subcommands: [HumanEval.self, GSM8K.self, MathCompetition.self, BFCL.self]
    )

    struct BFCL: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bfcl",
            abstract: "Convert the Berkeley Function Calling Leaderboard's single-turn data into tools suites.",
            discussion: """
                PATH is bfcl-eval's data folder (bfcl_eval/data in PyPI's bfcl-eval wheel): one suite is
                written per single-turn category found there (simple_python, multiple, parallel,
                parallel_multiple, irrelevance and the live_ ones), as DIR/bfcl-<category>. Case ids are
                BFCL's, the category is each case's tag, and the acceptable calls are BFCL's possible
                answers, graded as BFCL's AST checker grades them. Nothing is fetched.

                Example:
                  assay import bfcl bfcl_eval/data --out suites/bfcl
                  assay validate suites/bfcl/bfcl-simple-python
                """
        )

        @Argument(help: ArgumentHelp("bfcl-eval's data folder.", valueName: "path"))
        var path: String

        @Option(help: ArgumentHelp("The directory to write the suites under.", valueName: "dir"))
        var out: String

        @Flag(help: "Replace suites that are already there.")
        var force = false

        func run() async throws {
            try await withExitStatus {
                let count = try BFCLImport.run(path, to: out, force: force)
                var problems: [Diagnostic] = []
                for category in BFCLImport.categories {
                    let directory = FilePath(out).appending(BFCLImport.suiteID(category)).string
                    if FileManager.default.fileExists(atPath: directory) {
                        problems += SuiteCheck.problems(at: directory)
                    }
                }
                if !problems.isEmpty { throw InputError(problems) }
                print("wrote \(count) cases to \(out) (one suite per category)")
            }
        }
    }

    struct MathCompetition: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "math",
            abstract: "Convert MATH / MATH-500 JSON Lines into a math suite with LaTeX answers.",
            discussion: """
                Each line holds problem and answer (LaTeX, such as \\frac{243}{625}), and optionally
                solution, subject, level and unique_id (MATH-500's format; the original MATH files,
                with no answer field, give the solution's last \\boxed{}). Answers are graded by the
                math grader (compared by value: \\dfrac{243}{625}, 243/625 and 0.3888 are all right);
                cases are tagged subject:<subject> and level:<n>, and reports score each subject.
                Every bad line is reported with file:line and nothing is written.

                Example:
                  assay import math test.jsonl --out evalsets/math500
                  assay validate evalsets/math500
                """
        )

        @OptionGroup var options: ImportOptions

        func run() async throws {
            try await options.write(MathImport.run)
        }
    }

    struct GSM8K: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gsm8k",
            abstract: "Convert GSM8K-format JSON Lines into a math suite.",
            discussion: """
                Each line holds question and answer (a worked solution ending in '#### N'). N, without
                thousands separators, becomes the expected answer, graded by the numeric grader; the
                worked solution is kept and never shown. Every bad line is reported with file:line and
                nothing is written.

                Example:
                  assay import gsm8k gsm8k-test.jsonl --out evalsets/gsm8k
                  assay validate evalsets/gsm8k
                """
        )

        @OptionGroup var options: ImportOptions

        func run() async throws {
            try await options.write(GSM8KImport.run)
        }
    }

    struct HumanEval: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "humaneval",
            abstract: "Convert HumanEval-format JSON Lines into a code suite.",
            discussion: """
                Each line holds task_id, prompt, canonical_solution, test (defining check(candidate))
                and entry_point. The prompt is what the model sees; the test becomes the hidden tests;
                the canonical solution is kept as the case's reference and never shown. Every bad
                line is reported with file:line and nothing is written.

                Example:
                  assay import humaneval HumanEval.jsonl --out evalsets/humaneval
                  assay validate evalsets/humaneval
                """
        )

        @OptionGroup var options: ImportOptions

        func run() async throws {
            try await options.write(HumanEvalImport.run)
        }
    }
}

/// What every import takes: the file, the suite directory, its id, and whether to replace it.
struct ImportOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The .jsonl file in the benchmark's own format.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("The suite directory to write.", valueName: "dir"))
    var out: String

    @Option(help: "The suite id (default: the directory's name).")
    var id: String?

    @Flag(help: "Replace a suite that is already there.")
    var force = false

    /// Runs `importer` (file, directory, id, force; returns the number of cases) into a
    /// staging directory beside `--out`, checks the suite there as `assay validate` does (a
    /// gold the grader cannot grade, or one past its bounds, is refused at its case's line),
    /// and only then puts it in place: a refused import writes nothing.
    func write(_ importer: (String, String, String?, Bool) throws(InputError) -> Int) async throws {
        try await withExitStatus {
            let target = FilePath(out)
            if FileManager.default.fileExists(atPath: target.appending("suite.yaml").string) && !force {
                throw InputError(
                    file: target.appending("suite.yaml").string, "a suite is already there; pass --force to replace it")
            }
            let staging = target.removingLastComponent().appending(
                ".\(target.lastComponent?.string ?? "suite").importing-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(atPath: staging.string) }
            let count = try importer(file, staging.string, id ?? target.lastComponent?.string, true)
            let problems = SuiteCheck.problems(at: staging.string)
            guard problems.isEmpty else {
                throw InputError(
                    problems.map { problem in
                        var moved = problem
                        moved.file = problem.file.replacingOccurrences(of: staging.string, with: out)
                        moved.message = "not imported: " + problem.message
                        return moved
                    })
            }
            do {
                if FileManager.default.fileExists(atPath: out) {
                    for name in ["suite.yaml", "cases.jsonl"] {
                        try? FileManager.default.removeItem(atPath: target.appending(name).string)
                    }
                    for name in ["suite.yaml", "cases.jsonl"] {
                        try FileManager.default.moveItem(
                            atPath: staging.appending(name).string, toPath: target.appending(name).string)
                    }
                } else {
                    try FileManager.default.moveItem(atPath: staging.string, toPath: out)
                }
            } catch {
                throw InputError(file: out, "cannot put the imported suite in place: \(error.localizedDescription)")
            }
            print("wrote \(count) cases to \(out) (suite.yaml, cases.jsonl)")
        }
    }
}
