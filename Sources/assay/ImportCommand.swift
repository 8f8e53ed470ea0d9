import ArgumentParser
import AssayCore
import AssayEvalSets

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert a public benchmark file into an Assay suite (no network).",
        discussion: """
            Examples:
              assay import humaneval HumanEval.jsonl --out evalsets/humaneval
              assay import gsm8k test.jsonl --out evalsets/gsm8k
              assay import math math500.jsonl --out evalsets/math500
            """,
        subcommands: [HumanEval.self, GSM8K.self, MathCompetition.self]
    )

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

    /// Runs `importer` (file, directory, id, force; returns the number of cases) and says
    /// what it wrote.
    func write(_ importer: (String, String, String?, Bool) throws(InputError) -> Int) async throws {
        try await withExitStatus {
            let count = try importer(file, out, id, force)
            print("wrote \(count) cases to \(out) (suite.yaml, cases.jsonl)")
        }
    }
}
